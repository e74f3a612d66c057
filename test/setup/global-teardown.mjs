import fs from 'node:fs';

export default async function globalTeardown() {
  const embedded = globalThis.__EMBEDDED_PG__;
  if (!embedded) return;
  await embedded.server.stop();
  fs.rmSync(embedded.databaseDir, { recursive: true, force: true });
}
