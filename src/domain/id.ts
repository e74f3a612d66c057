const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANY_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUIDs (v7 for new records); anything else cannot name a record. The lower-case form
 * the API hands out is checked first: a case-insensitive pattern costs more, and this runs on
 * every request that names a record.
 */
export function normaliseId(candidate: string): string | null {
  if (CANONICAL_UUID.test(candidate)) return candidate;
  return ANY_CASE_UUID.test(candidate) ? candidate.toLowerCase() : null;
}
