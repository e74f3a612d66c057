import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createBenchDatabase, type Backend } from './bench-database';
import { say, selectedScenarios } from './bench-backend';
import { measure } from './load';
import { failed } from './measurement';
import { canPin, pinSelf } from './machine';
import { SIZES, type BenchOptions } from './options';
import { formatProfile, summariseProfile } from './profile-summary';
import { RESULTS_DIR } from './results';
import { seedDatabase } from './seed-database';
import { startServer } from './server-process';
import { API_KEY, serverSpec } from './server-specs';

/**
 * `--profile`: the app alone, one server per scenario started with node --cpu-prof, so each
 * profile holds one kind of request. Writes bench/results/profile-<backend>-<size>.md.
 */
export async function profileBackend(backend: Backend, options: BenchOptions): Promise<void> {
  const { clients, exchanges } = SIZES[options.size];
  const db = await createBenchDatabase(backend);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `crm-bench-profile-${backend}-`));
  const sections: string[] = [];
  try {
    await seedDatabase(db.env, clients, exchanges, 42);
    await db.afterSeed();
    const ids = await db.readClientIds();
    const pinned = canPin();
    if (pinned) pinSelf(1);
    for (const scenario of selectedScenarios(backend, options)) {
      const profileDir = path.join(dir, scenario.id);
      const spec = serverSpec({
        backend,
        side: 'app',
        synchronous: scenario.synchronous,
        dbEnv: db.env,
        logLevel: options.logLevel,
        logDir: dir,
        core: pinned ? 0 : null,
        nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
      });
      const server = await startServer(spec);
      const settings = {
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        apiKey: API_KEY,
      };
      const m = await measure(server.baseUrl, server.pid, scenario.requests(ids, `p${randomBytes(3).toString('hex')}`), settings);
      await server.stop();
      const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no profile written in ${profileDir}`);
      const title = `${backend} ${scenario.id} ${scenario.title}: ${m.rps.toFixed(0)} req/s under the profiler${failed(m) ? ' (FAILED run)' : ''}`;
      const text = formatProfile(title, summariseProfile(path.join(profileDir, file)));
      say(`\n${text}`);
      sections.push(text);
    }
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const out = path.join(RESULTS_DIR, `profile-${backend}-${options.size}.md`);
    fs.writeFileSync(
      out,
      `# CPU profile of the app, ${backend}, ${options.size}\n\nSelf time: the function's own code, callees excluded. Raw profiles: ${dir}\n\n${sections.join('\n')}`,
    );
    say(`profile summary: ${out}`);
  } finally {
    await db.drop();
  }
}
