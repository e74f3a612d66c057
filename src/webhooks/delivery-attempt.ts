import type { Clock } from '../services/clock';
import type { AttemptResult } from './http-delivery';
import type { ClaimedDelivery, MadeAttempt } from './outbox-store';
import { failingCutoff, nextAttemptAt } from './retry-schedule';
import { deliveryBody, messageIdOf, signAttempt } from './signature';

/** Sends one signed attempt; never rejects. HttpDelivery in the server. */
export interface DeliveryTransport {
  post(url: string, headers: Readonly<Record<string, string>>, body: string, signal?: AbortSignal): Promise<AttemptResult>;
  close(): void;
}

export interface AttemptSettings {
  readonly transport: DeliveryTransport;
  readonly clock: Clock;
  /** WEBHOOK_RETRY_DELAYS, in milliseconds. */
  readonly retryDelays: readonly number[];
  readonly random?: () => number;
}

/**
 * Sends a claimed delivery once and says what to record: delivered, or failed with when to try
 * again (null after the last delay). Resolves with null when `signal` abandoned the attempt:
 * nothing is recorded, the lease expires and the delivery is sent again later.
 */
export async function attemptDelivery(
  delivery: ClaimedDelivery,
  settings: AttemptSettings,
  signal: AbortSignal,
): Promise<MadeAttempt | null> {
  const body = deliveryBody(delivery.type, delivery.eventCreatedAt, delivery.payload);
  // The signature's timestamp is the wall clock's: receivers compare it with theirs.
  const headers = signAttempt(delivery.secret, messageIdOf(delivery.id), new Date(), body);
  const result = await settings.transport.post(delivery.url, headers, body, signal);
  if (signal.aborted) return null;
  const at = settings.clock();
  if (result.delivered) return { delivery, delivered: { at, status: result.status } };
  return {
    delivery,
    failed: {
      at,
      status: result.status,
      error: result.error,
      nextAttemptAt: nextAttemptAt(delivery.attempts + 1, at, settings.retryDelays, settings.random),
      deactivateIfFailingSince: failingCutoff(at),
    },
  };
}
