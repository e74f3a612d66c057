const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs (v7 for new records); anything else cannot name a record. */
export function normaliseId(candidate: string): string | null {
  return UUID.test(candidate) ? candidate.toLowerCase() : null;
}
