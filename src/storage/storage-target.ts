/** Where the data lives, decided once at start-up. */
export type StorageTarget = PostgresTarget | SqliteTarget;

export interface PostgresTarget {
  readonly driver: 'postgres';
  readonly url: string;
  /** The URL with its password removed: the only form that may be logged or shown. */
  readonly location: string;
  readonly persistent: true;
  readonly reason: 'database-url';
}

export interface SqliteTarget {
  readonly driver: 'sqlite';
  readonly path: string;
  readonly location: string;
  readonly persistent: boolean;
  readonly reason: 'sqlite-path' | 'persistent-disk' | 'local-fallback';
}

/** The URL without its password (user:password@host becomes user@host), password= parameters masked. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, 'REDACTED');
    }
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
