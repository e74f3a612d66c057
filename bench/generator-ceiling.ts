import { measure, type LoadSettings } from './load';
import { startServer } from './server-process';

/**
 * The load generator's own ceiling: the same autocannon set-up against a server that answers
 * a fixed 200-byte JSON without any work. A scenario whose baseline gets close to this figure
 * is limited by the generator, not by the baseline, and its ratio flatters the app.
 */
const TRIVIAL_SERVER = `
const body = JSON.stringify({ id: '0190a6a4-7b7e-7000-8000-000000000000', name: 'x'.repeat(150) });
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), process.env.HOST);`;

export async function measureGeneratorCeiling(settings: LoadSettings, logDir: string, core: number | null): Promise<number> {
  // A /health route is all startServer waits for; this server answers every path.
  const server = await startServer({
    name: 'ceiling',
    nodeArgs: ['-e', TRIVIAL_SERVER],
    env: { PATH: process.env.PATH ?? '' },
    logFile: `${logDir}/ceiling.log`,
    core,
  });
  try {
    let n = 0;
    const m = await measure(server.baseUrl, server.pid, () => ({ method: 'GET', path: `/api/v1/clients/${++n}` }), {
      ...settings,
      warmupSeconds: 1,
      durationSeconds: 5,
    });
    return Math.round(m.rps);
  } finally {
    await server.stop();
  }
}
