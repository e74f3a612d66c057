import type { Backend } from './bench-database';
import { SCENARIOS, type ScenarioId } from './scenarios';

export type Size = 'small' | 'large';

/**
 * What `npm run bench` measures: the API against its bare baseline (main), writes with a webhook
 * and delivery (webhooks), the CSV import and export (spreadsheets).
 */
export const SUITES = ['main', 'webhooks', 'spreadsheets'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchOptions {
  backends: Backend[];
  size: Size;
  runs: number;
  report: boolean;
  /** Regenerate docs/benchmarks.md from the stored results without measuring. */
  reportOnly: boolean;
  scenarios: ScenarioId[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  logLevel: string;
  /** CPU-profile the app (node --cpu-prof), one server per scenario, and print the top functions. */
  profile: boolean;
  keep: boolean;
  suites: Suite[];
}

export const SIZES: Record<Size, { clients: number; exchanges: number }> = {
  small: { clients: 10_000, exchanges: 100_000 },
  large: { clients: 1_000_000, exchanges: 5_000_000 },
};

/**
 * The large size runs the reads only: its targets compare their p50 with the small size's (S5 has
 * a fixed ceiling instead), and writes would only grow the data between runs.
 */
const LARGE_SCENARIOS: ScenarioId[] = ['S1', 'S2', 'S4', 'S5'];

const USAGE = `usage: npm run bench -- [--backend sqlite|postgres|both] [--size small|large] [--runs N] [--report]
  [--report-only] [--scenarios S1,S2,...] [--connections 32] [--warmup 3] [--duration 10]
  [--log-level info] [--profile] [--keep] [--suites main,webhooks,spreadsheets]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const BOOLEAN = new Set(['report', 'report-only', 'profile', 'keep', 'help']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (BOOLEAN.has(name)) flags.add(name);
    else if (inline !== undefined) values.set(name, inline);
    else if (i + 1 < argv.length) values.set(name, argv[++i] as string);
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  if (flags.has('help')) throw new Error(USAGE);
  const known = new Set(['backend', 'size', 'runs', 'scenarios', 'connections', 'warmup', 'duration', 'log-level', 'suites']);
  for (const name of values.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n${USAGE}`);

  const backend = values.get('backend') ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(backend)) throw new Error(`--backend must be sqlite, postgres or both`);
  const size = (values.get('size') ?? 'small') as Size;
  if (!(size in SIZES)) throw new Error('--size must be small or large');
  const allowed = size === 'large' ? LARGE_SCENARIOS : SCENARIOS.map((s) => s.id);
  const scenarios = values.has('scenarios') ? (values.get('scenarios') as string).split(',').map((s) => s.trim() as ScenarioId) : allowed;
  for (const id of scenarios)
    if (!allowed.includes(id)) throw new Error(`scenario ${id} is not one of ${allowed.join(', ')} for --size ${size}`);
  return {
    backends: backend === 'both' ? ['sqlite', 'postgres'] : [backend as Backend],
    size,
    runs: positive(values.get('runs') ?? '3', '--runs'),
    report: flags.has('report') || flags.has('report-only'),
    reportOnly: flags.has('report-only'),
    scenarios,
    connections: positive(values.get('connections') ?? '32', '--connections'),
    warmupSeconds: whole(values.get('warmup') ?? '3', '--warmup'),
    durationSeconds: positive(values.get('duration') ?? '10', '--duration'),
    logLevel: values.get('log-level') ?? 'info',
    profile: flags.has('profile'),
    keep: flags.has('keep'),
    suites: parseSuites(values.get('suites')),
  };
}

/** The configuration docs/benchmarks.md documents: every scenario of the size, default timings and logging. */
export function isDocumentedConfiguration(options: BenchOptions): boolean {
  const all = options.size === 'large' ? LARGE_SCENARIOS : SCENARIOS.map((s) => s.id);
  return (
    all.every((id) => options.scenarios.includes(id)) &&
    options.connections === 32 &&
    options.warmupSeconds === 3 &&
    options.durationSeconds === 10 &&
    options.logLevel === 'info'
  );
}

/** Every suite unless --suites names some; the large size has only the main one. */
function parseSuites(value: string | undefined): Suite[] {
  if (value === undefined) return [...SUITES];
  const suites = value.split(',').map((suite) => suite.trim());
  for (const suite of suites) if (!(SUITES as readonly string[]).includes(suite)) throw new Error(`--suites takes ${SUITES.join(', ')}`);
  return suites as Suite[];
}

function whole(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number`);
  return Number(value);
}

function positive(value: string, flag: string): number {
  const n = whole(value, flag);
  if (n < 1) throw new Error(`${flag} must be at least 1`);
  return n;
}
