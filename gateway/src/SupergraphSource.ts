import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { QueryPlanner } from '@apollo/query-planner';
import type { Logger } from '@partnergraph/common';
import type { GatewayMetrics } from './metrics.js';

/** What set off a reload: the file changed, SIGHUP, the polled URL, or a caller (tests, embedding). */
export type ReloadTrigger = 'start' | 'file' | 'signal' | 'poll' | 'manual';
/** applied: now served; unchanged: same text; refused: not a valid supergraph, the old one kept; unavailable: could not be read. */
export type ReloadResult = 'applied' | 'unchanged' | 'refused' | 'unavailable';

export interface SupergraphSourceOptions {
  /** The supergraph file: read at start, and again when it changes (when `watch`) or on SIGHUP. */
  path: string;
  watch: boolean;
  /** Optionally, a URL the supergraph is polled from (the deployment's schema registry or a file server). */
  url?: string | undefined;
  pollMs?: number | undefined;
  logger: Logger;
  metrics: GatewayMetrics;
}

export const supergraphId = (sdl: string) => createHash('sha256').update(sdl).digest('hex');

/**
 * Why a text cannot be served as the supergraph, or undefined when it can:
 * Federation's own supergraph validation (which extracts and re-checks every
 * subgraph), the API schema derived from it, and a query planner built on it —
 * all that the gateway does with a new supergraph, done before it is swapped in.
 */
export function supergraphProblem(sdl: string): string | undefined {
  try {
    if (!sdl.trim()) return 'The supergraph is empty.';
    const supergraph = Supergraph.build(sdl, { validateSupergraph: true });
    supergraph.apiSchema().toGraphQLJSSchema();
    new QueryPlanner(supergraph);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n').slice(0, 5).join('\n');
  }
}

type Update = (sdl: string) => void;

/**
 * The gateway's supergraph, swapped without a restart. Apollo Gateway is given
 * `supergraphSdl` as a function and hands back its `update` callback; each new
 * text is checked first, and one that is not a valid supergraph is refused and
 * the old one kept. Reloads run one at a time. Apollo swaps schema and query
 * planner in one synchronous step and clears its plan cache: a request already
 * executing keeps the plan it has, the next one plans on the new supergraph.
 */
export class SupergraphSource {
  private sdl: string;
  private update: Update | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(sdl: string, id: string) => void> = [];
  /** sha256 of the text served now: the same in every process serving the same supergraph. */
  id: string;

  private constructor(
    private readonly options: SupergraphSourceOptions,
    sdl: string,
  ) {
    this.sdl = sdl;
    this.id = supergraphId(sdl);
    this.setInfo();
  }

  /** Reads the file; a gateway does not start on a supergraph it could not serve. */
  static async open(options: SupergraphSourceOptions): Promise<SupergraphSource> {
    const sdl = await readFile(options.path, 'utf8');
    const problem = supergraphProblem(sdl);
    if (problem) throw new Error(`${options.path} is not a valid supergraph: ${problem}`);
    return new SupergraphSource(options, sdl);
  }

  get text(): string {
    return this.sdl;
  }

  /** Called after each new supergraph is served (the schema listeners of Apollo have already run). */
  onApplied(listener: (sdl: string, id: string) => void): void {
    this.listeners.push(listener);
  }

  /** Apollo Gateway's `supergraphSdl` option. */
  readonly manager: SupergraphSdlHook = async ({ update }) => {
    this.update = update;
    this.start();
    return { supergraphSdl: this.sdl, cleanup: async () => this.stop() };
  };

  /** Reads the supergraph again (the URL when one is configured, the file for `file`) and serves it when it is a valid, different one. */
  reload(trigger: ReloadTrigger = 'manual'): Promise<ReloadResult> {
    const next = this.queue.then(() => this.reloadNow(trigger));
    this.queue = next.catch(() => undefined);
    return next;
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.debounce);
    clearInterval(this.poller);
  }

  private start(): void {
    const { path, url, pollMs, logger } = this.options;
    if (this.options.watch && !this.watcher) {
      // The folder, not the file: tools replace a file by renaming a new one over it, which ends a watch on the file.
      const name = basename(path);
      this.watcher = watch(dirname(path), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        // One save is several events (truncate, write, rename): read once they settle.
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.reload('file'), 150);
      });
      this.watcher.on('error', (error) => logger.warn({ err: error.message, path }, 'supergraph file watch failed; SIGHUP still reloads'));
      this.watcher.unref();
    }
    if (url && pollMs && !this.poller) {
      // The URL is the source of truth where one is configured: asked at once, then every pollMs.
      void this.reload('poll');
      this.poller = setInterval(() => void this.reload('poll'), pollMs);
      this.poller.unref();
    }
  }

  private async read(trigger: ReloadTrigger): Promise<string> {
    const { url, path } = this.options;
    // A changed file is read; SIGHUP and a caller ask the URL when there is one (else the file).
    if (trigger === 'file' || !url) return readFile(path, 'utf8');
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'text/plain, application/graphql' } });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.text();
  }

  private async reloadNow(trigger: ReloadTrigger): Promise<ReloadResult> {
    const { logger, metrics } = this.options;
    const count = (result: ReloadResult) => {
      metrics.supergraphReloads.inc({ result, trigger });
      return result;
    };
    let sdl: string;
    try {
      sdl = await this.read(trigger);
    } catch (error) {
      logger.warn({ trigger, err: (error as Error).message }, 'supergraph not reloaded: could not be read; the current one is kept');
      return count('unavailable');
    }
    const id = supergraphId(sdl);
    if (id === this.id) return count('unchanged');
    const problem = supergraphProblem(sdl);
    if (problem) {
      logger.error({ trigger, refused: id, kept: this.id, problem }, 'supergraph refused: not a valid supergraph; the current one is kept');
      return count('refused');
    }
    if (!this.update) return count('unavailable');
    try {
      this.update(sdl);
    } catch (error) {
      logger.error({ trigger, refused: id, kept: this.id, problem: (error as Error).message }, 'supergraph refused by the gateway; the current one is kept');
      return count('refused');
    }
    const previous = this.id;
    this.sdl = sdl;
    this.id = id;
    this.setInfo();
    for (const listener of this.listeners) listener(sdl, id);
    logger.info({ trigger, previous, id }, 'supergraph reloaded');
    return count('applied');
  }

  private setInfo(): void {
    this.options.metrics.supergraph.reset();
    this.options.metrics.supergraph.set({ id: this.id.slice(0, 16) }, 1);
  }
}
