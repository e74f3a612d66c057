import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { configSchema } from '../../src/config/schema';

/**
 * Readers for the deployment files. No Render account or Docker engine is available to the
 * tests, so they parse the files and hold them to what the app actually needs.
 */

export const REPO_ROOT = path.resolve(__dirname, '../..');

export function readRepoFile(relative: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, relative), 'utf8');
}

export function readYaml<T = unknown>(relative: string): T {
  // uniqueKeys: a key written twice is a mistake, not a silent override.
  return YAML.parse(readRepoFile(relative), { uniqueKeys: true }) as T;
}

export function packageScripts(): Record<string, string> {
  return (JSON.parse(readRepoFile('package.json')) as { scripts?: Record<string, string> }).scripts ?? {};
}

/** `npm start` / `npm test` style built-ins that run a package.json script of the same name. */
const SCRIPT_ALIASES = new Set(['start', 'test', 'stop', 'restart']);

/** The package.json scripts a shell command line runs through npm (not npm's own commands such as ci). */
export function npmScriptsCalled(command: string): string[] {
  const called: string[] = [];
  for (const match of command.matchAll(/\bnpm\s+(?:(?:run|run-script)\s+([\w:.-]+)|([\w:.-]+))/g)) {
    if (match[1]) called.push(match[1]);
    else if (match[2] && SCRIPT_ALIASES.has(match[2])) called.push(match[2]);
  }
  return called;
}

/** Every environment variable the app reads, from the configuration schema. */
export function configEnvNames(): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const leaf = node as { env?: unknown; default?: unknown };
    if ('default' in leaf) {
      if (typeof leaf.env === 'string') names.add(leaf.env);
      return;
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(configSchema);
  return names;
}

export const NODE_MAJOR = readRepoFile('.node-version').trim().replace(/^v/, '').split('.')[0] ?? '';

// --- Render Blueprints ------------------------------------------------------------------

export interface BlueprintEnvVar {
  key: string;
  value?: string | number;
  generateValue?: boolean;
  sync?: boolean;
  fromDatabase?: { name: string; property: string };
}

export interface BlueprintService {
  type: string;
  name: string;
  runtime: string;
  plan?: string;
  region?: string;
  buildCommand?: string;
  startCommand?: string;
  preDeployCommand?: string;
  healthCheckPath?: string;
  numInstances?: number;
  scaling?: { minInstances?: number; maxInstances?: number };
  disk?: { name: string; mountPath: string; sizeGB?: number };
  envVars?: BlueprintEnvVar[];
}

export interface Blueprint {
  services: BlueprintService[];
  databases?: Array<{ name: string; plan?: string; region?: string; postgresMajorVersion?: string }>;
}

export function readBlueprint(relative: string): Blueprint {
  return readYaml<Blueprint>(relative);
}

export function webService(blueprint: Blueprint): BlueprintService {
  const webs = blueprint.services.filter((service) => service.type === 'web');
  if (webs.length !== 1) throw new Error(`expected one web service, found ${webs.length}`);
  return webs[0]!;
}

export function envVar(service: BlueprintService, key: string): BlueprintEnvVar | undefined {
  return service.envVars?.find((variable) => variable.key === key);
}

/** The literal `value:` entries, as the process would see them. */
export function literalEnv(service: BlueprintService): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of service.envVars ?? []) {
    if (variable.value !== undefined) env[variable.key] = String(variable.value);
  }
  return env;
}

// --- docker-compose ---------------------------------------------------------------------

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  profiles?: string[];
  command?: string | string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Compose accepts a map or a list of KEY=VALUE; tests read both as a map of strings. */
export function composeEnv(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const at = entry.indexOf('=');
      if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
    }
  } else {
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (value !== null) env[key] = String(value);
    }
  }
  return env;
}

interface PortMapping {
  published: string;
  target: number;
}

/** "3000:3000", "127.0.0.1:5433:5432", "3000" or the long form. */
export function composePorts(service: ComposeService): PortMapping[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { published: String(port.published ?? ''), target: port.target };
    const parts = String(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.pop());
    return { published: parts.pop() ?? '', target };
  });
}

interface VolumeMount {
  source: string;
  target: string;
}

export function composeVolumes(service: ComposeService): VolumeMount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') return { source: volume.source ?? '', target: volume.target };
    const [source = '', target = ''] = volume.split(':');
    return { source, target };
  });
}

// --- Dockerfile -------------------------------------------------------------------------

export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Stages of a Dockerfile: comments dropped, `\` continuations joined, one FROM per stage. */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    logical.push((pending + line).trim());
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const [from = '', as, name] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** The command an exec-form (JSON array) or shell-form instruction runs, as one string. */
export function instructionCommand(args: string): string {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) return (JSON.parse(trimmed) as string[]).join(' ');
  return trimmed;
}
