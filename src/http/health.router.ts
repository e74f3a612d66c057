import Router from '@koa/router';
import type { BackupReporter } from '../services/backup-report';
import { checkHealth, type DatabaseProbe } from '../services/health-check';
import type { WebhookHealthReporter } from '../webhooks/webhook-health';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem';

export interface HealthRouterDeps {
  database: DatabaseProbe;
  /** Standing warnings, e.g. "no persistent disk" on Render: kept visible on every check. */
  warnings: readonly string[];
  /** Absent when backups are off. */
  backups?: BackupReporter;
  /** Counts of subscriptions and waiting deliveries. */
  webhooks?: WebhookHealthReporter;
}

export function createHealthRouter({ database, warnings, backups, webhooks }: HealthRouterDeps): Router {
  const router = new Router();
  router.get('/health', async (ctx) => {
    const report = await checkHealth(database, warnings, backups, webhooks);
    ctx.set('Cache-Control', 'no-store');
    if (report.status === 'ok') {
      ctx.body = report;
      return;
    }
    // Render and load balancers only read the status; people read the problem body.
    ctx.status = 503;
    ctx.body = problemBody(503, 'service_unavailable', 'The database does not answer', undefined, {
      storage: report.storage,
      backup: report.backup,
      warnings: report.warnings,
    });
    ctx.type = PROBLEM_CONTENT_TYPE;
  });
  return router;
}
