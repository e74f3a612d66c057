/**
 * Progress for long commands, on stderr so stdout can carry data (crm export): one line
 * redrawn in place on a terminal, plain lines every tenth of the way otherwise (logs, CI).
 */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

export function createProgress(label: string, total: number | null, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastStep = -1;
  let current = 0;
  const text = (done: number) => {
    const count = total === null ? done.toLocaleString('en-US') : `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;
    const percent = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
    return `${label}: ${count}${percent}, ${formatElapsed(Date.now() - started)}`;
  };
  return {
    update(done) {
      current = done;
      if (tty) {
        if (Date.now() - lastDraw < 100) return;
        lastDraw = Date.now();
        stream.write(`\r${text(done)}\u001b[K`);
        return;
      }
      // Unknown total: a line per 100,000 records.
      const step = total ? Math.floor((done / total) * 10) : Math.floor(done / 100_000);
      if (step > lastStep && done > 0) {
        lastStep = step;
        stream.write(text(done) + '\n');
      }
    },
    finish() {
      if (tty) stream.write(`\r${text(current)}\u001b[K\n`);
    },
  };
}

export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
