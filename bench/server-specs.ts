import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Backend } from './bench-database';
import { ROOT } from './seed-database';
import type { ServerSpec } from './server-process';

/** The key the bench sends: 64 hex characters, like a generated production key. */
export const API_KEY = randomBytes(32).toString('hex');

export type Side = 'app' | 'baseline';

interface SpecSettings {
  backend: Backend;
  side: Side;
  synchronous: 'FULL' | 'NORMAL';
  dbEnv: Record<string, string>;
  logLevel: string;
  logDir: string;
  core: number | null;
  /** Extra node flags (e.g. --cpu-prof) for the app. */
  nodeFlags?: string[];
}

/**
 * Only PATH and HOME come from the shell: a stray DATABASE_URL, SQLITE_PATH or LOG_LEVEL in
 * the caller's environment must not change what is measured.
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export function serverSpec(settings: SpecSettings): ServerSpec {
  const name = `${settings.side}-${settings.backend}-${settings.synchronous.toLowerCase()}`;
  const env = {
    ...baseEnv(),
    ...settings.dbEnv,
    NODE_ENV: 'production',
    SQLITE_SYNCHRONOUS: settings.synchronous,
  };
  const logFile = path.join(settings.logDir, `${name}.log`);
  if (settings.side === 'baseline') {
    const script = path.join(ROOT, 'bench/baseline', settings.backend === 'sqlite' ? 'sqlite-server.ts' : 'postgres-server.ts');
    // tsx's CommonJS hook compiles the TypeScript once at load; nothing of it runs per request.
    return { name, nodeArgs: ['--require', require.resolve('tsx/cjs'), script], env, logFile, core: settings.core };
  }
  return {
    name,
    nodeArgs: [...(settings.nodeFlags ?? []), path.join(ROOT, 'dist/src/main.js')],
    env: {
      ...env,
      API_KEYS: API_KEY,
      // The production default: one JSON access-log line per request, written to a file.
      LOG_LEVEL: settings.logLevel,
      LOG_FORMAT: 'json',
      MIGRATE_ON_START: 'true',
    },
    logFile,
    core: settings.core,
  };
}
