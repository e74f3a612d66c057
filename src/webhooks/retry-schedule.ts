/** How long every delivery to a subscription may fail before it is switched off. */
export const FAILING_LIMIT_MS = 24 * 60 * 60 * 1000;

/** ±10%: deliveries that failed together (an endpoint down for a minute) do not all return together. */
const JITTER = 0.1;

/**
 * When to try again after `attemptsMade` attempts (this one included) failed at `at`: after the
 * delay at that position of WEBHOOK_RETRY_DELAYS, with jitter; null once the delays are used up
 * (the delivery is then failed for good). `random` is in [0, 1).
 */
export function nextAttemptAt(
  attemptsMade: number,
  at: string,
  delays: readonly number[],
  random: () => number = Math.random,
): string | null {
  const delay = delays[attemptsMade - 1];
  if (delay === undefined) return null;
  const jittered = Math.round(delay * (1 - JITTER + 2 * JITTER * random()));
  return new Date(Date.parse(at) + jittered).toISOString();
}

/** A subscription failing since this instant or earlier, failing again at `at`, is switched off. */
export function failingCutoff(at: string): string {
  return new Date(Date.parse(at) - FAILING_LIMIT_MS).toISOString();
}
