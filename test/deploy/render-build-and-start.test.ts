import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../support/test-databases';
import { configEnvNames, literalEnv, readBlueprint, REPO_ROOT, webService, type BlueprintService } from './deploy-files';

/**
 * Render's deploy, reproduced: a fresh clone of the committed tree (uncommitted changes are not
 * in it, as on Render), the blueprint's buildCommand with NODE_ENV=production, then its
 * startCommand with RENDER=true and a disk, until /health answers 200. Nothing is copied or
 * linked from this working tree: the build installs and compiles on its own.
 */

const gitAvailable = spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;
if (!gitAvailable) process.stderr.write('SKIPPED: Render build-and-start reproduction needs git to clone the repository.\n');
const describeWithGit = gitAvailable ? describe : describe.skip;

const BUILD_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 60_000;

const diskService = webService(readBlueprint('render.yaml'));
const postgresService = webService(readBlueprint('render.postgres.yaml'));

/**
 * The machine's environment without anything that would steer the app or npm from outside:
 * the app's own variables (a developer's DATABASE_URL must not leak in), NODE_ENV (jest sets
 * it to "test") and npm_* (set when the tests run under `npm test`; they would point npm at
 * this working tree).
 */
function cleanEnv(): Record<string, string> {
  const appVariables = configEnvNames();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || appVariables.has(key) || key.startsWith('npm_') || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

/** What Render gives the service: its literal env vars, a generated key, RENDER=true. */
function renderEnv(service: BlueprintService, extra: Record<string, string>): Record<string, string> {
  return {
    ...cleanEnv(),
    ...literalEnv(service),
    // Like Render's generateValue: 256 random bits, base64.
    API_KEYS: randomBytes(32).toString('base64'),
    RENDER: 'true',
    ...extra,
  };
}

function run(command: string, cwd: string, env: Record<string, string>, timeoutMs: number): void {
  // Render runs build and pre-deploy commands through a shell (`&&` in buildCommand).
  const result = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `\`${command}\` failed (${result.status ?? result.signal ?? result.error?.message}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

function start(argv: string[], cwd: string, env: Record<string, string>): Started {
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, output: () => text, exited };
}

interface HealthReport {
  status: string;
  storage: { driver: string; persistent: boolean; location: string; reason: string };
  migrations: { pending: number } | null;
}

async function waitForHealth(port: number, server: Started): Promise<HealthReport> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `the server exited (${server.child.exitCode ?? server.child.signalCode}) before /health answered:\n${server.output()}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      const body = await response.text();
      if (response.status === 200) return JSON.parse(body) as HealthReport;
      last = `${response.status} ${body}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/health did not answer 200 within ${START_TIMEOUT_MS} ms (last: ${last}):\n${server.output()}`);
}

/** SIGTERM, as Render sends before stopping an instance; SIGKILL if it does not go. */
async function stop(server: Started): Promise<number | string> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The start command as an argv: it must stay a plain command (Render passes it to a shell). */
function startArgv(service: BlueprintService): string[] {
  expect(service.startCommand).toMatch(/^[\w./ -]+$/);
  return service.startCommand!.split(' ');
}

function isMountPoint(dir: string): boolean {
  try {
    return fs.statSync(dir).dev !== fs.statSync(path.dirname(dir)).dev;
  } catch {
    return false;
  }
}

/**
 * Where the "disk" comes from. Best: a private mount namespace with a fresh tmpfs mounted at a
 * temp folder, so the app takes exactly Render's path (PERSISTENT_DISK_PATH is a mount point,
 * SQLITE_PATH unset). Else a database file on /dev/shm, a tmpfs the app also counts as a
 * mounted volume. A plain folder would rightly be refused: REQUIRE_PERSISTENT_STORAGE=true.
 */
type Disk =
  | { kind: 'mount-namespace'; dir: string; wrap(argv: string[]): string[]; env: Record<string, string> }
  | { kind: 'dev-shm'; dir: string; wrap(argv: string[]): string[]; env: Record<string, string> };

function prepareDisk(workDir: string): Disk {
  const dir = path.join(workDir, 'persistent');
  fs.mkdirSync(dir);
  const mountThenExec = 'mount -t tmpfs -o size=64m crm-test-disk "$1" && shift && exec "$@"';
  for (const flags of [['-r', '-m'], ['-m']]) {
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', mountThenExec, 'sh', dir, 'true'], { stdio: 'ignore' });
    if (probe.status === 0) {
      return {
        kind: 'mount-namespace',
        dir,
        wrap: (argv) => ['unshare', ...flags, 'sh', '-c', mountThenExec, 'sh', dir, ...argv],
        env: { PERSISTENT_DISK_PATH: dir },
      };
    }
  }
  if (isMountPoint('/dev/shm')) {
    const shmDir = fs.mkdtempSync('/dev/shm/crm-render-test-');
    return {
      kind: 'dev-shm',
      dir: shmDir,
      wrap: (argv) => argv,
      env: { PERSISTENT_DISK_PATH: dir, SQLITE_PATH: path.join(shmDir, 'crm.db') },
    };
  }
  throw new Error('no way to give the server a mounted disk here: needs `unshare` (mount namespaces) or a tmpfs at /dev/shm');
}

