export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled before each next one (with jitter). */
  readonly firstDelayMs: number;
}

/** Minutes of outage are better waited out by the next scheduled backup than by retrying here. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 1000 };

/**
 * Runs `work` again after a growing pause while it fails with an error `isTransient` accepts;
 * a permanent error (a wrong bucket, refused credentials) and the last failure are thrown.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  isTransient: (error: unknown) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= policy.attempts || signal?.aborted || !isTransient(error)) throw error;
      const delay = policy.firstDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
