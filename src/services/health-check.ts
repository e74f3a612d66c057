import type { StorageTarget } from '../storage/storage-target';
import { webhookWarnings, type WebhookHealth, type WebhookHealthReporter } from '../webhooks/webhook-health';
import { backupWarnings, type BackupReport, type BackupReporter } from './backup-report';

/**
 * What a health check needs to know of the database, and nothing more: the http layer and the
 * services reach storage through this port, never through the database module itself.
 */
export interface DatabaseProbe {
  /** Where the data lives; the location is the redacted one. */
  readonly storage: Pick<StorageTarget, 'driver' | 'persistent' | 'location' | 'reason'>;
  /** Answers when the database does; rejects when it does not. */
  ping(): Promise<void>;
  migrationStatus(): Promise<{ applied: string[]; pending: string[] }>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  storage: { driver: 'sqlite' | 'postgres'; persistent: boolean; location: string; reason: string };
  migrations: { applied: number; pending: number; current: string | null } | null;
  /** null when backups are off. */
  backup: BackupReport | null;
  /** null when the webhook tables cannot be read (e.g. their migration is pending) or none is wired. */
  webhooks: WebhookHealth | null;
  warnings: string[];
}

/**
 * What /health reports. The location is the redacted one: a PostgreSQL password never leaves
 * the process.
 */
export async function checkHealth(
  database: DatabaseProbe,
  warnings: readonly string[],
  backups?: BackupReporter,
  webhookReporter?: WebhookHealthReporter,
): Promise<HealthReport> {
  const { driver, persistent, location, reason } = database.storage;
  const storage = { driver, persistent, location, reason };
  // Backups are reported even when the database does not answer: the last copy matters most then.
  const backup = backups?.report() ?? null;
  const standing = [...warnings, ...backupWarnings(backup)];
  try {
    await database.ping();
    const status = await database.migrationStatus();
    const webhooks = (await webhookReporter?.report().catch(() => null)) ?? null;
    return {
      status: 'ok',
      storage,
      migrations: { applied: status.applied.length, pending: status.pending.length, current: status.applied.at(-1) ?? null },
      backup,
      webhooks,
      warnings: [
        ...standing,
        ...(status.pending.length > 0 ? [`${status.pending.length} migration(s) pending`] : []),
        ...webhookWarnings(webhooks),
      ],
    };
  } catch {
    return { status: 'unavailable', storage, migrations: null, backup, webhooks: null, warnings: standing };
  }
}
