import type { Measurement } from '../../bench/measurement';
import type { BackendResult, RunResult } from '../../bench/results';
import { limitedBy, summarise } from '../../bench/summary';

const ORDER = ['S1', 'S2', 'S4', 'S5', 'S3', 'S6'] as const;

function measurement(rps: number, overrides: Partial<Measurement> = {}): Measurement {
  return {
    rps,
    p50: 1,
    p99: 5,
    maxLatency: 9,
    requests: rps * 10,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCounts: { 200: rps * 10 },
    rssMaxMb: 100,
    cpuPercent: 95,
    ...overrides,
  };
}

function result(backend: 'sqlite' | 'postgres', runs: RunResult[]): BackendResult {
  return {
    backend,
    size: 'small',
    clients: 10_000,
    exchanges: 100_000,
    seeder: 'crm seed',
    seedSeconds: 3,
    date: '2026-11-24T00:00:00.000Z',
    gitCommit: 'abc',
    machine: { nproc: 2, cpuModel: 'x', memoryGb: 1, node: 'v20', platform: 'Linux', loadAverage: [0, 0, 0], pinned: true },
    settings: { connections: 32, warmupSeconds: 3, durationSeconds: 10, runs: runs.length, logLevel: 'info' },
    generatorCeilingRps: 30_000,
    searchSql: 'search_text LIKE ?',
    runs,
  };
}

function run(n: number, scenarios: RunResult['scenarios']): RunResult {
  return { run: n, order: n % 2 ? 'app-first' : 'baseline-first', loadBefore: [1, 1, 1], scenarios };
}

describe('bench summary', () => {
  it('takes the median of the per-run ratios, not the ratio of the medians', () => {
    // Ratios per run: 0.5, 0.9, 0.55 -> median 0.55; the ratio of medians would be 500/1000 = 0.5.
    const summary = summarise(
      result('sqlite', [
        run(1, { S1: { app: measurement(500), baseline: measurement(1000) } }),
        run(2, { S1: { app: measurement(450), baseline: measurement(500) } }),
        run(3, { S1: { app: measurement(1100), baseline: measurement(2000) } }),
      ]),
      ['S1'],
    );
    expect(summary).toHaveLength(1);
    expect(summary[0]?.ratio).toBeCloseTo(0.55);
    expect(summary[0]?.ratioRange).toEqual([0.5, 0.9]);
    expect(summary[0]?.app.rps).toBe(500);
    expect(summary[0]?.baseline.rps).toBe(1000);
    expect(summary[0]?.misses).toEqual([]);
  });

  it('holds SQLite S2 and S4 to 60% and everything else to 50%', () => {
    const pair = { app: measurement(55), baseline: measurement(100) };
    const summary = summarise(result('sqlite', [run(1, { S1: pair, S2: pair, S4: pair, S5: pair })]), ['S1', 'S2', 'S4', 'S5']);
    expect(summary.map((s) => [s.id, s.misses.length])).toEqual([
      ['S1', 0],
      ['S2', 1],
      ['S4', 1],
      ['S5', 0],
    ]);
    expect(summary[1]?.misses[0]).toBe('55% of baseline < 60%');
  });

  it('holds PostgreSQL S1 and S5 to 80%, S2 and S4 to 75%, S3 to 70%, the mix to 50%', () => {
    const pair = { app: measurement(72), baseline: measurement(100) };
    const summary = summarise(result('postgres', [run(1, { S1: pair, S2: pair, S4: pair, S5: pair, S3: pair, S6: pair })]), ORDER);
    expect(summary.map((s) => [s.id, s.targetRatio, s.misses.length])).toEqual([
      ['S1', 0.8, 1],
      ['S2', 0.75, 1],
      ['S4', 0.75, 1],
      ['S5', 0.8, 1],
      ['S3', 0.7, 0],
      ['S6', 0.5, 0],
    ]);
  });

  it('names what limited each side from its CPU and that of the database server', () => {
    const side = (cpuPercent: number, dbCpuPercent?: number) => ({ rps: 1, p50: 1, p99: 1, rssMaxMb: 1, cpuPercent, dbCpuPercent });
    expect(limitedBy(side(95))).toBe('server CPU');
    expect(limitedBy(side(40))).toBe('waits (write lock, disk)');
    expect(limitedBy(side(70, 27))).toBe('server CPU (shared core)');
    expect(limitedBy(side(40, 55))).toBe('PostgreSQL CPU (shared core)');
    expect(limitedBy(side(30, 20))).toBe('round trips (core 50% busy)');
  });

  it('fails a scenario when any run had a non-2xx answer or an error, on either side', () => {
    const summary = summarise(
      result('postgres', [
        run(1, { S3: { app: measurement(900, { non2xx: 1 }), baseline: measurement(1000) } }),
        run(2, { S3: { app: measurement(900), baseline: measurement(1000, { errors: 2 }) } }),
        run(3, { S3: { app: measurement(900), baseline: measurement(1000) } }),
      ]),
      ['S3'],
    );
    expect(summary[0]?.failedRuns).toBe(2);
    expect(summary[0]?.misses).toEqual(['2 of 3 runs had errors or non-2xx answers']);
  });

  it('applies the 25 ms p99 limit to SQLite only', () => {
    const pair = { app: measurement(900, { p99: 30 }), baseline: measurement(1000) };
    expect(summarise(result('sqlite', [run(1, { S2: pair })]), ['S2'])[0]?.misses).toEqual(['p99 30.0 ms >= 25 ms (baseline p99 5.0 ms)']);
    expect(summarise(result('postgres', [run(1, { S2: pair })]), ['S2'])[0]?.misses).toEqual([]);
  });

  it('skips scenarios that were not measured', () => {
    expect(summarise(result('sqlite', [run(1, {})]), ['S1', 'S6'])).toEqual([]);
  });
});
