import type { Dialect } from './dialect';

/**
 * What ends a SELECT that locks the rows it reads until the transaction ends. PostgreSQL locks
 * them (FOR UPDATE, in the order the rows are returned); SQLite has no row locks and needs
 * none: a transaction holds the database's one writer lock from its BEGIN IMMEDIATE.
 */
export const LOCK_READ_ROWS: Readonly<Record<Dialect['name'], string>> = { sqlite: '', postgres: ' FOR UPDATE' };