describeWithGit('Render build and start, reproduced on a fresh clone', () => {
  let workDir = '';
  let cloneDir = '';
  const servers: Started[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-render-build-'));
    cloneDir = path.join(workDir, 'src');
    run(`git clone -q "${REPO_ROOT}" "${cloneDir}"`, workDir, cleanEnv(), 60_000);
    // Render sets the service's env vars during the build too, NODE_ENV=production included.
    run(diskService.buildCommand!, cloneDir, { ...cleanEnv(), ...literalEnv(diskService) }, BUILD_TIMEOUT_MS);
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    for (const server of servers) await stop(server);
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it('builds the compiled server, without devDependencies left behind', () => {
    expect(fs.existsSync(path.join(cloneDir, diskService.startCommand!.split(' ')[1]!))).toBe(true);
    expect(fs.existsSync(path.join(cloneDir, 'node_modules', 'typescript'))).toBe(false);
    expect(fs.existsSync(path.join(cloneDir, 'node_modules', 'better-sqlite3'))).toBe(true);
  });

  it(
    'render.yaml: starts on the disk with RENDER=true and /health answers 200',
    async () => {
      const disk = prepareDisk(workDir);
      if (disk.kind === 'dev-shm') cleanups.push(() => fs.rmSync(disk.dir, { recursive: true, force: true }));
      const port = await freePort();
      const env = renderEnv(diskService, { PORT: String(port), ...disk.env });
      const server = start(disk.wrap(startArgv(diskService)), cloneDir, env);
      servers.push(server);

      const health = await waitForHealth(port, server);
      expect(health.status).toBe('ok');
      expect(health.storage).toMatchObject({ driver: 'sqlite', persistent: true, location: path.join(disk.dir, 'crm.db') });
      expect(health.migrations?.pending).toBe(0);
      // A key in the format Render generates opens the API; no key does not.
      const clients = `http://127.0.0.1:${port}/api/v1/clients`;
      expect((await fetch(clients, { headers: { authorization: `Bearer ${env.API_KEYS}` } })).status).toBe(200);
      expect((await fetch(clients)).status).toBe(401);
      if (disk.kind === 'mount-namespace') {
        // The operator's check from the deployment guide, on Render's own path through the code.
        expect(health.storage.reason).toBe('persistent-disk');
        expect(server.output()).toContain(`✅ Utilisation du disque persistant Render: ${path.join(disk.dir, 'crm.db')}`);
      }
      // Render stops the old instance with SIGTERM before starting the new one on the disk.
      expect(await stop(server)).toBe(0);
    },
    START_TIMEOUT_MS + 30_000,
  );

  it(
    'render.yaml: refuses to start when the disk is missing, instead of writing data a deploy would wipe',
    async () => {
      const notADisk = fs.mkdtempSync(path.join(workDir, 'plain-folder-'));
      const server = start(
        startArgv(diskService),
        cloneDir,
        renderEnv(diskService, { PORT: String(await freePort()), PERSISTENT_DISK_PATH: notADisk }),
      );
      servers.push(server);
      expect(await server.exited).toBe(1);
      expect(server.output()).toContain('REQUIRE_PERSISTENT_STORAGE');
    },
    START_TIMEOUT_MS,
  );

  const withPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;
  withPostgres(
    'render.postgres.yaml: the pre-deploy migration, then two instances answer /health 200',
    async () => {
      const database: ScratchDatabase = await createScratchDatabase('postgres');
      cleanups.push(() => database.drop());
      const env = (extra: Record<string, string>) => renderEnv(postgresService, { DATABASE_URL: database.env.DATABASE_URL!, ...extra });

      run(postgresService.preDeployCommand!, cloneDir, env({}), START_TIMEOUT_MS);

      const ports = [await freePort(), await freePort()];
      const instances = ports.map((port) => start(startArgv(postgresService), cloneDir, env({ PORT: String(port) })));
      servers.push(...instances);
      for (const [index, port] of ports.entries()) {
        const health = await waitForHealth(port, instances[index]!);
        expect(health.storage).toMatchObject({ driver: 'postgres', persistent: true });
        // The password never reaches /health.
        const password = new URL(database.env.DATABASE_URL!).password;
        if (password) expect(JSON.stringify(health)).not.toContain(password);
        expect(health.migrations?.pending).toBe(0);
      }
      for (const instance of instances) expect(await stop(instance)).toBe(0);
    },
    START_TIMEOUT_MS * 2,
  );
});
