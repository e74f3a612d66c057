import type { ClientFields, ClientStatus } from '../domain/client';
import { foldText } from '../domain/text-normalization';
import { unneutraliseFormula } from '../domain/spreadsheet-formulas';
import { PatchClientBody } from '../http/schemas/client.schemas';
import type { ColumnMapping, ImportField } from './column-mapping';
import type { RowError } from './import-job';

/** Status words a spreadsheet may hold, English and French, folded: each names one status. */
const STATUS_WORDS: Readonly<Record<string, ClientStatus>> = {
  lead: 'lead',
  piste: 'lead',
  nouveau: 'lead',
  prospect: 'prospect',
  customer: 'customer',
  client: 'customer',
  cliente: 'customer',
  inactive: 'inactive',
  inactif: 'inactive',
  ancien: 'inactive',
  ancienne: 'inactive',
};

/** Where each mapped field is read from: the cell index and the column's name. */
export interface RowPlan {
  readonly cells: ReadonlyArray<{ readonly index: number; readonly field: ImportField; readonly column: string }>;
  readonly columnOf: Readonly<Partial<Record<ImportField, string>>>;
}

export function rowPlan(columns: readonly string[], mapping: ColumnMapping): RowPlan {
  const cells = columns.flatMap((column, index) => {
    const field = mapping[column];
    return field ? [{ index, field, column }] : [];
  });
  return { cells, columnOf: Object.fromEntries(cells.map(({ field, column }) => [field, column])) };
}

export type RowReading = { readonly fields: Partial<ClientFields>; readonly errors: RowError[] };

/**
 * The fields a row gives, each checked by the API's own rules (an import cannot store what
 * POST /clients would refuse). Blank cells give nothing: a new client gets the defaults, an
 * updated one keeps its value. Tags split on `,` or `;`.
 */
export function readRow(row: number, cells: readonly string[], plan: RowPlan): RowReading {
  const raw: Record<string, unknown> = {};
  const errors: RowError[] = [];
  for (const { index, field, column } of plan.cells) {
    const value = unneutraliseFormula((cells[index] ?? '').trim());
    if (value === '') continue;
    if (field === 'status') {
      const status = STATUS_WORDS[foldText(value)];
      if (status) raw.status = status;
      else errors.push({ row, column, field, message: 'must be one of lead (piste), prospect, customer (client), inactive (inactif)' });
    } else if (field === 'tags') {
      raw.tags = [
        ...new Set(
          value
            .split(/[,;]/)
            .map((tag) => tag.trim())
            .filter((tag) => tag !== ''),
        ),
      ];
    } else raw[field] = value;
  }
  const parsed = PatchClientBody.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      errors.push({ row, column: plan.columnOf[field as ImportField], field, message: issue.message });
    }
  }
  return { fields: parsed.success ? parsed.data : raw, errors };
}

/** A new client's fields from a row's: the defaults for what it leaves blank; an error without a name. */
export function newClientFields(row: number, fields: Partial<ClientFields>, plan: RowPlan): ClientFields | RowError {
  if (fields.name === undefined) return { row, column: plan.columnOf.name, field: 'name', message: 'is required' };
  // The fields passed the API's rules in readRow; only the defaults of a POST are missing.
  const { name, email = null, phone = null, company = null, status = 'lead', tags = [], notes = null } = fields;
  return { name, email, phone, company, status, tags, notes };
}

/**
 * An existing client's fields after a row updates it: the row's non-blank cells replace its
 * values, and its tags are added to the client's (a spreadsheet's tags label, they do not prune).
 */
export function updatedFields(row: number, current: ClientFields, fields: Partial<ClientFields>, plan: RowPlan): ClientFields | RowError {
  const tags = fields.tags ? [...new Set([...current.tags, ...fields.tags])] : current.tags;
  if (tags.length > MAX_TAGS)
    return { row, column: plan.columnOf.tags, field: 'tags', message: `would give the client more than ${MAX_TAGS} tags` };
  return { ...current, ...fields, tags };
}

const MAX_TAGS = 50;
