import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The lines of an export file, gunzipped when it starts with the gzip magic bytes (whatever
 * its name). Read chunk by chunk, so memory holds one chunk and one line, not the file.
 */
export async function* readExportLines(file: string): AsyncGenerator<string> {
  const input = (await isGzip(file)) ? fs.createReadStream(file).pipe(createGunzip()) : fs.createReadStream(file);
  yield* splitLines(input);
}

/**
 * NDJSON lines of a byte stream. Written here rather than with readline because readline
 * drops the input stream's errors (a corrupt gzip) instead of throwing them to the reader,
 * and would also split on a lone "\r".
 */
export async function* splitLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending += decoder.write(chunk);
      let newline = pending.indexOf('\n');
      let start = 0;
      while (newline !== -1) {
        yield stripCr(pending.slice(start, newline));
        start = newline + 1;
        newline = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.end();
    if (pending !== '') yield stripCr(pending);
  } finally {
    input.destroy();
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

export interface ExportTarget {
  /** Where to pipe the export: [gzip?, file or stdout]. */
  streams: Writable[];
  /** Makes the file visible under its name; only after a complete export. */
  commit(): Promise<void>;
  /** Removes the partial file after a failure. */
  abandon(): Promise<void>;
}

/**
 * An export goes to FILE.partial and is renamed when complete, so a failed or interrupted
 * export never leaves a file that looks finished. No file: standard output.
 */
export function openExportTarget(file: string | undefined, gzip: boolean): ExportTarget {
  const compress = gzip ? [createGzip()] : [];
  if (file === undefined) {
    return { streams: [...compress, process.stdout], commit: async () => {}, abandon: async () => {} };
  }
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
  return {
    streams: [...compress, fs.createWriteStream(partial)],
    commit: () => fs.promises.rename(partial, file),
    abandon: () => fs.promises.rm(partial, { force: true }),
  };
}
