import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the measurement started: others share this box. */
  loadAverage: [number, number, number];
  pinned: boolean;
  /** Facts about the machine that change what the figures mean (e.g. proactive page reclaim). */
  notes?: string[];
}

export function machineInfo(pinned: boolean): MachineInfo {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const [one, five, fifteen] = os.loadavg();
  return {
    nproc: os.cpus().length,
    cpuModel: model.trim(),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage: [round2(one ?? 0), round2(five ?? 0), round2(fifteen ?? 0)],
    pinned,
    notes: machineNotes(),
  };
}

/**
 * DAMON with a pageout scheme (seen on the VMs these figures come from) evicts cold pages,
 * page cache included: a 4 GB database file is then not kept in memory between requests.
 */
function machineNotes(): string[] {
  const notes: string[] = [];
  const base = '/sys/kernel/mm/damon/admin/kdamonds/0';
  const on = readOr(`${base}/state`, '').trim() === 'on';
  const action = readOr(`${base}/contexts/0/schemes/0/action`, '').trim();
  if (on && action === 'pageout')
    notes.push(
      'DAMON proactive reclaim (pageout) is on: cold page-cache pages are evicted, so large database files are only partly cached',
    );
  return notes;
}

export function currentLoad(): [number, number, number] {
  const [one, five, fifteen] = os.loadavg();
  return [round2(one ?? 0), round2(five ?? 0), round2(fifteen ?? 0)];
}

/** Server on core 0, load generator on core 1: only with taskset and at least two cores. */
export function canPin(): boolean {
  // Every core of the machine, not availableParallelism(): after the first backend this process
  // is pinned to one core, and the next backend must still be placed the same way.
  if (os.cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Moves this process (every thread of it) to one core; children spawned later inherit it. */
export function pinSelf(core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
