import autocannon from 'autocannon';
import type { Measurement } from './measurement';
import type { DatabaseUsage, PostgresObserver } from './postgres-observer';
import { sampleResources, type ResourceUsage } from './resource-sampler';
import type { BenchRequest } from './scenarios';
import { latencySummary, SampleBuffer } from './stats';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  apiKey: string;
}

/**
 * Warm-up (discarded, lets V8 optimise and caches fill), then the timed run with the server's
 * RSS and CPU sampled. Latency is recorded from the 'response' event rather than autocannon's
 * histogram, which keeps whole milliseconds only: p50 here is often 1 to 5 ms.
 */
export async function measure(
  baseUrl: string,
  serverPid: number,
  nextRequest: () => BenchRequest,
  settings: LoadSettings,
): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await drive(baseUrl, nextRequest, settings, settings.warmupSeconds, null);
  const sampler = sampleResources(serverPid);
  const latencies = new SampleBuffer();
  const result = await drive(baseUrl, nextRequest, settings, settings.durationSeconds, latencies);
  const usage = sampler.stop();
  const summary = latencySummary(latencies.values());
  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = count ?? 0;
  return {
    rps: Math.round((latencies.length / result.duration) * 10) / 10,
    p50: round3(summary.p50),
    p99: round3(summary.p99),
    maxLatency: round3(summary.max),
    requests: latencies.length,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
    ...usage,
  };
}

/** One server of a pair: where it listens, its pid (for CPU and RSS) and its request stream. */
export interface PairSide {
  baseUrl: string;
  pid: number;
  nextRequest: () => BenchRequest;
}

/** Measured seconds are split into slices of about this length, alternated between the two sides. */
const SLICE_SECONDS = 2;

/**
 * Both servers are warmed up, then measured in alternating slices (A B, B A, A B, ...) until each
 * has had durationSeconds. On a shared machine the speed drifts by tens of percent over tens of
 * seconds; measured back to back, one side could get a fast stretch and the other a slow one,
 * while interleaved slices give both the same mix. Figures are over all of a side's slices.
 */
export async function measurePair(
  first: PairSide,
  second: PairSide,
  settings: LoadSettings,
  database?: PostgresObserver,
): Promise<[Measurement, Measurement]> {
  for (const side of [first, second]) {
    if (settings.warmupSeconds > 0) await drive(side.baseUrl, side.nextRequest, settings, settings.warmupSeconds, null);
  }
  const slices = Math.max(1, Math.round(settings.durationSeconds / SLICE_SECONDS));
  const sliceSeconds = settings.durationSeconds / slices;
  const totals = [first, second].map(() => new PairTotals());
  for (let slice = 0; slice < slices; slice++) {
    const order = slice % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const side = index === 0 ? first : second;
      const totalsOfSide = totals[index] as PairTotals;
      const sampler = sampleResources(side.pid);
      const databaseSampler = database?.sample();
      const result = await drive(side.baseUrl, side.nextRequest, settings, sliceSeconds, totalsOfSide.latencies);
      totalsOfSide.add(result, sampler.stop(), await databaseSampler?.stop());
    }
  }
  return [(totals[0] as PairTotals).measurement(), (totals[1] as PairTotals).measurement()];
}

class PairTotals {
  readonly latencies = new SampleBuffer();
  private seconds = 0;
  private cpuSeconds = 0;
  private rssMaxMb = 0;
  private errors = 0;
  private timeouts = 0;
  private non2xx = 0;
  private readonly statusCounts: Record<string, number> = {};
  private database: { cpuSeconds: number; busySeconds: number; busyMax: number } | null = null;

  add(result: autocannon.Result, usage: ResourceUsage, database: DatabaseUsage | undefined): void {
    this.seconds += result.duration;
    this.cpuSeconds += (usage.cpuPercent / 100) * result.duration;
    if (database) {
      this.database ??= { cpuSeconds: 0, busySeconds: 0, busyMax: 0 };
      this.database.cpuSeconds += (database.dbCpuPercent / 100) * result.duration;
      this.database.busySeconds += database.dbBusyAvg * result.duration;
      this.database.busyMax = Math.max(this.database.busyMax, database.dbBusyMax);
    }
    this.rssMaxMb = Math.max(this.rssMaxMb, usage.rssMaxMb);
    this.errors += result.errors;
    this.timeouts += result.timeouts;
    this.non2xx += result.non2xx;
    for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
      this.statusCounts[code] = (this.statusCounts[code] ?? 0) + (count ?? 0);
    }
  }

  measurement(): Measurement {
    const summary = latencySummary(this.latencies.values());
    return {
      rps: Math.round((this.latencies.length / this.seconds) * 10) / 10,
      p50: round3(summary.p50),
      p99: round3(summary.p99),
      maxLatency: round3(summary.max),
      requests: this.latencies.length,
      errors: this.errors,
      timeouts: this.timeouts,
      non2xx: this.non2xx,
      statusCounts: this.statusCounts,
      rssMaxMb: this.rssMaxMb,
      cpuPercent: Math.round((this.cpuSeconds / this.seconds) * 1000) / 10,
      ...(this.database && {
        dbCpuPercent: Math.round((this.database.cpuSeconds / this.seconds) * 1000) / 10,
        dbBusyAvg: Math.round((this.database.busySeconds / this.seconds) * 10) / 10,
        dbBusyMax: this.database.busyMax,
      }),
    };
  }
}

export async function drive(
  baseUrl: string,
  nextRequest: () => BenchRequest,
  settings: LoadSettings,
  seconds: number,
  latencies: SampleBuffer | null,
): Promise<autocannon.Result> {
  let done!: (error: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result));
  });
  const options: autocannon.Options = {
    url: baseUrl,
    connections: settings.connections,
    duration: seconds,
    headers: { authorization: `Bearer ${settings.apiKey}`, accept: 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const next = nextRequest();
          if (next.body === undefined) return { ...request, method: next.method, path: next.path };
          return {
            ...request,
            method: next.method,
            path: next.path,
            body: next.body,
            headers: { ...request.headers, 'content-type': 'application/json' },
          };
        },
      },
    ],
  };
  const instance = autocannon(options, (error, result) => done(error, result));
  if (latencies) {
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      // autocannon's own rule: only 2xx latencies count; the others fail the run anyway.
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  }
  return finished;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
