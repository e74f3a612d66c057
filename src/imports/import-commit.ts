import { v7 as uuidv7 } from 'uuid';
import type { Client, ClientFields } from '../domain/client';
import { emailKey, phoneKey, phoneRegion } from '../domain/duplicate-keys';
import { fieldChanges, type Actor, type HistoryEntry } from '../domain/history';
import type { ImportSession } from '../repositories/import-store';
import { CLIENT_HISTORY_FIELDS, laterThan } from '../services/client.service';
import { historyEntry } from '../services/record-lifecycle';
import type { CsvRecord } from './csv-records';
import { MAX_REPORTED_ERRORS, type DuplicatePolicy, type ImportChange, type RowError } from './import-job';
import { newClientFields, readRow, updatedFields, type RowPlan } from './row-fields';

/** Rows read, matched and written together: one duplicate lookup per key kind and a few multi-row INSERTs each. */
const BATCH_ROWS = 1000;

export interface CommitContext {
  readonly jobId: string;
  readonly plan: RowPlan;
  readonly onDuplicate: DuplicatePolicy;
  readonly at: string;
  readonly actor: Actor;
  /** Rows processed so far. */
  readonly onProgress?: (rows: number) => void;
}

export interface CommitTally {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  readonly errors: RowError[];
}

interface ValidRow {
  readonly row: number;
  readonly fields: Partial<ClientFields>;
  readonly emailKey: string | null;
  readonly phoneKey: string | null;
}

/**
 * Imports the rows of a file inside the session's transaction, batch after batch. A row is
 * matched with an existing live client on its folded email, else its normalised phone; a row
 * matching an earlier row of the same file (or a client an earlier row already matched) is a
 * duplicate of that one. Duplicates are skipped, update the client, or are created anyway, as
 * the policy says; rows the API would refuse are reported and left out.
 */
export class CsvCommit {
  readonly tally: CommitTally = { created: 0, updated: 0, skipped: 0, failed: 0, errors: [] };
  private readonly seenEmails = new Set<string>();
  private readonly seenPhones = new Set<string>();
  private readonly touched = new Set<string>();
  private processed = 0;

  constructor(
    private readonly session: ImportSession,
    private readonly context: CommitContext,
  ) {}

  async run(records: AsyncIterable<CsvRecord>): Promise<CommitTally> {
    let batch: CsvRecord[] = [];
    for await (const record of records) {
      batch.push(record);
      if (batch.length >= BATCH_ROWS) {
        await this.importBatch(batch);
        batch = [];
      }
    }
    await this.importBatch(batch);
    // Rows refused by their cells and rows refused as new clients are found in two passes per batch.
    this.tally.errors.sort((a, b) => a.row - b.row);
    return this.tally;
  }

  private async importBatch(records: readonly CsvRecord[]): Promise<void> {
    if (records.length === 0) return;
    const valid: ValidRow[] = [];
    for (const { row, cells } of records) {
      const reading = readRow(row, cells, this.context.plan);
      if (reading.errors.length > 0) this.fail(reading.errors);
      else {
        const { email = null, phone = null } = reading.fields;
        valid.push({ row, fields: reading.fields, emailKey: emailKey(email), phoneKey: phoneKey(phone, phoneRegion()) });
      }
    }
    const existing = this.context.onDuplicate === 'create' ? null : await this.existingMatches(valid);
    const created: Client[] = [];
    const entries: HistoryEntry[] = [];
    const changes: ImportChange[] = [];
    for (const row of valid) {
      const repeated = this.context.onDuplicate !== 'create' && this.repeatsEarlierRow(row);
      this.remember(row);
      if (repeated) {
        this.tally.skipped += 1;
        continue;
      }
      const match = existing?.email.get(row.emailKey ?? '') ?? existing?.phone.get(row.phoneKey ?? '');
      if (match && this.touched.has(match.id)) this.tally.skipped += 1;
      else if (match) await this.duplicate(row, match, changes);
      else this.create(row, created, entries, changes);
    }
    await this.session.importedClients.insertMany(created, entries);
    if (changes.length > 0) await this.session.jobs.addChanges(changes);
    this.processed += records.length;
    this.context.onProgress?.(this.processed);
  }

