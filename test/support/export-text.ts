import { Readable, Writable } from 'node:stream';
import type { Database } from '../../src/db/open-database';
import { exportDatabase } from '../../src/transfer/export';
import { importDatabase, type ImportOptions } from '../../src/transfer/import';
import { splitLines } from '../../src/transfer/ndjson-files';

/** A fixed export time, so two exports of the same rows are the same bytes (header included). */
export const EXPORTED_AT = '2026-11-24T18:00:00.000Z';

/** The whole export of a database as text. */
export async function exportText(database: Database, batchSize?: number): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await exportDatabase(database, [sink], { now: () => EXPORTED_AT, batchSize });
  return Buffer.concat(chunks).toString('utf8');
}

/** Everything after the header line: what must be identical whatever the backend. */
export function body(exported: string): string {
  return exported.slice(exported.indexOf('\n') + 1);
}

export function importText(database: Database, text: string, options?: ImportOptions) {
  return importDatabase(database, splitLines(Readable.from([Buffer.from(text, 'utf8')])), options);
}

export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['clients', 'client_tags', 'exchanges', 'clients_trash', 'exchanges_trash', 'history']) {
    const [row] = await database.knex(table).count<Array<{ n: number | string }>>({ n: '*' });
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}
