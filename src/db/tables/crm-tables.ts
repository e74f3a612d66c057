import { clientTagsTable } from './client-tags.table';
import { clientsTable } from './clients.table';
import { exchangesTable } from './exchanges.table';
import { historyTable } from './history.table';
import { idempotencyKeysTable } from './idempotency-keys.table';
import { importJobChangesTable, importJobsTable } from './import-jobs.tables';
import type { Table } from './table-definition';
import { clientsTrashTable, exchangesTrashTable } from './trash.tables';
import { webhookDeliveriesTable, webhookEventsTable, webhooksTable } from './webhooks.tables';

/** Every table holding CRM data, a parent before its children: the order to fill them in. */
export const CRM_TABLES: readonly Table[] = [
  clientsTable,
  clientTagsTable,
  exchangesTable,
  idempotencyKeysTable,
  clientsTrashTable,
  exchangesTrashTable,
  historyTable,
  webhooksTable,
  webhookEventsTable,
  webhookDeliveriesTable,
  importJobsTable,
  importJobChangesTable,
];
