import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { HttpProblem } from '../problem';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Reads a JSON body into ctx.request.body with the checks a client deserves to hear about:
 * 415 for another media type or an encoding we do not inflate, 413 over the limit (checked
 * while streaming, so a huge body is never buffered), 400 for JSON that does not parse.
 * Requests `readsOwnBody` accepts (a CSV upload) pass untouched: their route reads the body.
 */
export function jsonBody(limit: string, readsOwnBody: (ctx: Context) => boolean = () => false): Middleware {
  const readBody: Middleware = async (ctx, next) => {
    if (!ctx.is('application/json', 'application/merge-patch+json', 'application/*+json')) {
      throw new HttpProblem(415, 'unsupported_media_type', 'Send the body as application/json');
    }
    const encoding = ctx.get('Content-Encoding').toLowerCase();
    if (encoding && encoding !== 'identity') {
      throw new HttpProblem(415, 'unsupported_media_type', `Content-Encoding ${encoding} is not supported`);
    }
    const charset = ctx.request.charset;
    if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
      throw new HttpProblem(415, 'unsupported_media_type', 'JSON bodies must be UTF-8');
    }
    let bytes: Buffer;
    try {
      bytes = await getRawBody(ctx.req, { limit, length: ctx.request.length });
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') throw new HttpProblem(413, 'payload_too_large', `The body is larger than ${limit}`);
      throw new HttpProblem(400, 'malformed_json', 'The body could not be read');
    }
    let raw: string;
    try {
      raw = utf8.decode(bytes);
    } catch {
      throw new HttpProblem(400, 'malformed_json', 'The body is not valid UTF-8');
    }
    try {
      ctx.request.body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      throw new HttpProblem(400, 'malformed_json', 'The body is not valid JSON');
    }
    await next();
  };
  // Most requests carry no body: they pass straight on, without an async frame of their own.
  return (ctx, next) =>
    !METHODS_WITH_BODY.has(ctx.req.method ?? '') || (!ctx.request.length && !ctx.get('Transfer-Encoding')) || readsOwnBody(ctx)
      ? next()
      : readBody(ctx, next);
}

// Fatal: invalid bytes are refused, not silently replaced by U+FFFD and stored.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
