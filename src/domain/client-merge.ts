import type { Client, ClientFields } from './client';
import type { FieldError } from './errors';

/** How many clients one merge may fold into its survivor: a merge is a person's decision, not a batch job. */
export const MAX_MERGE_SOURCES = 20;

/** The API's limit on a client's tags (client.schemas.ts): a merge may not build a client the API would refuse. */
export const MAX_CLIENT_TAGS = 50;

/** The fields a merge fills when the survivor has no value of its own. */
const FILLABLE = ['email', 'phone', 'company', 'notes'] as const;

/** The surviving client's fields after a merge, and which of them changed. */
export interface MergedFields {
  readonly fields: ClientFields;
  /** The fields whose value differs from the survivor's, in the API's order. */
  readonly changed: readonly (keyof ClientFields)[];
}

function isEmpty(value: string | null): boolean {
  return value === null || value.trim() === '';
}

/**
 * The survivor's fields once the sources are folded into it. Its own values always win; an empty
 * one (null or blank) takes the first non-empty value among the sources, in the order given.
 * Tags are united: the survivor's first, in its order, then each source's new ones.
 * Name and status are never empty, so the survivor's stay: a status says where the survivor is in
 * the pipeline, and a source's (perhaps older) status should not silently move it. Notes are
 * filled like the other fields, not concatenated: the sources' notes stay readable on the
 * trashed sources and in their history, and a caller who wants them joined PATCHes the result.
 */
export function mergeClientFields(survivor: Client, sources: readonly Client[]): MergedFields {
  const filled: Partial<Record<(typeof FILLABLE)[number], string>> = {};
  for (const field of FILLABLE) {
    if (!isEmpty(survivor[field])) continue;
    const value = sources.map((source) => source[field]).find((candidate) => !isEmpty(candidate));
    if (value) filled[field] = value;
  }
  const tags = [...new Set([...survivor.tags, ...sources.flatMap((source) => source.tags)])];
  const fields: ClientFields = {
    name: survivor.name,
    email: filled.email ?? survivor.email,
    phone: filled.phone ?? survivor.phone,
    company: filled.company ?? survivor.company,
    status: survivor.status,
    tags,
    notes: filled.notes ?? survivor.notes,
  };
  const changed = (Object.keys(fields) as (keyof ClientFields)[]).filter(
    (field) => JSON.stringify(fields[field]) !== JSON.stringify(survivor[field]),
  );
  return { fields, changed };
}

/**
 * What is wrong with a list of (well-formed) source ids, whatever the database holds: the
 * survivor named as its own source, or an id given twice. Paths are `sources.N`.
 */
export function mergeSourceErrors(survivorId: string, sourceIds: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  sourceIds.forEach((id, index) => {
    const path = `sources.${index}`;
    if (id === survivorId) errors.push({ path, message: 'is the client being merged into: a client cannot be merged into itself' });
    else if (seen.has(id)) errors.push({ path, message: 'repeats a source given earlier' });
    seen.add(id);
  });
  return errors;
}

/** The error of a merge whose united tags would pass the API's limit, or none. */
export function mergedTagsError(fields: ClientFields): FieldError | null {
  if (fields.tags.length <= MAX_CLIENT_TAGS) return null;
  return {
    path: 'sources',
    message: `the merged client would have ${fields.tags.length} tags, more than ${MAX_CLIENT_TAGS}: remove some tags first`,
  };
}
