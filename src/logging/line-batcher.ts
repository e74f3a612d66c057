import type { DestinationStream } from 'pino';

/** What the batcher writes to: pino's sonic-boom destination, or anything with the same calls. */
export interface FlushableStream extends DestinationStream {
  flushSync(): void;
}

/** About 100 access lines: one write(2) instead of a hundred. */
const BATCH_CHARS = 16_384;
/** Lines wait at most this long when traffic is too light to fill a batch. */
const FLUSH_INTERVAL_MS = 1000;

/**
 * Collects log lines and hands them to the destination a batch at a time. sonic-boom can batch
 * on its own (minLength), but it appends every line to one growing string and measures that
 * string's byte length on each write: measured at 2 to 3 µs a line, more than pino takes to
 * format it. An array joined once per batch costs a fraction of that; sonic-boom still does the
 * writing (partial writes, EAGAIN on pipes, the synchronous flush at exit).
 *
 * Used for the access log only: application logs (errors above all) go straight through.
 * Buffered lines are written when the process exits, whatever the cause but SIGKILL; then up
 * to one second of access lines can be lost, never a response.
 */
export class LineBatcher implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly onExit = () => this.close();

  constructor(private readonly target: FlushableStream) {
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS).unref();
    process.once('exit', this.onExit);
  }

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const batch = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.target.write(batch);
  }

  /** Writes what is buffered synchronously and stops the timer (process exit). */
  close(): void {
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    this.flush();
    try {
      this.target.flushSync();
    } catch {
      // Already destroyed by pino's own exit handler, which wrote everything it held.
    }
  }
}
