import type { Owner } from '@partnergraph/registry';
import { parse } from 'yaml';

interface ScrapeConfig {
  scrape_configs?: Array<{ job_name?: string; static_configs?: Array<{ targets?: string[] }> }>;
}

/** The `subgraphs` job's targets in deploy/prometheus.yml. */
function subgraphTargets(prometheusText: string): string[] {
  const job = (parse(prometheusText) as ScrapeConfig | null)?.scrape_configs?.find((j) => j.job_name === 'subgraphs');
  return (job?.static_configs ?? []).flatMap((c) => c.targets ?? []);
}

/** Owners Prometheus would not scrape (or scrape at the wrong port); empty when every registered owner is a target. */
export function scrapeProblems(prometheusText: string, owners: readonly Owner[]): string[] {
  const targets = subgraphTargets(prometheusText);
  const problems = owners.filter((o) => !targets.includes(`${o.name}:${o.defaultPort}`)).map((o) => `subgraphs job has no target ${o.name}:${o.defaultPort}`);
  const known = new Set(owners.map((o) => `${o.name}:${o.defaultPort}`));
  for (const target of targets) if (!known.has(target)) problems.push(`subgraphs job scrapes ${target}, which is no registered owner`);
  return problems;
}

/** deploy/prometheus.yml with a new owner's subgraph as a target, after the last one. */
export function addOwnerToScrapeConfig(prometheusText: string, owner: { name: string; defaultPort: number }): string {
  const last = subgraphTargets(prometheusText).at(-1);
  const lines = prometheusText.split('\n');
  const at = last ? lines.findIndex((l) => l.trim() === `- ${last}`) : -1;
  if (at < 0) throw new Error('deploy/prometheus.yml has no subgraph target to add the new owner after.');
  lines.splice(at + 1, 0, `${/^\s*/.exec(lines[at]!)![0]}- ${owner.name}:${owner.defaultPort}`);
  return lines.join('\n');
}
