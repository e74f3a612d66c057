import type { Client } from '../domain/client';
import type { Exchange } from '../domain/exchange';
import type { Dialect, DialectTools } from '../db/dialects';
import type { SqlSession } from '../db/sql/sql-executor';
import { clientTagRows, type ClientTagRow } from '../db/tables/client-tags.table';
import { clientToRow, type ClientRow } from '../db/tables/clients.table';
import { exchangeToRow, type ExchangeRow } from '../db/tables/exchanges.table';

export interface WrittenCounts {
  clients: number;
  exchanges: number;
}

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
  private readonly counts: WrittenCounts = { clients: 0, exchanges: 0 };
  private clients: ClientRow[] = [];
  private tags: ClientTagRow[] = [];
  private exchanges: ExchangeRow[] = [];
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

  /** Writes whatever is still buffered and waits until it is in the database. */
  async flush(): Promise<Readonly<WrittenCounts>> {
    await this.flushClients();
    await this.flushExchanges();
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
