import type { Backend } from './bench-database';
import { failed, type Measurement } from './measurement';
import type { BackendResult } from './results';
import type { ScenarioId } from './scenarios';
import { median, ratio } from './stats';

export interface SideSummary {
  rps: number;
  p50: number;
  p99: number;
  rssMaxMb: number;
  cpuPercent: number;
  /** PostgreSQL only: the server's CPU (% of one core) and its busy connections while this side was driven. */
  dbCpuPercent?: number;
  dbBusyAvg?: number;
  dbBusyMax?: number;
}

export interface ScenarioSummary {
  id: ScenarioId;
  runs: number;
  failedRuns: number;
  app: SideSummary;
  baseline: SideSummary;
  /** Median of the per-run app/baseline req/s ratios. */
  ratio: number;
  /** Lowest and highest per-run ratio: how much the shared machine moved the figure. */
  ratioRange: [number, number];
  /** The lowest median ratio to the baseline this scenario may reach (targetRatio). */
  targetRatio: number;
  /** Targets this scenario misses, in words; empty when it meets them all. */
  misses: string[];
}

const SQLITE_P99_LIMIT_MS = 25;

/**
 * The ratio to the baseline each scenario must reach. SQLite: 60% for S2 and S4 (a client by id,
 * a timeline), 50% elsewhere. PostgreSQL, against a baseline at the database's limit (named
 * statements, one-statement creates): 80% for S1 and S5, 75% for S2 and S4, 70% for S3.
 */
const POSTGRES_TARGETS: Partial<Record<ScenarioId, number>> = { S1: 0.8, S2: 0.75, S4: 0.75, S5: 0.8, S3: 0.7 };

function targetRatio(id: ScenarioId, backend: Backend): number {
  if (backend === 'postgres') return POSTGRES_TARGETS[id] ?? 0.5;
  return id === 'S2' || id === 'S4' ? 0.6 : 0.5;
}

export function summarise(result: BackendResult, order: readonly ScenarioId[]): ScenarioSummary[] {
  const summaries: ScenarioSummary[] = [];
  for (const id of order) {
    const pairs = result.runs.map((run) => run.scenarios[id]).filter((pair) => pair !== undefined);
    if (pairs.length === 0) continue;
    const ratios = pairs.map((pair) => ratio(pair.app.rps, pair.baseline.rps));
    const failedRuns = pairs.filter((pair) => failed(pair.app) || failed(pair.baseline)).length;
    const summary: ScenarioSummary = {
      id,
      runs: pairs.length,
      failedRuns,
      app: side(pairs.map((pair) => pair.app)),
      baseline: side(pairs.map((pair) => pair.baseline)),
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      targetRatio: targetRatio(id, result.backend),
      misses: [],
    };
    summary.misses = misses(summary, result.backend);
    summaries.push(summary);
  }
  return summaries;
}

function side(measurements: Measurement[]): SideSummary {
  return {
    rps: median(measurements.map((m) => m.rps)),
    p50: median(measurements.map((m) => m.p50)),
    p99: median(measurements.map((m) => m.p99)),
    rssMaxMb: Math.max(...measurements.map((m) => m.rssMaxMb)),
    cpuPercent: median(measurements.map((m) => m.cpuPercent)),
    ...(measurements.every((m) => m.dbCpuPercent !== undefined) && {
      dbCpuPercent: median(measurements.map((m) => m.dbCpuPercent as number)),
      dbBusyAvg: median(measurements.map((m) => m.dbBusyAvg as number)),
      dbBusyMax: Math.max(...measurements.map((m) => m.dbBusyMax as number)),
    }),
  };
}

/** Above this share of one core, a process (or a core shared by two) is the bottleneck. */
const SATURATED_PERCENT = 85;

/**
 * What held a side back. With PostgreSQL pinned to the core of the server under test, that
 * core does the work of both: when it is saturated, the larger share is the limit; when it is
 * not, requests spend their time waiting on round trips (or, on SQLite, on the write lock).
 */
export function limitedBy(side: SideSummary): string {
  if (side.dbCpuPercent === undefined) return side.cpuPercent >= SATURATED_PERCENT ? 'server CPU' : 'waits (write lock, disk)';
  const core = side.cpuPercent + side.dbCpuPercent;
  if (core < SATURATED_PERCENT) return `round trips (core ${Math.round(core)}% busy)`;
  return side.cpuPercent >= side.dbCpuPercent ? 'server CPU (shared core)' : 'PostgreSQL CPU (shared core)';
}

function misses(summary: ScenarioSummary, backend: Backend): string[] {
  const found: string[] = [];
  if (summary.failedRuns > 0) found.push(`${summary.failedRuns} of ${summary.runs} runs had errors or non-2xx answers`);
  if (!(summary.ratio >= summary.targetRatio)) {
    found.push(`${percent(summary.ratio)} of baseline < ${percent(summary.targetRatio)}`);
  }
  if (backend === 'sqlite' && !(summary.app.p99 < SQLITE_P99_LIMIT_MS)) {
    // The baseline's own p99 says whether the limit is reachable at all at 32 connections.
    found.push(`p99 ${summary.app.p99.toFixed(1)} ms >= ${SQLITE_P99_LIMIT_MS} ms (baseline p99 ${summary.baseline.p99.toFixed(1)} ms)`);
  }
  return found;
}

export function percent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 100)}%` : 'n/a';
}

/**
 * Large-size limits: a read's p50 at 1,000,000 clients stays within 1.5x of its p50 at 10,000
 * (a hundred times the rows must not cost much more per request); the search p50 and the server's
 * peak RSS have fixed ceilings.
 */
export const SCALE_LIMIT = 1.5;
export const LARGE_SEARCH_P50_LIMIT_MS = 20;
export const LARGE_RSS_LIMIT_MB = 250;
