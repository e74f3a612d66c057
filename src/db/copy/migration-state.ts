import { migrations } from '../../../migrations';

/** The databases are not in a state a copy can start from; nothing was written. Exit code 1. */
export class CopyRefusedError extends Error {}

interface MigrationPlan {
  /** The migration both sides end at (the last one this release knows). */
  readonly version: string;
  /** Migrations the target needs before rows can go in. */
  readonly targetPending: readonly string[];
}

const KNOWN: readonly string[] = migrations.map((migration) => migration.name);

/**
 * Rows only mean the same thing between databases at the same schema version, and this release
 * only knows the columns of its own. So: the source must be exactly at this release's last
 * migration, and the target at that version or behind it on the same path (then it is migrated).
 */
export function planMigrations(
  source: readonly string[] | null,
  target: readonly string[] | null,
  known: readonly string[] = KNOWN,
): MigrationPlan {
  const version = known[known.length - 1] ?? '(none)';
  if (!source || source.length === 0) throw new CopyRefusedError('the source has no CRM schema (no migration applied): nothing to copy');
  const unknownInSource = source.filter((name) => !known.includes(name));
  if (unknownInSource.length > 0) {
    throw new CopyRefusedError(
      `the source was migrated by a newer release (unknown migration ${unknownInSource.join(', ')}); run the copy with that release`,
    );
  }
  if (!sameList(source, known)) {
    throw new CopyRefusedError(
      `the source is at migration ${source[source.length - 1]}, this release at ${version}: ` +
        'run "crm migrate up" on the source (or start the server once) before copying',
    );
  }
  const applied = target ?? [];
  const unknownInTarget = applied.filter((name) => !known.includes(name));
  if (unknownInTarget.length > 0 || applied.length > known.length) {
    throw new CopyRefusedError(
      `the target is ahead of this release (unknown migration ${unknownInTarget.join(', ') || '?'}); use a fresh target database`,
    );
  }
  if (!sameList(applied, known.slice(0, applied.length))) {
    throw new CopyRefusedError('the target has a different migration history from this release; use a fresh target database');
  }
  return { version, targetPending: known.slice(applied.length) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
