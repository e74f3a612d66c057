import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no URL parsing or re-encoding on the way. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

// One keep-alive agent: thousands of generated requests should not each pay a TCP handshake.
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** An HTTP request with raw bytes as the body, for inputs supertest or fetch would refuse to build. */
export function rawRequest(server: http.Server, request: RawRequest): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body) headers['Content-Length'] = request.body.length;
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

export function closeRawAgent(): void {
  agent.destroy();
}
