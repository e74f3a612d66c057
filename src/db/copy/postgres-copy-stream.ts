import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { quoteIdentifier as q } from '../sql/quote-identifier';
import type { RowBatch } from './row-batch';
import type { TableSpec } from './table-specs';

const MESSAGE_BYTES = 64 * 1024;

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
    const bytes = batch.lines();
    let accepted = true;
    // Each write is one CopyData message, which the server reads whole before parsing it: small
    // messages let it start on a batch while the rest is still on the way. (Row boundaries do
    // not matter to COPY: the data is one byte stream.)
    for (let start = 0; start < bytes.length; start += MESSAGE_BYTES)
      accepted = this.stream.write(bytes.subarray(start, start + MESSAGE_BYTES));
    if (!accepted) await Promise.race([once(this.stream, 'drain'), this.done]);
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
