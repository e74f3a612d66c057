import Koa, { type Middleware } from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Config } from './config/config';
import { SqlImportStore } from './db/adapters/sql-import-store';
import { SqlUnitOfWork } from './db/adapters/sql-unit-of-work';
import { SqlWebhookOutbox } from './db/adapters/sql-webhook-outbox';
import { databaseProbe } from './db/database-probe';
import { configurePhoneRegion } from './domain/duplicate-keys';
import type { Database } from './db/open-database';
import { API_PREFIX, createClientsRouter } from './http/clients.router';
import { createDocsRouter } from './http/docs.router';
import { createExchangesRouter } from './http/exchanges.router';
import { createHealthRouter } from './http/health.router';
import { bearerAuth } from './http/middleware/auth';
import { cors } from './http/middleware/cors';
import { jsonBody } from './http/middleware/json-body';
import { wakeOutboxAfterWrites } from './http/middleware/outbox-wake';
import { rateLimit } from './http/middleware/rate-limit';
import { readOnlyGuard } from './http/middleware/read-only';
import { requestBoundary } from './http/middleware/request-boundary';
import { answerUnmatchedRoutes } from './http/middleware/route-fallback';
import { scoped } from './http/middleware/scoped';
import { createOpenApiRouter } from './http/openapi.router';
import { createImportsRouter, isCsvUpload } from './http/imports.router';
import { createTrashRouter } from './http/trash.router';
import { createWebhooksRouter, type SubscriptionsWatcher } from './http/webhooks.router';
import type { BackupReporter } from './services/backup-report';
import { ClientMergeService } from './services/client-merge.service';
import { ClientService } from './services/client.service';
import { DuplicatesService } from './services/duplicates.service';
import { systemClock, type Clock } from './services/clock';
import { ExchangeService } from './services/exchange.service';
import { HistoryService } from './services/history.service';
import { IdempotencyService } from './services/idempotency.service';
import { ImportService } from './services/import.service';
import { NO_OUTBOX_SIGNAL, type OutboxSignal } from './services/outbox-signal';
import { TrashService } from './services/trash.service';
import { WebhookService } from './services/webhook.service';
import { webhookHealthReporter } from './webhooks/webhook-health';

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: Database;
  /** Standing storage warnings shown by /health (e.g. no persistent disk on Render). */
  storageWarnings?: readonly string[];
  /** True once the server is shutting down: responses then close their connection. */
  isDraining?: () => boolean;
  /** The backup schedule, when backups are on: /health reports it. */
  backups?: BackupReporter;
  /** Wakes the webhook dispatcher after writes that may have events; none in tests without one. */
  outboxSignal?: OutboxSignal;
  /** The dispatcher, when it runs in this process: told when a subscription is created or switched on here. */
  webhookSubscriptions?: SubscriptionsWatcher;
  clock?: Clock;
}

/**
 * The routers the app serves, built over one set of services. Exported so tests can enumerate
 * every route (e.g. to prove each one under /api/v1 demands a key) instead of listing them.
 */
export function createRouters(deps: AppDeps): Router[] {
  const clock = deps.clock ?? systemClock;
  // The transaction-scope checks cost every promise an async hook: tests and development only.
  const uow = new SqlUnitOfWork(deps.database.sql, deps.database.dialect, { checkTransactionScope: deps.config.env !== 'production' });
  const trashSettings = { retentionDays: deps.config.trash.retentionDays };
  const clients = new ClientService(uow, clock, trashSettings);
  const exchanges = new ExchangeService(uow, clock, trashSettings);
  const idempotency = new IdempotencyService(uow, clock);
  const history = new HistoryService(uow);
  const trash = new TrashService(uow, clock, trashSettings);
  const webhookSettings = { allowPrivateNetworks: deps.config.webhooks.allowPrivateNetworks };
  const webhooks = new WebhookService(uow, clock, webhookSettings, deps.outboxSignal ?? NO_OUTBOX_SIGNAL);
  const importStore = new SqlImportStore(deps.database.sql, deps.database.dialect, deps.database.tools);
  const merges = new ClientMergeService(uow, clock, trashSettings);
  return [
    createHealthRouter({
      database: databaseProbe(deps.database),
      warnings: deps.storageWarnings ?? [],
      backups: deps.backups,
      webhooks: webhookHealthReporter(new SqlWebhookOutbox(deps.database.sql, deps.database.dialect), clock),
    }),
    createOpenApiRouter(),
    createDocsRouter(),
    createClientsRouter({
      clients,
      exchanges,
      idempotency,
      history,
      merges,
      duplicates: new DuplicatesService(uow),
      csvExport: { uow, clock },
    }),
    createExchangesRouter({ exchanges, history }),
    createTrashRouter({ trash }),
    createWebhooksRouter({ webhooks, idempotency, subscriptions: deps.webhookSubscriptions }),
    createImportsRouter({ imports: new ImportService(importStore, clock), bodyLimit: deps.config.imports.bodyLimit }),
  ];
}

/** Builds the Koa application without listening, so tests drive app.callback() directly. */
export function createApp(deps: AppDeps): Koa {
  // Phone duplicate keys read local numbers in this region (set here too for apps built in tests).
  configurePhoneRegion(deps.config.phone.defaultRegion);
  const app = new Koa({ proxy: true });
  // Errors are answered by requestBoundary; koa's default printer would log them a second time.
  app.silent = true;

  const routers = createRouters(deps);

  // Request id, response headers, errors as problem details and the access line, in one frame.
  app.use(requestBoundary(deps.logger, deps.isDraining));
  // Preflights carry no credentials: CORS answers them before authentication can refuse them.
  app.use(cors(deps.config.server.corsOrigins));
  // Authenticate before reading a body: an anonymous caller cannot make us buffer a megabyte.
  // The rate limit counts per key, so it needs the key bearerAuth has just checked. Guards that
  // are switched off are not mounted at all: this chain runs on every API request.
  const { server } = deps.config;
  const apiGuards: Middleware[] = [bearerAuth(deps.config.auth.disabled ? [] : deps.config.auth.apiKeys)];
  if (server.rateLimitPerMinute > 0) apiGuards.push(rateLimit(server.rateLimitPerMinute));
  if (server.readOnly) apiGuards.push(readOnlyGuard(true));
  // A CSV upload is read by its route, up to IMPORT_BODY_LIMIT.
  apiGuards.push(jsonBody(server.bodyLimit, isCsvUpload));
  if (deps.outboxSignal) apiGuards.push(wakeOutboxAfterWrites(deps.outboxSignal));
  app.use(scoped(API_PREFIX, apiGuards));
  // One router holding every route: a request is matched once, not once per router; what it
  // cannot route becomes a 404 or 405 there.
  const root = answerUnmatchedRoutes(new Router());
  for (const router of routers) root.use(router.routes());
  app.use(root.routes());
  return app;
}
