import type { Backend } from '../bench-database';
import { DOCUMENTED, USAGE, type Options } from './settings';

export function parseOptions(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['keep', 'report-only', 'help'].includes(name)) flags.add(name);
    else if (inline !== undefined) values.set(name, inline);
    else if (i + 1 < argv.length) values.set(name, argv[++i] as string);
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  if (flags.has('help')) throw new Error(USAGE);
  for (const name of values.keys())
    if (!['backend', 'clients', 'exchanges', 'connections', 'warmup', 'duration'].includes(name))
      throw new Error(`unknown option --${name}\n${USAGE}`);
  const backend = values.get('backend') ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(backend)) throw new Error('--backend must be sqlite, postgres or both');
  const clients = whole(values.get('clients') ?? String(DOCUMENTED.clients), '--clients', 1);
  return {
    backends: backend === 'both' ? ['sqlite', 'postgres'] : [backend as Backend],
    clients,
    exchanges: whole(values.get('exchanges') ?? String(clients * 5), '--exchanges', 0),
    connections: whole(values.get('connections') ?? String(DOCUMENTED.connections), '--connections', 1),
    warmupSeconds: whole(values.get('warmup') ?? String(DOCUMENTED.warmupSeconds), '--warmup', 0),
    durationSeconds: whole(values.get('duration') ?? String(DOCUMENTED.durationSeconds), '--duration', 1),
    keep: flags.has('keep'),
    reportOnly: flags.has('report-only'),
  };
}

function whole(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${flag} must be a whole number of at least ${min}`);
  return Number(value);
}
