import fs from 'node:fs';
import path from 'node:path';
import convict from 'convict';
import { ApiKeysError, parseApiKeys } from './api-keys';
import type { Config } from './config';
import { registerFormats } from './formats';
import { configSchema } from './schema';
import { projectRoot } from './project-root';

registerFormats();

/** A configuration problem an operator can fix; its message names the variable and never a secret. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? path.join(projectRoot(), 'config');
  let store;
  try {
    // args: [] keeps convict from reading process.argv: `crm` has its own flags.
    store = convict<Config>(configSchema, { env, args: [] });
    for (const file of ['default.json', `${store.get('env')}.json`]) {
      const full = path.join(configDir, file);
      if (fs.existsSync(full)) store.loadFile(full);
    }
    store.validate({ allowed: 'strict' });
  } catch (error) {
    throw new ConfigError(describeConvictError(error));
  }
  const config = store.getProperties();
  checkAuthPolicy(config);
  return deepFreeze(config);
}

export const MIN_API_KEY_LENGTH = 32;

/** Rules across settings that convict's per-key formats cannot express. */
function checkAuthPolicy(config: Config): void {
  let keys;
  try {
    keys = parseApiKeys(config.auth.apiKeys);
  } catch (error) {
    if (error instanceof ApiKeysError) throw new ConfigError(`Invalid configuration: API_KEYS: ${error.message}`);
    throw error;
  }
  // A label does not make a key longer: the secret part alone must be long enough.
  const short = keys.filter(({ key }) => key.length < MIN_API_KEY_LENGTH).length;
  if (short > 0) {
    throw new ConfigError(
      `Invalid configuration: API_KEYS: ${short} key(s) shorter than ${MIN_API_KEY_LENGTH} characters; generate keys with \`openssl rand -hex 32\``,
    );
  }
  if (config.env === 'production' && config.auth.apiKeys.length === 0 && !config.auth.disabled) {
    throw new ConfigError(
      'Invalid configuration: API_KEYS: NODE_ENV=production needs at least one API key (or AUTH_DISABLED=true to serve without authentication)',
    );
  }
}

const ENV_BY_KEY = collectEnvNames(configSchema as unknown as SchemaNode, '');
const SENSITIVE_KEYS = collectSensitive(configSchema as unknown as SchemaNode, '');

interface SchemaNode {
  [key: string]: SchemaNode | unknown;
}

function collectEnvNames(node: SchemaNode, prefix: string, out = new Map<string, string>()) {
  for (const [key, value] of Object.entries(node)) {
    const full = prefix ? `${prefix}.${key}` : key;
    const leaf = value as { env?: string; default?: unknown };
    if (leaf && typeof leaf === 'object' && 'default' in leaf) {
      if (leaf.env) out.set(full, leaf.env);
    } else if (value && typeof value === 'object') {
      collectEnvNames(value as SchemaNode, full, out);
    }
  }
  return out;
}

function collectSensitive(node: SchemaNode, prefix: string, out = new Set<string>()) {
  for (const [key, value] of Object.entries(node)) {
    const full = prefix ? `${prefix}.${key}` : key;
    const leaf = value as { sensitive?: boolean; default?: unknown };
    if (leaf && typeof leaf === 'object' && 'default' in leaf) {
      if (leaf.sensitive) out.add(full);
    } else if (value && typeof value === 'object') {
      collectSensitive(value as SchemaNode, full, out);
    }
  }
  return out;
}

/**
 * convict reports "database.url: must be ...: value was \"<the URL, password included>\"". Operators
 * think in environment variables, and the value may be a secret, so each line is rewritten to
 * name the variable and the value is dropped for sensitive settings.
 */
function describeConvictError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = raw.split('\n').filter((line) => line.trim().length > 0);
  const described = lines.map((line) => {
    const match = /^([\w.]+): (.*)$/s.exec(line.trim());
    if (!match) return line.trim();
    const [, key = '', rest = ''] = match;
    const variable = ENV_BY_KEY.get(key) ?? key;
    const detail = SENSITIVE_KEYS.has(key) ? rest.replace(/: value was .*$/s, '') : rest;
    return `${variable}: ${detail}`;
  });
  return `Invalid configuration: ${described.join('; ')}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
