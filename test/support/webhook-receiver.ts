import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, with the verdict of the standardwebhooks package on its signature. */
export interface ReceivedRequest {
  readonly webhookId: string;
  readonly timestamp: string;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** null when Webhook.verify accepted it, else its error. */
  readonly verifyError: string | null;
  readonly at: number;
}

/** What to answer to the n-th request (from 1): a status, or `hang` to never answer. */
export type Responder = (n: number, request: http.IncomingMessage, response: http.ServerResponse) => number | 'hang' | 'handled';

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** Resolves once `count` requests came in; rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/**
 * A webhook endpoint on loopback that records every request and verifies its signature the way
 * an integrator would, with the `standardwebhooks` package and the subscription's secret.
 */
export async function startReceiver(secret: string | (() => string), respond: Responder = () => 204): Promise<Receiver> {
  // A getter when the secret is only known once the subscription is created through the API.
  const verifier = () => new Webhook(typeof secret === 'string' ? secret : secret());
  const received: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(request.headers[name] ?? '');
      let verifyError: string | null = null;
      try {
        verifier().verify(body, {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        });
      } catch (error) {
        verifyError = (error as Error).message;
      }
      received.push({
        webhookId: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        contentType: request.headers['content-type'],
        body,
        payload: JSON.parse(body) as ReceivedRequest['payload'],
        verifyError,
        at: Date.now(),
      });
      for (const waiter of waiters) waiter();
      const answer = respond(received.length, request, response);
      if (answer === 'hang' || answer === 'handled') return;
      response.statusCode = answer;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          cleanup();
          resolve(received.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`receiver got ${received.length} of ${count} requests in ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (a connection to it is refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
