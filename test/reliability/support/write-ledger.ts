import { isDeepStrictEqual } from 'node:util';
import { AUTH, JSON_AUTH, listAll, type ClientRecord, type ExchangeRecord } from './api-client';

/**
 * Deep equality of JSON values. Not util.isDeepStrictEqual alone: under jest, fetch builds its
 * objects in another realm than the test's literals, and strict equality compares prototypes.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

type ClientPatch = Partial<Pick<ClientRecord, 'name' | 'notes' | 'status' | 'tags' | 'company'>>;

/**
 * What the server acknowledged (a 2xx with the record in the body), kept by a write load that
 * runs while the server may be killed at any moment. Each worker writes only to the clients it
 * created, one request at a time, so at most one write per client is in flight at the kill:
 * after a restart a client is either at its acknowledged version (the in-flight write was
 * lost, which is allowed: it was never acknowledged) or exactly one version later with the
 * in-flight patch applied (it committed but the answer never left).
 */
export class WriteLedger {
  readonly clients = new Map<string, ClientRecord>();
  readonly exchanges = new Map<string, ExchangeRecord>();
  private readonly pending = new Map<string, ClientPatch>();
  private readonly owners = new Map<string, number>();
  acknowledged = 0;
  /** Updates in flight at a kill that turned out committed (allowed: never acknowledged). */
  inFlightCommitted = 0;
  /** Answers that make no sense (e.g. 412 on our own version): a bug, reported by the test. */
  readonly anomalies: string[] = [];
  private sequence = 0;

  /** Runs `workers` concurrent writers until the server stops answering (or stop() is true). */
  async runLoad(baseUrl: string, workers: number, stop: () => boolean): Promise<void> {
    await Promise.all(Array.from({ length: workers }, (_, index) => this.worker(baseUrl, index, workers, stop)));
  }

  private async worker(baseUrl: string, index: number, workers: number, stop: () => boolean): Promise<void> {
    const owned = [...this.clients.keys()].filter((id) => (this.owners.get(id) ?? 0) % workers === index);
    try {
      while (!stop()) {
        const pick = Math.random();
        const target = owned[Math.floor(Math.random() * owned.length)];
        if (target === undefined || pick < 0.35) {
          const id = await this.createClient(baseUrl, index);
          if (id) owned.push(id);
        } else if (pick < 0.7) await this.updateClient(baseUrl, target);
        else await this.createExchange(baseUrl, target);
      }
    } catch {
      // The server was killed: this worker's in-flight write stays unacknowledged.
    }
  }

  private async createClient(baseUrl: string, worker: number): Promise<string | null> {
    this.sequence += 1;
    const body = {
      name: `Zoë ${worker}-${this.sequence} O'Brien 100%_`,
      email: `w${worker}.${this.sequence}@example.com`,
      tags: ['crash', `w${worker}`],
      notes: `créé ${new Date().toISOString()}`,
    };
    const res = await fetch(`${baseUrl}/api/v1/clients`, { method: 'POST', headers: JSON_AUTH, body: JSON.stringify(body) });
    const answer = (await res.json()) as ClientRecord;
    if (res.status !== 201) return this.anomaly(`create client -> ${res.status} ${JSON.stringify(answer)}`);
    this.acknowledge(answer, body);
    this.owners.set(answer.id, worker);
    return answer.id;
  }

  private async updateClient(baseUrl: string, id: string): Promise<void> {
    const current = this.clients.get(id);
    if (!current) return;
    const patch: ClientPatch = { notes: `v${current.version + 1} ${Math.random().toString(36).slice(2)}`, status: 'customer' };
    this.pending.set(id, patch);
    const res = await fetch(`${baseUrl}/api/v1/clients/${id}`, {
      method: 'PATCH',
      headers: { ...JSON_AUTH, 'If-Match': `"${current.version}"` },
      body: JSON.stringify(patch),
    });
    const answer = (await res.json()) as ClientRecord;
    if (res.status !== 200) return void this.anomaly(`update ${id} -> ${res.status} ${JSON.stringify(answer)}`);
    this.acknowledge(answer, { ...current, ...patch });
    this.pending.delete(id);
  }

  private async createExchange(baseUrl: string, clientId: string): Promise<void> {
    const body = { kind: 'call', direction: 'outbound', subject: `Appel ${Math.random().toString(36).slice(2)}`, body: 'Ça va ? 50% off' };
    const res = await fetch(`${baseUrl}/api/v1/clients/${clientId}/exchanges`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as ExchangeRecord;
    if (res.status !== 201) return void this.anomaly(`create exchange -> ${res.status} ${JSON.stringify(answer)}`);
    for (const [field, value] of Object.entries(body)) {
      if (answer[field as keyof ExchangeRecord] !== value)
        this.anomaly(`exchange ${answer.id} acknowledged ${field}=${String(answer[field as keyof ExchangeRecord])}`);
    }
    this.exchanges.set(answer.id, answer);
    this.acknowledged += 1;
  }

  /** The acknowledged record must say what was sent; then it is what must survive. */
  private acknowledge(answer: ClientRecord, sent: Partial<ClientRecord>): void {
    for (const [field, value] of Object.entries(sent)) {
      if (field === 'version' || field === 'updatedAt') continue;
      if (!sameJson(answer[field as keyof ClientRecord], value)) this.anomaly(`client ${answer.id} acknowledged ${field} differently`);
    }
    this.clients.set(answer.id, answer);
    this.acknowledged += 1;
  }

  private anomaly(message: string): null {
    this.anomalies.push(message);
    return null;
  }

  /**
   * Reads everything back through the restarted server and returns every acknowledged write
   * that is missing or differs. Afterwards the ledger adopts committed in-flight updates.
   */
  async verify(baseUrl: string): Promise<string[]> {
    const storedClients = new Map((await listAll<ClientRecord>(baseUrl, 'clients')).map((c) => [c.id, c]));
    const storedExchanges = new Map((await listAll<ExchangeRecord>(baseUrl, 'exchanges')).map((e) => [e.id, e]));
    const lost: string[] = [];
    for (const [id, acked] of this.clients) {
      const stored = storedClients.get(id);
      const patch = this.pending.get(id);
      if (!stored) lost.push(`client ${id} missing`);
      else if (stored.version === acked.version) {
        if (!sameJson(stored, acked)) lost.push(`client ${id} differs: ${JSON.stringify({ acked, stored })}`);
      } else if (patch && stored.version === acked.version + 1) {
        const { updatedAt: _u, version: _v, ...expected } = { ...acked, ...patch };
        const { updatedAt, version: _sv, ...actual } = stored;
        if (!sameJson(actual, expected) || updatedAt < acked.updatedAt) lost.push(`client ${id} in-flight update differs`);
        else {
          this.clients.set(id, stored);
          this.inFlightCommitted += 1;
        }
      } else lost.push(`client ${id} at version ${stored.version}, acknowledged ${acked.version}`);
      this.pending.delete(id);
    }
    for (const [id, acked] of this.exchanges) {
      const stored = storedExchanges.get(id);
      if (!stored || !sameJson(stored, acked)) lost.push(`exchange ${id} ${stored ? 'differs' : 'missing'}`);
    }
    // A single GET per resource as well: the list path and the item path must agree.
    for (const id of [...this.clients.keys()].slice(0, 5)) {
      const res = await fetch(`${baseUrl}/api/v1/clients/${id}`, { headers: AUTH });
      if (res.status !== 200 || !sameJson(await res.json(), this.clients.get(id))) lost.push(`client ${id} GET differs from list`);
    }
    return lost;
  }
}
