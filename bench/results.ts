import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from './bench-database';
import type { Measurement } from './measurement';
import type { MachineInfo } from './machine';
import type { Size } from './options';
import type { ScenarioId } from './scenarios';

/** One scenario of one run: the app and its baseline, measured back to back. */
export interface PairedMeasurement {
  app: Measurement;
  baseline: Measurement;
}

export interface RunResult {
  run: number;
  /** Which side went first; alternated per run so neither always gets the warmer machine. */
  order: 'app-first' | 'baseline-first';
  loadBefore: [number, number, number];
  scenarios: Partial<Record<ScenarioId, PairedMeasurement>>;
}

/** What was measured, on what data, which build and which machine: every bench result starts with it. */
export interface RunProvenance {
  backend: Backend;
  clients: number;
  exchanges: number;
  seeder: string;
  seedSeconds: number;
  date: string;
  /** HEAD when the run started, "+dirty" when src/ or migrations/ had uncommitted changes. */
  gitCommit: string;
  /** When dist/ was built (npm run bench builds first). */
  builtAt?: string;
  machine: MachineInfo;
}

/** Everything one `npm run bench` measured for one backend and size; the report reads these. */
export interface BackendResult extends RunProvenance {
  size: Size;
  /** req/s the load generator reaches against a server doing nothing (bench/generator-ceiling.ts). */
  generatorCeilingRps: number;
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; runs: number; logLevel: string };
  /** The search condition both servers sent, as the app's dialect builds it. */
  searchSql: string;
  runs: RunResult[];
}

export const RESULTS_DIR = path.resolve(__dirname, 'results');

function resultFile(size: Size, backend: Backend): string {
  return path.join(RESULTS_DIR, `${size}-${backend}.json`);
}

/**
 * Only a complete run in the documented configuration replaces the results the report is made
 * of; an experiment (a subset of scenarios, another log level, other timings) goes beside them
 * as <size>-<backend>-custom.json, which the report ignores.
 */
export function saveResult(result: BackendResult, complete: boolean): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = complete
    ? resultFile(result.size, result.backend)
    : resultFile(result.size, result.backend).replace(/\.json$/, '-custom.json');
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export function loadResult(size: Size, backend: Backend): BackendResult | null {
  const file = resultFile(size, backend);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BackendResult) : null;
}
