import type { ServerResponse } from 'node:http';

/**
 * Headers every response carries: an API's answers have no reason to be sniffed as another
 * type or framed (OWASP's REST security headers). Set with Node's setHeader directly: constant
 * strings need none of ctx.set's coercion, and this runs on every request. Referrer-Policy
 * only means something for documents, so the one HTML page (/docs) sets it itself.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}
