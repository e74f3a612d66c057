import autocannon from 'autocannon';
import type { Measurement } from './measurement';
import { sampleResources } from './resource-sampler';
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
export async function measure(baseUrl: string, serverPid: number, nextRequest: () => BenchRequest, settings: LoadSettings): Promise<Measurement> {
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

async function drive(
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
