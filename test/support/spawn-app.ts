import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');
// Absolute, so children started in another working directory still find the loader.
const TSX_LOADER = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface SpawnedProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process ends. */
  exited: Promise<number | string>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Runs one of the project's entry points from its TypeScript source in a child process, with
 * exactly the environment given (plus PATH), so tests see what an operator would see.
 */
export function spawnEntry(entry: string, args: string[], env: Record<string, string>, cwd = PROJECT_ROOT): SpawnedProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(PROJECT_ROOT, entry), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    output: () => text,
    exited,
    waitForOutput(pattern, timeoutMs = 20000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            cleanup();
            resolve(match[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`process ended before ${pattern}; output:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Starts the server on a free port and resolves once it listens. */
export async function spawnServer(env: Record<string, string>, cwd?: string): Promise<SpawnedProcess & { baseUrl: string }> {
  const app = spawnEntry('src/main.ts', [], { PORT: '0', HOST: '127.0.0.1', ...env }, cwd);
  const line = await app.waitForOutput(/^.*"msg":"listening".*$/m);
  const port = /"port":(\d+)/.exec(line)?.[1];
  return Object.assign(app, { baseUrl: `http://127.0.0.1:${port}` });
}
