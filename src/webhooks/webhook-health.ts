import type { Clock } from '../services/clock';
import type { OutboxStore } from './outbox-store';

/** What /health says about webhooks: counts only, never a URL or a secret. */
export interface WebhookHealth {
  readonly active: number;
  /** Subscriptions switched off because every delivery to them failed for 24 hours. */
  readonly deactivated: number;
  /** Deliveries to active subscriptions waiting for an attempt (retries included). */
  readonly pendingDeliveries: number;
  /** Age of the oldest event not yet delivered to an active subscription; null when none waits. */
  readonly oldestPendingSeconds: number | null;
}

export interface WebhookHealthReporter {
  report(): Promise<WebhookHealth>;
}

export function webhookHealthReporter(store: Pick<OutboxStore, 'stats'>, clock: Clock): WebhookHealthReporter {
  return {
    async report() {
      const { oldestPendingAt, ...counts } = await store.stats();
      const oldestPendingSeconds =
        oldestPendingAt === null ? null : Math.max(0, Math.floor((Date.parse(clock()) - Date.parse(oldestPendingAt)) / 1000));
      return { ...counts, oldestPendingSeconds };
    },
  };
}

/** The warning /health lists; operators can alert on "switched off". */
export function webhookWarnings(report: WebhookHealth | null): string[] {
  if (!report || report.deactivated === 0) return [];
  return [`${report.deactivated} webhook subscription(s) switched off after 24 hours of failed deliveries`];
}
