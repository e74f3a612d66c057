import { Worker } from 'node:worker_threads';

/**
 * The worker's program, plain CommonJS so that it runs the same from the TypeScript sources
 * (tests, tsx) and from dist/. It copies every page in one step, then runs SQLite's full check
 * on the copy, and posts the problems found (an empty list means a sound copy).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
(async () => {
  const source = new Sqlite(workerData.source, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
    await source.backup(workerData.destination, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  let problems;
  let copy;
  try {
    copy = new Sqlite(workerData.destination, { fileMustExist: true });
    copy.pragma('journal_mode = DELETE');
    problems = copy.pragma('integrity_check').map((row) => row.integrity_check).filter((line) => line !== 'ok');
  } catch (error) {
    // SQLite may refuse a damaged file outright ("database disk image is malformed").
    problems = [String(error && error.message ? error.message : error)];
  } finally {
    if (copy) copy.close();
  }
  parentPort.postMessage({ problems });
})().catch((error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error) }));
`;

interface CopyRequest {
  readonly source: string;
  readonly destination: string;
  readonly busyTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * SQLite's online backup and integrity_check are synchronous calls that take seconds on a large
 * database; on the server's thread they would stall every request for that long. In a worker
 * the event loop stays free, and stopping the worker is how a backup is abandoned at shutdown.
 */
export function copyAndCheckInWorker(request: CopyRequest): Promise<string[]> {
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        source: request.source,
        destination: request.destination,
        busyTimeoutMs: request.busyTimeoutMs,
      },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    // Settled once the worker is gone, so the caller can remove the partial file for good.
    const onAbort = () => void worker.terminate().finally(() => settle(() => reject(abortError())));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { problems?: string[]; error?: string }) => {
      settle(() => (message.error === undefined ? resolve(message.problems ?? []) : reject(new Error(message.error))));
      void worker.terminate();
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => {
      if (!signal?.aborted) settle(() => reject(new Error(`the backup worker stopped (exit code ${code})`)));
    });
  });
}

export function abortError(): Error {
  return new DOMException('the backup was abandoned', 'AbortError');
}
