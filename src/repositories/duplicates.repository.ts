import type { Client } from '../domain/client';

/** What two clients share to be called duplicates, in the order the list walks them. */
export const DUPLICATE_REASONS = ['email', 'phone', 'name_company'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** Where a page of groups starts: after this (reason, key). Keys compare byte by byte (UTF-8). */
export interface DuplicatePosition {
  readonly reason: DuplicateReason;
  readonly key: string;
}

/** Live clients sharing one key: the oldest first, at most membersPerGroup of them. */
export interface DuplicateGroup {
  readonly reason: DuplicateReason;
  /** The shared key: folded email, E.164 phone (or its digits), or folded `name|company`. */
  readonly key: string;
  /** Every live client of the group, counted when its members were read (clients may hold fewer). */
  readonly total: number;
  readonly clients: Client[];
}

export interface DuplicateListQuery {
  readonly limit: number;
  readonly after: DuplicatePosition | null;
  readonly membersPerGroup: number;
}

export interface DuplicatePage {
  readonly data: DuplicateGroup[];
  /** After the last group of this page, or null when it is the last page. */
  readonly nextPosition: DuplicatePosition | null;
}

/**
 * Groups of live clients sharing a duplicate key (src/domain/duplicate-keys.ts), keyset-paginated
 * over (reason, key): every email group, then every phone group, then every name + company group.
 * A client may be in several groups. A group whose members changed between the reads of one page
 * and fell under two is left out of that page.
 */
export interface DuplicatesRepository {
  list(query: DuplicateListQuery): Promise<DuplicatePage>;
}

/** The pages' walk over the reasons, shared by every tier: groups of each reason after the position, limit + 1 in all. */
export async function groupKeysAfter(
  after: DuplicatePosition | null,
  wanted: number,
  keysOf: (reason: DuplicateReason, afterKey: string | null, limit: number) => Promise<string[]>,
): Promise<DuplicatePosition[]> {
  const found: DuplicatePosition[] = [];
  const first = after ? DUPLICATE_REASONS.indexOf(after.reason) : 0;
  for (const reason of DUPLICATE_REASONS.slice(first)) {
    const remaining = wanted - found.length;
    if (remaining <= 0) break;
    const afterKey = after && reason === after.reason ? after.key : null;
    for (const key of await keysOf(reason, afterKey, remaining)) found.push({ reason, key });
  }
  return found;
}
