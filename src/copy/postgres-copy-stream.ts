import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { quoteIdentifier as q } from './database-endpoint';
import type { RowBatch } from './row-batch';
import type { TableSpec } from './table-specs';

/**
 * One `COPY table FROM STDIN` on the session's connection, fed the batches' canonical lines
 * (which are COPY's text format). Writes wait for the socket to drain, so a reader faster than
 * PostgreSQL never piles rows up in memory; a rejected row (a constraint, a bad value) surfaces
 * on the next write or on end().
 */
export class PostgresCopyIn {
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;

  constructor(client: pg.ClientBase, table: TableSpec) {
    const columns = table.columns.map((column) => q(column.name)).join(', ');
    this.stream = client.query(copyFrom(`COPY ${q(table.name)} (${columns}) FROM STDIN`));
    this.done = finished(this.stream);
    // Observed here so a failure before anyone awaits it is not an unhandled rejection.
    this.done.catch(() => undefined);
  }

  async write(batch: RowBatch): Promise<void> {
    if (this.stream.write(batch.lines())) return;
    await Promise.race([once(this.stream, 'drain'), this.done]);
  }

  async end(): Promise<void> {
    this.stream.end();
    await this.done;
  }
}

/** `COPY (query) TO STDOUT` collected into one buffer: the query bounds its size (LIMIT). */
export async function copyOut(client: pg.ClientBase, query: string): Promise<Buffer> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
