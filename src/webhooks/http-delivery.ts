import http from 'node:http';
import https from 'node:https';
import { isPublicAddress, literalAddressOf } from './address-policy';
import { AddressNotAllowedError, guardedLookup } from './guarded-lookup';

/** What an endpoint's answer to one attempt came to. `error` is short and never holds the secret. */
export type AttemptResult =
  | { readonly delivered: true; readonly status: number }
  | { readonly delivered: false; readonly status: number | null; readonly error: string };

export interface HttpDeliverySettings {
  /** The whole attempt: connecting, sending, the answer's headers. */
  readonly timeoutMs: number;
  readonly allowPrivateNetworks: boolean;
}

/** Enough of a response body to keep the connection reusable; anything longer is cut off unread. */
export const RESPONSE_BODY_CAP = 4096;
const IDLE_CONNECTION_MS = 4000;

/**
 * POSTs signed deliveries. A 2xx is delivered; any other status (a 3xx included: a redirect is
 * never followed, it could lead anywhere), a timeout, a refused or reset connection, a refused
 * address, is a failed attempt. Connections are kept alive between deliveries to an endpoint.
 */
export class HttpDelivery {
  private readonly lookup;
  // An idle connection is closed after a few seconds, before the endpoint's server gives up on
  // it (Node's closes idle connections after 5 s): reusing one the server is closing at that very
  // moment fails the attempt with a reset.
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  };

  constructor(private readonly settings: HttpDeliverySettings) {
    this.lookup = guardedLookup(settings.allowPrivateNetworks);
  }

  /** Resolves with the outcome, never rejects. `signal` abandons the attempt (shutdown). */
  post(target: string, headers: Readonly<Record<string, string>>, body: string, signal?: AbortSignal): Promise<AttemptResult> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return Promise.resolve(failure('invalid URL'));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve(failure('unsupported URL scheme'));
    // A literal address is connected to without any lookup: check it here.
    const literal = literalAddressOf(url);
    if (literal && !this.settings.allowPrivateNetworks && !isPublicAddress(literal))
      return Promise.resolve(failure(new AddressNotAllowedError(literal).message));
    return this.send(url, headers, Buffer.from(body, 'utf8'), signal);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  private send(url: URL, headers: Readonly<Record<string, string>>, body: Buffer, signal?: AbortSignal): Promise<AttemptResult> {
    const { timeoutMs } = this.settings;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      // Known once the status line is in: a body still trickling at the deadline does not undo it.
      let answered: AttemptResult | undefined;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const request = transport.request(url, {
        method: 'POST',
        agent: this.agents[url.protocol as 'http:' | 'https:'],
        lookup: this.lookup,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': 'crm-webhooks/1' },
      });
      const timer = setTimeout(() => {
        finish(answered ?? failure(`timeout after ${timeoutMs} ms`));
        request.destroy();
      }, timeoutMs);
      const onAbort = () => {
        finish(failure('abandoned at shutdown'));
        request.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(failure(describeError(error))));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        // The status decides; the body is only drained (up to the cap) so the socket can be reused.
        const outcome: AttemptResult = status >= 200 && status < 300 ? { delivered: true, status } : failure(statusError(status), status);
        answered = outcome;
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > RESPONSE_BODY_CAP) {
            response.destroy();
            finish(outcome);
          }
        });
        response.on('end', () => finish(outcome));
        response.on('error', () => finish(outcome));
        response.on('close', () => finish(outcome));
      });
      request.end(body);
    });
  }
}

function failure(error: string, status: number | null = null): AttemptResult {
  return { delivered: false, status, error };
}

function statusError(status: number): string {
  return status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
}

const ERROR_TEXTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

/**
 * A short text from the error's code. Driver messages are not kept: they may quote the URL,
 * whose query string could carry a token, and they vary between Node versions.
 */
function describeError(error: Error & { code?: string }): string {
  if (error instanceof AddressNotAllowedError) return error.message;
  const code = error.code ?? '';
  const known = ERROR_TEXTS[code];
  if (known) return known;
  if (/CERT|TLS|SSL/.test(code)) return `TLS error (${code})`;
  return code ? `request failed (${code})` : 'request failed';
}
