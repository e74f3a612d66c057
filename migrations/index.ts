import { createClients } from './0001_create_clients';
import { createExchanges } from './0002_create_exchanges';
import { createIdempotencyKeys } from './0003_create_idempotency_keys';
import { clientSearchIndex } from './0004_client_search_index';
import { clientSearchScanIndex } from './0005_client_search_scan_index';
import { clientSearchStatistics } from './0006_client_search_statistics';
import { trashAndHistory } from './0007_trash_and_history';
import { webhooks } from './0008_webhooks';
import { clientDuplicateKeys } from './0009_client_duplicate_keys';
import { importJobs } from './0010_import_jobs';
import type { Migration } from './migration';

/**
 * The ordered list umzug runs. An explicit list rather than a glob: it works the same from
 * TypeScript sources under jest and from compiled JavaScript in dist/.
 */
export const migrations: readonly Migration[] = [
  createClients,
  createExchanges,
  createIdempotencyKeys,
  clientSearchIndex,
  clientSearchScanIndex,
  clientSearchStatistics,
  trashAndHistory,
  webhooks,
  clientDuplicateKeys,
  importJobs,
];
