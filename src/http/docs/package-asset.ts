import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';

/** A file shipped by an installed package, served from memory. */
export interface PackageAsset {
  readonly body: Buffer;
  /** Short content hash: cache-busts the URL and makes the strong ETag. */
  readonly hash: string;
  /** Gzipped once, on first demand: most requests come from browsers that accept it. */
  gzipped(): Buffer;
}

/**
 * Resolves and reads `specifier` (e.g. `redoc/bundles/redoc.standalone.js`) through Node's
 * module resolution, so a missing package fails at start-up rather than on the first page view.
 * `transform` edits the text once before it is hashed.
 */
export function readPackageAsset(specifier: string, transform: (text: string) => string = (text) => text): PackageAsset {
  const body = Buffer.from(transform(fs.readFileSync(require.resolve(specifier), 'utf8')), 'utf8');
  let gzipped: Buffer | undefined;
  return {
    body,
    hash: createHash('sha256').update(body).digest('hex').slice(0, 16),
    gzipped: () => (gzipped ??= gzipSync(body, { level: 9 })),
  };
}
