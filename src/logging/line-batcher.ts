import fs from 'node:fs';
import type { DestinationStream } from 'pino';

/** What the batcher writes to: pino's sonic-boom destination, or anything with the same calls. */
export interface FlushableStream extends DestinationStream {
  flushSync(): void;
}

/** About 100 access lines: one write(2) instead of a hundred. */
const BATCH_CHARS = 16_384;
/** Lines wait at most this long when traffic is too light to fill a batch. */
const FLUSH_INTERVAL_MS = 1000;
/** At exit a non-blocking pipe may refuse a write for a moment; retry this long at most. */
const EXIT_WRITE_PATIENCE_MS = 1000;

/**
 * Collects log lines and hands them to the destination a batch at a time. sonic-boom can batch
 * on its own (minLength), but it appends every line to one growing string and measures that
 * string's byte length on each write: measured at 2 to 3 µs a line, more than pino takes to
 * format it. An array joined once per batch costs a fraction of that; sonic-boom still does the
 * writing (partial writes, EAGAIN on pipes).
 *
 * Used for the access log only: application logs (errors above all) go straight through.
 * What is buffered is written when the process ends, whatever the cause but SIGKILL: handed to
 * the destination while the event loop still runs ('beforeExit'), written synchronously to
 * the file descriptor at 'exit', where an asynchronous write would never complete.
 */
export class LineBatcher implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly onBeforeExit = () => this.flush();
  private readonly onExit = () => this.close();

  /** fd: the descriptor the target writes to, for the synchronous write at exit. */
  constructor(
    private readonly target: FlushableStream,
    private readonly fd?: number,
  ) {
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS).unref();
    process.on('beforeExit', this.onBeforeExit);
    process.once('exit', this.onExit);
  }

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  flush(): void {
    const batch = this.take();
    if (batch) this.target.write(batch);
  }

  /** Writes what is buffered synchronously and stops the timer (process exit). */
  close(): void {
    clearInterval(this.timer);
    process.removeListener('beforeExit', this.onBeforeExit);
    process.removeListener('exit', this.onExit);
    try {
      // What the destination already holds is older than what is still here: it goes first.
      this.target.flushSync();
    } catch {
      // Already destroyed by pino's own exit handler, which wrote everything it held.
    }
    const batch = this.take();
    if (!batch) return;
    if (this.fd === undefined) {
      this.target.write(batch);
      this.target.flushSync();
    } else {
      writeAllSync(this.fd, batch);
    }
  }

  private take(): string {
    if (this.lines.length === 0) return '';
    const batch = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    return batch;
  }
}

function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const giveUpAt = Date.now() + EXIT_WRITE_PATIENCE_MS;
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A full pipe drains in a moment; anything else (EPIPE: the reader is gone) ends it.
      if ((code !== 'EAGAIN' && code !== 'EBUSY') || Date.now() > giveUpAt) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
