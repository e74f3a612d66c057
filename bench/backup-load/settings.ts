import path from 'node:path';
import type { Backend } from '../bench-database';
import type { DatabaseUsage } from '../postgres-observer';
import type { ResourceUsage } from '../resource-sampler';
import { RESULTS_DIR, type RunProvenance } from '../results';
import { ROOT } from '../seed-database';

/** The settings and result shapes of `npm run bench:backup` (bench/backup-under-load.ts). */

export const SEED = 42;
export const DOCUMENTED = { clients: 1_000_000, exchanges: 5_000_000, connections: 32, warmupSeconds: 5, durationSeconds: 15 };
/** Long enough that only the first backup (30 s after start-up, the schedule's own delay) falls in the run. */
export const BACKUP_INTERVAL = '1h';
/** Load is applied in slices of this length; the backup's end is noticed between slices. */
export const SLICE_SECONDS = 5;
/** A backup still running after this long fails the measurement. */
export const BACKUP_TIMEOUT_MS = 30 * 60_000;
export const POLL_MS = 200;
export const RESULT_FILE = path.join(RESULTS_DIR, 'backup-under-load.json');
export const DOC = path.join(ROOT, 'docs/benchmarks-backup.md');

export const USAGE = `usage: npm run bench:backup -- [--backend sqlite|postgres|both] [--clients 1000000] [--exchanges 5x clients]
  [--connections 32] [--warmup 5] [--duration 15] [--keep] [--report-only]`;

export interface Options {
  backends: Backend[];
  clients: number;
  exchanges: number;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  keep: boolean;
  reportOnly: boolean;
}

/** The API seen over one stretch of time. */
export interface WindowFigures extends Partial<ResourceUsage>, Partial<DatabaseUsage> {
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  maxLatency: number;
  /** Connection errors, timeouts and non-2xx answers over the slices that overlap the window. */
  failures: number;
}

export interface BackupFigures {
  kind: 'sqlite' | 'export';
  durationMs: number;
  bytes: number;
  file: string;
}

export interface BackendBackupResult extends RunProvenance {
  builtAt: string;
  loadBefore: [number, number, number];
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; backupInterval: string; sliceSeconds: number };
  backup: BackupFigures;
  without: WindowFigures;
  during: WindowFigures;
  after: WindowFigures;
  /** p99 during the backup over p99 without it; the target is below 2. */
  p99Ratio: number;
  pass: boolean;
}

export type ResultFile = Partial<Record<Backend, BackendBackupResult>>;
