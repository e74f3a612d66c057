import { dialectMigration } from './migration';

/** Cheaper searches for common terms in the default order (see the dialects; SQLite only). */
export const clientSearchScanIndex = dialectMigration('0005_client_search_scan_index', 'createClientSearchScanIndex', 'dropClientSearchScanIndex');
