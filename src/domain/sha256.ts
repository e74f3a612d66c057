import crypto, { createHash } from 'node:crypto';

type TextDigest = 'hex' | 'base64url';

/**
 * SHA-256 of a string, as text. Node's one-shot crypto.hash (20.12 and later) costs about a
 * sixth of createHash().update().digest() on short input, which matters on paths that run per
 * request (cursor MACs, filter fingerprints); older Node 20 releases take the long way.
 */
export const sha256: (data: string, encoding: TextDigest) => string =
  typeof crypto.hash === 'function'
    ? (data, encoding) => crypto.hash('sha256', data, encoding)
    : (data, encoding) => createHash('sha256').update(data, 'utf8').digest(encoding);
