import fs from 'node:fs';
import { API_KEY } from '../../support/api-harness';

export const AUTH = { Authorization: `Bearer ${API_KEY}` };
export const JSON_AUTH = { ...AUTH, 'Content-Type': 'application/json' };

export interface ClientRecord {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  status: string;
  tags: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ExchangeRecord {
  id: string;
  clientId: string;
  kind: string;
  direction: string | null;
  subject: string | null;
  body: string | null;
  occurredAt: string;
  followUpAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { method: 'POST', headers: { ...JSON_AUTH, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Every record of a paginated list, following nextCursor to the end (100 per page). */
export async function listAll<T>(baseUrl: string, resource: 'clients' | 'exchanges'): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await fetch(`${baseUrl}/api/v1/${resource}?limit=100${query}`, { headers: AUTH });
    if (res.status !== 200) throw new Error(`GET ${resource} answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { data: T[]; nextCursor: string | null };
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * One line per scenario that docs/reliability.md quotes. Written to the real stdout (jest
 * passes it through) and appended to RELIABILITY_REPORT when set, so a run can fill the doc.
 */
export function reportResult(line: string): void {
  const text = `[reliability] ${line}\n`;
  process.stdout.write(text);
  const file = process.env.RELIABILITY_REPORT;
  if (file) fs.appendFileSync(file, text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
