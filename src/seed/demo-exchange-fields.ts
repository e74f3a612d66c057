import type { ExchangeKind } from '../domain/exchange';
import { fill } from './demo-client-fields';
import type { Prng } from './prng';
import { CITIES, EXCHANGE_BODIES, EXCHANGE_SUBJECTS, INTERNAL_NOTES, type Locale } from './vocabulary';

interface ExchangeContent {
  subject: string | null;
  body: string | null;
}

/** A subject, a body or both (never neither: the domain requires one), in the client's language. */
export function exchangeContent(random: Prng, kind: ExchangeKind, locale: Locale, firstName: string): ExchangeContent {
  const values = { first: firstName, city: random.pick(CITIES[locale]), n: String(random.int(1000, 9999)) };
  const body = () => fill(random.pick(EXCHANGE_BODIES[locale]), values);
  if (kind === 'note') return { subject: null, body: fill(random.pick(INTERNAL_NOTES[locale]), values) };
  const subject = fill(random.pick(EXCHANGE_SUBJECTS[kind][locale]), values);
  if (kind === 'message') return random.chance(0.6) ? { subject: null, body: body() } : { subject, body: body() };
  return { subject, body: random.chance(0.75) ? body() : null };
}
