import type { Client } from '../domain/client';
import type { Exchange } from '../domain/exchange';
import type { HistoryEntry } from '../domain/history';
import type { Dialect, DialectTools } from '../db/dialects';
import type { SqlSession } from '../db/sql/sql-executor';
import { clientTagRows, type ClientTagRow } from '../db/tables/client-tags.table';
import { clientToRow, type ClientRow } from '../db/tables/clients.table';
import { exchangeToRow, type ExchangeRow } from '../db/tables/exchanges.table';
import { historyRow, historyTable } from '../db/tables/history.table';
import { clientsTrashTable, exchangesTrashTable } from '../db/tables/trash.tables';
import { emptyCounts, type ExportCounts } from './format';

export type WrittenCounts = ExportCounts;

/** Tables without foreign keys, written in batches of their own: the trash and the history. */
type LooseTable = 'trashedClients' | 'trashedExchanges' | 'history';
const LOOSE_TABLES: Readonly<Record<LooseTable, string>> = {
  trashedClients: clientsTrashTable.name,
  trashedExchanges: exchangesTrashTable.name,
  history: historyTable.name,
};

export interface BulkWriterOptions {
  /** Rows held in memory per table before they are written; bounds memory whatever the total. */
  batchSize?: number;
  /** Called after each batch reaches the database. */
  onFlush?: (counts: Readonly<WrittenCounts>) => void;
}

/**
 * Buffers records and writes them in batches through the dialect's bulk insert, in the session's
 * transaction: clients (and their client_tags rows) always before any exchange that follows
 * them, so foreign keys hold.
 */
export class BulkWriter {
  private readonly counts: WrittenCounts = emptyCounts();
  private clients: ClientRow[] = [];
  private tags: ClientTagRow[] = [];
  private exchanges: ExchangeRow[] = [];
  private readonly loose: Record<LooseTable, Array<Record<string, unknown>>> = { trashedClients: [], trashedExchanges: [], history: [] };
  private readonly batchSize: number;
  /** The batch being written while the next one is built (a network database works meanwhile). */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: SqlSession,
    private readonly dialect: Dialect,
    private readonly tools: DialectTools,
    private readonly options: BulkWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
  }

  get written(): Readonly<WrittenCounts> {
    return { ...this.counts };
  }

  async addClient(client: Client): Promise<void> {
    this.clients.push(clientToRow(client, this.dialect));
    for (const row of clientTagRows(client)) this.tags.push(row);
    if (this.clients.length >= this.batchSize) await this.flushClients();
  }

  async addExchange(exchange: Exchange): Promise<void> {
    if (this.clients.length > 0) await this.flushClients();
    this.exchanges.push(exchangeToRow(exchange, this.dialect));
    if (this.exchanges.length >= this.batchSize) await this.flushExchanges();
  }

  /** A trashed client: its row as the live table has it, and when it was deleted (no client_tags rows). */
  async addTrashedClient(client: Client, deletedAt: string): Promise<void> {
    await this.addLoose('trashedClients', { ...clientToRow(client, this.dialect), deleted_at: this.dialect.toDbTimestamp(deletedAt) });
  }

  /** A trashed exchange; trashedWithClient names the client it went to the trash with, if any. */
  async addTrashedExchange(exchange: Exchange, deletedAt: string, trashedWithClient: string | null): Promise<void> {
    await this.addLoose('trashedExchanges', {
      ...exchangeToRow(exchange, this.dialect),
      deleted_at: this.dialect.toDbTimestamp(deletedAt),
      trashed_with_client: trashedWithClient,
    });
  }

  async addHistory(entry: HistoryEntry): Promise<void> {
    await this.addLoose('history', historyRow(entry, this.dialect));
  }

  /** Writes whatever is still buffered and waits until it is in the database. */
  async flush(): Promise<Readonly<WrittenCounts>> {
    await this.flushClients();
    await this.flushExchanges();
    for (const table of Object.keys(LOOSE_TABLES) as LooseTable[]) await this.flushLoose(table);
    await this.inFlight;
    this.options.onFlush?.(this.written);
    return this.written;
  }

  private async flushClients(): Promise<void> {
    if (this.clients.length === 0) return;
    const clients = this.clients;
    const tags = this.tags;
    this.clients = [];
    this.tags = [];
    await this.start(async () => {
      await this.tools.bulkInsert(this.session, 'clients', clients);
      await this.tools.bulkInsert(this.session, 'client_tags', tags);
      this.counts.clients += clients.length;
    });
  }

  private async flushExchanges(): Promise<void> {
    if (this.exchanges.length === 0) return;
    const exchanges = this.exchanges;
    this.exchanges = [];
    await this.start(async () => {
      await this.tools.bulkInsert(this.session, 'exchanges', exchanges);
      this.counts.exchanges += exchanges.length;
    });
  }

  private async addLoose(table: LooseTable, row: Record<string, unknown>): Promise<void> {
    const rows = this.loose[table];
    rows.push(row);
    if (rows.length >= this.batchSize) await this.flushLoose(table);
  }

  private async flushLoose(table: LooseTable): Promise<void> {
    const rows = this.loose[table];
    if (rows.length === 0) return;
    this.loose[table] = [];
    await this.start(async () => {
      await this.tools.bulkInsert(this.session, LOOSE_TABLES[table], rows);
      this.counts[table] += rows.length;
    });
  }

  /**
   * Waits for the previous batch (so batches land in order and its error surfaces here), then
   * starts this one without waiting for it.
   */
  private async start(write: () => Promise<void>): Promise<void> {
    await this.inFlight;
    this.options.onFlush?.(this.written);
    this.inFlight = write();
    // Awaited by the next flush; this only keeps a failure that lands before then from being
    // reported as an unhandled rejection.
    this.inFlight.catch(() => {});
  }
}
