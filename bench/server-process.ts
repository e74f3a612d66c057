import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A server under test: the app from the build or a bare baseline, on its own core. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** node arguments (script and flags); the node binary is the one running the bench. */
  nodeArgs: string[];
  /** The whole environment: nothing is inherited, so a DATABASE_URL in the shell cannot leak in. */
  env: Record<string, string>;
  /** The server's stdout and stderr go here: the access log at LOG_LEVEL=info is one line a request. */
  logFile: string;
  /** Core to pin the server to with taskset, or null to leave it free. */
  core: number | null;
}

export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const log = fs.openSync(spec.logFile, 'a');
  // taskset execs node, so the child's pid is the server's own: /proc/<pid> samples the server.
  const [command, args] =
    spec.core === null ? [process.execPath, spec.nodeArgs] : ['taskset', ['-c', String(spec.core), process.execPath, ...spec.nodeArgs]];
  const child = spawn(command, args, {
    env: { ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(baseUrl, exited, spec);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { name: spec.name, pid: child.pid as number, baseUrl, stop: () => stop(child, exited) };
}

async function waitUntilHealthy(baseUrl: string, exited: Promise<number | null>, spec: ServerSpec): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`${spec.name} exited with ${gone} before answering; see ${spec.logFile}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${spec.name} did not become healthy within 60 s; see ${spec.logFile}`);
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
