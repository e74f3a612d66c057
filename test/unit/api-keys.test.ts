import { createHash } from 'node:crypto';
import { ApiKeysError, parseApiKeys } from '../../src/config/api-keys';
import { ConfigError, loadConfig } from '../../src/config/load-config';

const KEY = 'k'.repeat(40);
const OTHER = 'o'.repeat(40);
const fingerprint = (key: string) => `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;

describe('parseApiKeys', () => {
  it('names a plain key by the first 8 hex digits of its SHA-256, and a labelled one by its label', () => {
    const keys = parseApiKeys([KEY, `crm-sync:${OTHER}`]);
    expect(keys.map(({ key, actor }) => ({ key, actor }))).toEqual([
      { key: KEY, actor: fingerprint(KEY) },
      { key: OTHER, actor: 'crm-sync' },
    ]);
    expect(keys[1]?.digest).toBe(createHash('sha256').update(OTHER).digest('hex'));
  });

  it('accepts labels of 1 to 32 of a-z, 0-9, _ and -, and keys that hold colons after the label', () => {
    const labels = ['a', '0', 'ops_team-2', 'x'.repeat(32)];
    expect(parseApiKeys(labels.map((label, i) => `${label}:${KEY}${i}`)).map(({ actor }) => actor)).toEqual(labels);
    expect(parseApiKeys([`zapier:${KEY}:with:colons`])[0]).toMatchObject({ key: `${KEY}:with:colons`, actor: 'zapier' });
  });

  it.each([
    ['an upper-case letter', `Sync:${KEY}`],
    ['a space', `my app:${KEY}`],
    ['an accent', `équipe:${KEY}`],
    ['an empty label', `:${KEY}`],
    ['33 characters', `${'x'.repeat(33)}:${KEY}`],
    ['a dot', `app.v2:${KEY}`],
  ])('refuses a label with %s, naming the entry and not the text', (_case, entry) => {
    const error = captureError(() => parseApiKeys([OTHER, entry]));
    expect(error).toBeInstanceOf(ApiKeysError);
    expect(error.message).toMatch(/^entry 2 has a malformed label/);
    expect(error.message).not.toContain(entry.slice(0, entry.indexOf(':')) || '\u0000');
    expect(error.message).not.toContain(KEY);
  });

  it('refuses a label used twice, and one key under two names', () => {
    expect(() => parseApiKeys([`ops:${KEY}`, OTHER, `ops:${OTHER}`])).toThrow('entries 1 and 3 both use the label "ops"');
    expect(() => parseApiKeys([`ops:${KEY}`, `sync:${KEY}`])).toThrow('entries 1 and 2 hold the same key under different labels');
    expect(() => parseApiKeys([`ops:${KEY}`, KEY])).toThrow('entries 1 and 2 hold the same key under different labels');
    // The same plain key twice is recorded under one name, as before labels existed.
    expect(parseApiKeys([KEY, KEY]).map(({ actor }) => actor)).toEqual([fingerprint(KEY), fingerprint(KEY)]);
  });
});

describe('API_KEYS at start-up', () => {
  it('keeps the entries as written and accepts labelled keys', () => {
    const config = loadConfig({ env: { API_KEYS: `${KEY}, crm-sync:${OTHER}` } });
    expect(config.auth.apiKeys).toEqual([KEY, `crm-sync:${OTHER}`]);
  });

  it.each([
    [`Bad Label:${KEY}`, 'entry 1 has a malformed label'],
    [`ops:${KEY},ops:${OTHER}`, 'entries 1 and 2 both use the label "ops"'],
  ])('stops with a message naming API_KEYS and never the key (%#)', (value, reason) => {
    const error = captureError(() => loadConfig({ env: { API_KEYS: value } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: API_KEYS: ${reason}`));
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(OTHER);
    expect(error.message).not.toContain('Bad Label');
  });

  it('measures the key without its label: a long label does not make a short key acceptable', () => {
    const error = captureError(() => loadConfig({ env: { API_KEYS: `${'l'.repeat(32)}:short-key` } }));
    expect(error.message).toBe(
      'Invalid configuration: API_KEYS: 1 key(s) shorter than 32 characters; generate keys with `openssl rand -hex 32`',
    );
  });
});

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
