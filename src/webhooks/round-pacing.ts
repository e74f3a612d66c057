import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * Share of the time the event loop was busy between two rounds above which the API comes first.
 * A server saturated together with its PostgreSQL on the same machine reads well under 90%:
 * it waits for the database's answers, and since requests share statements (one round trip for
 * many) it waits less often and reads lower still. At 90% the rounds were never spaced there,
 * and creates with one webhook kept 0.81-0.84 of their throughput; at 70%, 1.0.
 */
const BUSY_UTILIZATION = 0.7;
/**
 * How much further apart rounds are while the API keeps the event loop busy: 200 ms with the
 * default 10 ms gap, at most 8 deliveries a round. With 40 ms the deliveries still took 15 to 25%
 * of a saturated server's create throughput (docs/webhooks.md); with 200 ms, 5 to 12%.
 */
const BUSY_GAP_FACTOR = 20;

/**
 * How far apart the dispatcher's rounds are. Each delivery costs this process about as much
 * as the write it announces (an HTTP request, its share of a transaction), so while requests
 * keep the event loop busy, rounds are spaced further apart: a burst of writes is answered
 * first and its deliveries catch up after it, instead of taking half of the API's capacity.
 */
export class RoundPacing {
  private busy = false;

  constructor(
    private readonly baseGapMs: number,
    private readonly utilizationSinceLast: () => number = loopUtilizationSinceLast(),
  ) {}

  /** At the start of a round: how busy the loop was since the previous one. */
  roundStarted(): void {
    this.busy = this.utilizationSinceLast() > BUSY_UTILIZATION;
  }

  get gapMs(): number {
    return this.busy ? this.baseGapMs * BUSY_GAP_FACTOR : this.baseGapMs;
  }
}

/** This process's event-loop utilization (0 to 1) since the previous call, or since its creation. */
export function loopUtilizationSinceLast(): () => number {
  let mark: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const since = performance.eventLoopUtilization(mark);
    mark = performance.eventLoopUtilization();
    return since.utilization;
  };
}
