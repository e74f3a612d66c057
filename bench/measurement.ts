import type { DatabaseUsage } from './postgres-observer';
import type { ResourceUsage } from './resource-sampler';

/** One side (app or baseline) of one scenario in one run. */
export interface Measurement extends ResourceUsage, Partial<DatabaseUsage> {
  rps: number;
  /** Latencies in ms, from autocannon's own per-request timer, at full float precision. */
  p50: number;
  p99: number;
  maxLatency: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCounts: Record<string, number>;
}

/** A measurement with any error or non-2xx answer does not count: the run is reported failed. */
export function failed(measurement: Measurement): boolean {
  return measurement.errors > 0 || measurement.timeouts > 0 || measurement.non2xx > 0 || measurement.requests === 0;
}
