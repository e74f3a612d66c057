import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver saw of one delivery. */
export interface Receipt {
  readonly webhookId: string;
  /** Milliseconds between the event's write (its `timestamp`) and its arrival here. */
  readonly lagMs: number;
  readonly receivedAt: number;
}

/**
 * A webhook endpoint on loopback that answers 204 at once and notes when each delivery
 * arrived: the far end of the lag measured (event written -> received). Signatures are
 * checked by the tests, not here: verifying would charge the receiver's CPU to the machine
 * the server shares.
 */
export class BenchReceiver {
  readonly receipts: Receipt[] = [];
  private readonly ids = new Set<string>();
  duplicates = 0;
  private server: http.Server | null = null;

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const receivedAt = Date.now();
        const webhookId = String(request.headers['webhook-id'] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string };
        if (this.ids.has(webhookId)) this.duplicates += 1;
        else {
          this.ids.add(webhookId);
          this.receipts.push({ webhookId, lagMs: receivedAt - Date.parse(body.timestamp), receivedAt });
        }
        response.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Resolves once `count` distinct deliveries arrived, or with false after `timeoutMs`. */
  async waitFor(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.receipts.length < count) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
