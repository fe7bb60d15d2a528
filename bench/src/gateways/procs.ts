import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Spawned {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
}

/** Starts `node <entry> …args` with output to a log file (never a pipe that could stall it). */
export function startNode(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string): Spawned {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [entry, ...args], { env, cwd, stdio: ['ignore', fd, fd] });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  return { name, child, pid: child.pid, logFile };
}

export async function stopProcess(p: Spawned, graceMs = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, alive?: Spawned): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (alive && alive.child.exitCode !== null) throw new Error(`${what}: process exited with ${alive.child.exitCode}; see ${alive.logFile}`);
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms${alive ? `; see ${alive.logFile}` : ''}`);
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Busy and total jiffies of the whole machine. */
function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

export interface Usage {
  /** CPU time over wall time, in % of one core. */
  gatewayCpu: number | null;
  subgraphsCpu: number;
  loaderCpu: number;
  /** Whole machine busy, in % of all cores. */
  machineBusy: number;
  /** Busy CPU not charged to these processes (kernel networking, other programs), in % of one core. */
  otherCpu: number;
  rssMeanMb: number | null;
  rssMaxMb: number | null;
}

/** Samples RSS of the gateway every 250 ms and CPU of gateway, subgraphs and this (load) process over a window. */
export class UsageWindow {
  private readonly start = Date.now();
  private readonly cpu0: { gateway: number; subgraphs: number; loader: NodeJS.CpuUsage; machine: { busy: number; total: number } };
  private readonly rss: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly gatewayPid: number | null, private readonly subgraphPids: number[]) {
    this.cpu0 = {
      gateway: gatewayPid ? cpuSeconds(gatewayPid) : 0,
      subgraphs: subgraphPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      loader: process.cpuUsage(),
      machine: machineJiffies(),
    };
    this.timer = setInterval(() => {
      if (gatewayPid) this.rss.push(statusKb(gatewayPid, 'VmRSS'));
    }, 250);
  }

  finish(): Usage {
    clearInterval(this.timer);
    const wall = (Date.now() - this.start) / 1000;
    const loader = process.cpuUsage(this.cpu0.loader);
    const machine = machineJiffies();
    const pct = (seconds: number) => Math.round((1000 * seconds) / wall) / 10;
    const rss = this.rss.filter((kb) => kb > 0);
    const gatewayCpu = this.gatewayPid ? pct(cpuSeconds(this.gatewayPid) - this.cpu0.gateway) : null;
    const subgraphsCpu = pct(this.subgraphPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - this.cpu0.subgraphs);
    const loaderCpu = pct((loader.user + loader.system) / 1e6);
    const machineBusy = Math.round((1000 * (machine.busy - this.cpu0.machine.busy)) / (machine.total - this.cpu0.machine.total)) / 10;
    const ours = (gatewayCpu ?? 0) + subgraphsCpu + loaderCpu;
    return {
      gatewayCpu,
      subgraphsCpu,
      loaderCpu,
      machineBusy,
      otherCpu: Math.max(0, Math.round(10 * (machineBusy * cpus().length - ours)) / 10),
      rssMeanMb: rss.length ? Math.round(rss.reduce((a, b) => a + b, 0) / rss.length / 102.4) / 10 : null,
      rssMaxMb: rss.length ? Math.round(Math.max(...rss) / 102.4) / 10 : null,
    };
  }
}

/** Peak resident set (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number {
  return Math.round(statusKb(pid, 'VmHWM') / 102.4) / 10;
}

/** Resident set (VmRSS) of a live process now, in MB; 0 when it is gone. */
export function rssMb(pid: number): number {
  return Math.round(statusKb(pid, 'VmRSS') / 102.4) / 10;
}
