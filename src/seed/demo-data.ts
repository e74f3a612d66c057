import { v7 as uuidv7 } from 'uuid';
import type { Client, ClientStatus } from '../domain/client';
import type { Exchange, ExchangeDirection, ExchangeKind } from '../domain/exchange';
import { Prng } from './prng';
import { emailFor, phoneFor, pickCompany, pickNotes, pickTags } from './demo-client-fields';
import { FIRST_NAMES, LAST_NAMES, type Locale } from './vocabulary';
import { exchangeContent } from './demo-exchange-fields';

export interface DemoDataOptions {
  clients: number;
  exchanges: number;
  seed: string;
  /** Every timestamp falls at or before this instant, except follow-ups planned after it. */
  referenceDate?: string;
}

/** Fixed so that a seed means the same data whenever it runs (not "now"). */
export const DEFAULT_REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const HISTORY_YEARS = 6;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What exchanges need to know about their client; kept for every client (a few dozen bytes each). */
interface RosterEntry {
  id: string;
  createdMs: number;
  locale: Locale;
  firstName: string;
}

/**
 * Deterministic demo data: the same options give the same records, ids included (UUIDv7 built
 * from each record's creation time and seeded random bytes). Clients and exchanges draw from
 * separate streams, so the clients of a seed do not depend on how many exchanges are asked for.
 * Records come out in creation order, which keeps their v7 ids (nearly) ascending: inserts then
 * append to the primary-key index instead of splitting pages all over it.
 */
export class DemoDataGenerator {
  private readonly roster: RosterEntry[] = [];
  private readonly referenceMs: number;
  private readonly startMs: number;

  constructor(private readonly options: DemoDataOptions) {
    this.referenceMs = Date.parse(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
    this.startMs = this.referenceMs - HISTORY_YEARS * 365 * DAY;
  }

  *clients(): Generator<Client> {
    const random = new Prng(`${this.options.seed}/clients`);
    const count = this.options.clients;
    for (let i = 0; i < count; i++) {
      const createdMs = this.timeAt((i + random.next()) / count);
      const locale: Locale = random.chance(0.6) ? 'fr' : 'en';
      const firstName = random.pick(FIRST_NAMES[locale]);
      const lastName = random.pick(LAST_NAMES[locale]);
      const company = random.chance(0.7) ? pickCompany(random, locale, lastName) : null;
      const edited = random.chance(0.4);
      const updatedMs = edited ? createdMs + Math.floor(random.next() * (this.referenceMs - createdMs)) : createdMs;
      const client: Client = {
        id: uuidv7({ msecs: createdMs, random: random.bytes(16) }),
        name: `${firstName} ${lastName}`,
        email: random.chance(0.9) ? emailFor(random, locale, firstName, lastName, company) : null,
        phone: random.chance(0.85) ? phoneFor(random, locale) : null,
        company,
        status: random.weighted<ClientStatus>([
          ['lead', 30],
          ['prospect', 25],
          ['customer', 35],
          ['inactive', 10],
        ]),
        tags: pickTags(random),
        notes: random.chance(0.4) ? pickNotes(random, locale) : null,
        createdAt: iso(createdMs),
        updatedAt: iso(updatedMs),
        version: edited ? random.int(2, 6) : 1,
      };
      this.roster.push({ id: client.id, createdMs, locale, firstName });
      yield client;
    }
  }

  /** Call after clients() has run to the end: every exchange belongs to one of those clients. */
  *exchanges(): Generator<Exchange> {
    if (this.options.exchanges > 0 && this.roster.length === 0) throw new RangeError('exchanges need at least one client');
    const random = new Prng(`${this.options.seed}/exchanges`);
    const count = this.options.exchanges;
    let known = 0;
    for (let j = 0; j < count; j++) {
      const at = this.timeAt((j + random.next()) / count);
      // Only clients that existed by then can take part; the roster is in creation order.
      while (known < this.roster.length && (this.roster[known] as RosterEntry).createdMs <= at) known++;
      const client = this.roster[Math.floor(random.next() * Math.max(1, known))] as RosterEntry;
      const occurredMs = Math.max(at, client.createdMs);
      const kind = random.weighted<ExchangeKind>([
        ['email', 35],
        ['call', 25],
        ['meeting', 12],
        ['message', 12],
        ['note', 12],
        ['other', 4],
      ]);
      const content = exchangeContent(random, kind, client.locale, client.firstName);
      const createdMs = Math.min(this.referenceMs, occurredMs + (kind === 'email' ? 0 : random.int(0, 3 * HOUR)));
      const edited = random.chance(0.15);
      yield {
        id: uuidv7({ msecs: createdMs, random: random.bytes(16) }),
        clientId: client.id,
        kind,
        direction: directionFor(random, kind),
        subject: content.subject,
        body: content.body,
        occurredAt: iso(occurredMs),
        followUpAt: this.followUp(random, kind, occurredMs),
        createdAt: iso(createdMs),
        updatedAt: iso(edited ? Math.min(this.referenceMs, createdMs + random.int(MINUTE, 10 * DAY)) : createdMs),
        version: edited ? random.int(2, 3) : 1,
      };
    }
  }

  /**
   * Most follow-ups land days after the exchange, so older ones are now due; recent exchanges
   * often plan one after the reference date (renewals, next meetings), so some are still ahead.
   */
  private followUp(random: Prng, kind: ExchangeKind, occurredMs: number): string | null {
    const recent = this.referenceMs - occurredMs < 45 * DAY;
    if (recent && kind !== 'note' && random.chance(0.5))
      return iso(this.businessTime(this.referenceMs + random.int(1, 120) * DAY + random.int(0, DAY - 1)));
    if (!random.chance(kind === 'note' ? 0.08 : 0.15)) return null;
    return iso(this.businessTime(occurredMs + random.int(1, 21) * DAY + random.int(0, DAY - 1)));
  }

  /** Activity grows over the years: fraction u of the records falls before start + span * sqrt(u). */
  private timeAt(u: number): number {
    return Math.min(this.referenceMs, this.businessTime(this.startMs + (this.referenceMs - this.startMs) * Math.sqrt(u)));
  }

  /** Squeezes each UTC day into 07:00-18:00, keeping order, so nobody phones at 3 a.m. */
  private businessTime(ms: number): number {
    const day = Math.floor(ms / DAY) * DAY;
    return day + 7 * HOUR + Math.floor(((ms - day) / DAY) * 11 * HOUR);
  }
}

function directionFor(random: Prng, kind: ExchangeKind): ExchangeDirection | null {
  if (kind === 'note' || kind === 'meeting') return null;
  if (kind === 'other' && random.chance(0.5)) return null;
  return random.chance(0.45) ? 'inbound' : 'outbound';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
