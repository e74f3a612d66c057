import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../bench-database';
import { RESULTS_DIR } from '../results';
import { API_KEY } from '../server-specs';
import { benchWebhooks, webhookBenchMachine, type WebhookBenchResult } from './webhook-bench';

export interface WebhookBenchFile {
  machine: ReturnType<typeof webhookBenchMachine>;
  measuredAt: string;
  results: WebhookBenchResult[];
}

export const WEBHOOK_RESULTS = path.join(RESULTS_DIR, 'webhooks.json');

/** Both backends in turn; the results go to bench/results/webhooks.json. */
export async function runWebhookBench(backends: readonly Backend[]): Promise<WebhookBenchFile> {
  const results: WebhookBenchResult[] = [];
  for (const backend of backends) {
    const result = await benchWebhooks(backend, { connections: 16, warmupSeconds: 3, durationSeconds: 5, slices: 4, apiKey: API_KEY });
    const { createRps, deliveries } = result;
    process.stdout.write(
      `webhooks ${backend}: create ${createRps.withoutWebhook} req/s without, ${createRps.withWebhook} with one webhook (ratio ${createRps.ratio}); ` +
        `${deliveries.count} deliveries, ${deliveries.perSecond}/s, lag p50 ${deliveries.lagMs.p50} ms p99 ${deliveries.lagMs.p99} ms, ${deliveries.duplicates} duplicates\n`,
    );
    results.push(result);
  }
  const file: WebhookBenchFile = { machine: webhookBenchMachine(), measuredAt: new Date().toISOString(), results };
  fs.writeFileSync(WEBHOOK_RESULTS, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

if (require.main === module) {
  const backends = (process.argv[2] ?? 'sqlite,postgres').split(',') as Backend[];
  runWebhookBench(backends).catch((error: unknown) => {
    process.stderr.write(`bench webhooks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
