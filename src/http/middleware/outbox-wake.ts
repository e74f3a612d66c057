import type { Middleware } from 'koa';
import type { OutboxSignal } from '../../services/outbox-signal';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After a write request succeeded, its transaction has committed: a webhook event it wrote is
 * visible, so wake the dispatcher now rather than at its next slow poll. Before the commit it
 * would find nothing. A write that wrote no event costs the dispatcher a glance at its cache.
 */
export function wakeOutboxAfterWrites(signal: OutboxSignal): Middleware {
  return async (ctx, next) => {
    await next();
    if (!READS.has(ctx.method) && ctx.status < 300) signal.notify();
  };
}
