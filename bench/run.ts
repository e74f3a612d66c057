import fs from 'node:fs';
import path from 'node:path';
import { benchBackend, say } from './bench-backend';
import { isDocumentedConfiguration, parseOptions } from './options';
import { profileBackend } from './profile';
import { writeReport } from './report/write-report';
import { saveResult } from './results';
import { ROOT } from './seed-database';
import { runCsvExportBench } from './spreadsheets/csv-export';
import { runCsvImportBench } from './spreadsheets/csv-import';
import { summarise } from './summary';
import { runWebhookBench } from './webhooks/run';

/**
 * `npm run bench -- [options]`: seed, serve from the build, drive with autocannon, compare with
 * the bare baseline, store bench/results/<size>-<backend>.json; then (small size) the webhook
 * and spreadsheet suites (bench/results/webhooks.json, csv-import.json, csv-export.json). With
 * --report, regenerate docs/benchmarks.md, its chart and docs/benchmarks-features.md. See
 * docs/benchmarks.md for the method; --suites picks what runs.
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options.reportOnly) {
    if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) throw new Error('no build: run `npm run build` first (npm run bench does)');
    for (const backend of options.suites.includes('main') ? options.backends : []) {
      if (options.profile) {
        await profileBackend(backend, options);
        continue;
      }
      const result = await benchBackend(backend, options);
      const file = saveResult(result, isDocumentedConfiguration(options));
      say(`\n${backend} ${options.size}: median of ${options.runs} runs (results in ${path.relative(ROOT, file)})`);
      for (const s of summarise(result, options.scenarios)) {
        // The large-size targets compare with the small run: docs/benchmarks.md (--report) judges them.
        const verdict = options.size === 'large' ? '' : s.misses.length === 0 ? 'meets targets' : `MISSES: ${s.misses.join('; ')}`;
        say(
          `   ${s.id.padEnd(4)} ${s.app.rps.toFixed(0).padStart(6)} req/s (baseline ${s.baseline.rps.toFixed(0)}) ratio ${s.ratio.toFixed(2)} p50 ${s.app.p50.toFixed(2)} p99 ${s.app.p99.toFixed(2)} ms rss ${s.app.rssMaxMb} MB  ${verdict}`,
        );
      }
    }
  }
  // The feature suites measure the small size's server against itself or against a target, not a baseline.
  if (!options.reportOnly && options.size === 'small' && !options.profile) {
    if (options.suites.includes('webhooks')) await runWebhookBench(options.backends);
    if (options.suites.includes('spreadsheets')) {
      await runCsvImportBench(options.backends);
      await runCsvExportBench(options.backends);
    }
  }
  if (options.report) {
    const written = writeReport();
    say(`\nreport: ${written.map((file) => path.relative(ROOT, file)).join(', ')}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