  private create(row: ValidRow, created: Client[], entries: HistoryEntry[], changes: ImportChange[]): void {
    const fields = newClientFields(row.row, row.fields, this.context.plan);
    if ('message' in fields) return this.fail([fields]);
    const { at, actor, jobId } = this.context;
    const client: Client = { id: uuidv7(), ...fields, createdAt: at, updatedAt: at, version: 1 };
    created.push(client);
    entries.push(historyEntry('client', client, 'imported', fieldChanges(null, client, CLIENT_HISTORY_FIELDS), at, actor));
    changes.push({ jobId, clientId: client.id, kind: 'created', before: null, versionAfter: 1 });
    this.touched.add(client.id);
    this.tally.created += 1;
  }

  private async duplicate(row: ValidRow, current: Client, changes: ImportChange[]): Promise<void> {
    this.touched.add(current.id);
    if (this.context.onDuplicate === 'skip') {
      this.tally.skipped += 1;
      return;
    }
    const fields = updatedFields(row.row, current, row.fields, this.context.plan);
    if ('message' in fields) return this.fail([fields]);
    if (CLIENT_HISTORY_FIELDS.every((field) => JSON.stringify(fields[field]) === JSON.stringify(current[field]))) {
      this.tally.skipped += 1;
      return;
    }
    const { at, actor, jobId } = this.context;
    const next: Client = { ...current, ...fields, updatedAt: laterThan(at, current.updatedAt), version: current.version + 1 };
    const entry = historyEntry('client', next, 'imported', fieldChanges(current, next, CLIENT_HISTORY_FIELDS), next.updatedAt, actor);
    if (!(await this.session.clients.replace(next, current.version, entry))) {
      return this.fail([{ row: row.row, field: 'id', message: `client ${current.id} changed while the import ran` }]);
    }
    const before = Object.fromEntries(CLIENT_HISTORY_FIELDS.map((field) => [field, current[field]])) as unknown as ClientFields;
    changes.push({ jobId, clientId: current.id, kind: 'updated', before, versionAfter: next.version });
    this.tally.updated += 1;
  }

  /** Live clients sharing a key with the batch's rows: the oldest per key. */
  private async existingMatches(rows: readonly ValidRow[]): Promise<{ email: Map<string, Client>; phone: Map<string, Client> }> {
    const lookup = async (column: 'email_key' | 'phone_key', keys: (string | null)[]) => {
      const found = new Map<string, Client>();
      const wanted = [...new Set(keys.filter((key): key is string => key !== null))];
      for (const { key, client } of await this.session.importedClients.findLiveByKeys(column, wanted)) {
        if (!found.has(key)) found.set(key, client);
      }
      return found;
    };
    return {
      email: await lookup(
        'email_key',
        rows.map((row) => row.emailKey),
      ),
      phone: await lookup(
        'phone_key',
        rows.map((row) => row.phoneKey),
      ),
    };
  }

  private repeatsEarlierRow(row: ValidRow): boolean {
    return (row.emailKey !== null && this.seenEmails.has(row.emailKey)) || (row.phoneKey !== null && this.seenPhones.has(row.phoneKey));
  }

  private remember(row: ValidRow): void {
    if (row.emailKey !== null) this.seenEmails.add(row.emailKey);
    if (row.phoneKey !== null) this.seenPhones.add(row.phoneKey);
  }

  private fail(errors: readonly RowError[]): void {
    this.tally.failed += 1;
    for (const error of errors) if (this.tally.errors.length < MAX_REPORTED_ERRORS) this.tally.errors.push(error);
  }
}
