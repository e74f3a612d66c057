import type { ReceivedRequest } from '../../support/webhook-receiver';
import { AUTH, JSON_AUTH } from './api-client';

type EventType = 'client.created' | 'client.updated' | 'exchange.created';

/** A write the load sent: `marker` is a unique text it stores, so its event can be recognised. */
interface SentWrite {
  readonly type: EventType;
  readonly marker: string;
}

const keyOf = (type: string, id: unknown, version: unknown) => `${type} ${String(id)} v${String(version)}`;

/**
 * The writes a load made while its server could be killed at any moment, as the events they
 * must produce: every acknowledged write (a 2xx) must be announced, and an event may only
 * announce an acknowledged write or one in flight at a kill that turned out committed.
 */
export class EventLedger {
  /** Event key (type, record id, version) of each acknowledged write -> its marker. */
  readonly acknowledged = new Map<string, string>();
  /** Writes whose answer never came (the server died first): each may or may not have committed. */
  readonly unanswered = new Map<string, SentWrite>();
  readonly anomalies: string[] = [];
  private readonly clients: string[] = [];
  private sequence = 0;

  async runLoad(baseUrl: string, workers: number, stop: () => boolean): Promise<void> {
    await Promise.all(Array.from({ length: workers }, (_, worker) => this.worker(baseUrl, worker, stop)));
  }

  private async worker(baseUrl: string, worker: number, stop: () => boolean): Promise<void> {
    while (!stop()) {
      const pick = Math.random();
      const target = this.clients[Math.floor(Math.random() * this.clients.length)];
      const marker = `w${worker}-${(this.sequence += 1)}-${Math.random().toString(36).slice(2, 8)}`;
      let write: SentWrite;
      let send: () => Promise<Response>;
      if (target === undefined || pick < 0.4) {
        write = { type: 'client.created', marker };
        send = () =>
          fetch(`${baseUrl}/api/v1/clients`, {
            method: 'POST',
            headers: JSON_AUTH,
            body: JSON.stringify({ name: marker, tags: ['hook'] }),
          });
      } else if (pick < 0.75) {
        write = { type: 'client.updated', marker };
        send = () =>
          fetch(`${baseUrl}/api/v1/clients/${target}`, { method: 'PATCH', headers: JSON_AUTH, body: JSON.stringify({ notes: marker }) });
      } else {
        write = { type: 'exchange.created', marker };
        send = () =>
          fetch(`${baseUrl}/api/v1/clients/${target}/exchanges`, {
            method: 'POST',
            headers: JSON_AUTH,
            body: JSON.stringify({ kind: 'note', subject: marker }),
          });
      }
      let answer: { status: number; body: { id?: string; version?: number } };
      try {
        const res = await send();
        answer = { status: res.status, body: (await res.json()) as { id?: string; version?: number } };
      } catch {
        // The server was killed: this write stays unanswered, committed or not.
        this.unanswered.set(marker, write);
        return;
      }
      if (answer.status !== 200 && answer.status !== 201) {
        this.anomalies.push(`${write.type} -> ${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      this.acknowledged.set(keyOf(write.type, answer.body.id, answer.body.version), marker);
      if (write.type === 'client.created' && answer.body.id) this.clients.push(answer.body.id);
    }
  }

  /**
   * Compares what the receiver got with the writes: acknowledged writes never announced, events
   * for writes that were never made (or were made but did not commit), and duplicates that do
   * not share their webhook-id. `stored` reads a record's current version back (null: absent).
   */
  async check(received: readonly ReceivedRequest[], stored: (type: string, id: string) => Promise<number | null>) {
    const ids = new Map<string, Set<string>>();
    for (const request of received) {
      const { type, data } = request.payload;
      const key = keyOf(type, data.id, data.version);
      ids.set(key, (ids.get(key) ?? new Set()).add(request.webhookId));
    }
    const missing = [...this.acknowledged.keys()].filter((key) => !ids.has(key));
    const unexplained: string[] = [];
    for (const request of received) {
      const { type, data } = request.payload;
      const marker = String(type === 'client.created' ? data.name : type === 'client.updated' ? data.notes : data.subject);
      if (this.acknowledged.get(keyOf(type, data.id, data.version)) === marker) continue;
      const sent = this.unanswered.get(marker);
      // Not acknowledged: it must be a write in flight at a kill that committed, so the record is there.
      const version = sent && sent.type === type ? await stored(type, String(data.id)) : null;
      if (version === null || version < Number(data.version)) unexplained.push(`${type} ${JSON.stringify(data)}`);
    }
    const splitIds = [...ids].filter(([, webhookIds]) => webhookIds.size > 1).map(([key]) => key);
    const duplicates = received.length - ids.size;
    const badSignatures = received.filter((request) => request.verifyError !== null).length;
    return { missing, unexplained, splitIds, duplicates, badSignatures };
  }
}

/** The current version of a client or an exchange through the API, null when it is not there. */
export function storedVersion(baseUrl: string) {
  return async (type: string, id: string): Promise<number | null> => {
    const resource = type.startsWith('client.') ? 'clients' : 'exchanges';
    const res = await fetch(`${baseUrl}/api/v1/${resource}/${id}`, { headers: AUTH });
    return res.status === 200 ? ((await res.json()) as { version: number }).version : null;
  };
}
