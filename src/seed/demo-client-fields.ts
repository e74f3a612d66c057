import { foldText } from '../domain/text-normalization';
import type { Prng } from './prng';
import {
  CITIES,
  CLIENT_NOTES,
  COMPANY_NOUNS,
  COMPANY_PATTERNS,
  FIRST_NAMES,
  PERSONAL_MAIL_DOMAINS,
  PLACES,
  TAGS,
  type Locale,
} from './vocabulary';

/** Fills {name} slots of a template; unknown slots stay as they are. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, key: string) => values[key] ?? slot);
}

// Letters NFKD leaves whole (foldText keeps them), spelled out the way people type them in addresses.
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', þ: 'th' };

/** "Hélène" -> "helene", "D'Arcy" -> "darcy", "Dubœuf" -> "duboeuf": what fits in an email address. */
function asciiSlug(text: string, keep = '-'): string {
  const folded = foldText(text).replace(/[œæßøđłþ]/g, (letter) => LIGATURES[letter] ?? '');
  const allowed = new RegExp(`[^a-z0-9${keep}]`, 'g');
  return folded.replace(/\s+/g, keep).replace(allowed, '').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

export function pickCompany(random: Prng, locale: Locale, lastName: string): string {
  return fill(random.pick(COMPANY_PATTERNS[locale]), {
    last: lastName,
    noun: random.pick(COMPANY_NOUNS),
    place: random.pick(PLACES[locale]),
  });
}

export function emailFor(random: Prng, locale: Locale, firstName: string, lastName: string, company: string | null): string {
  const first = asciiSlug(firstName);
  const last = asciiSlug(lastName);
  const local = random.weighted<string>([
    [`${first}.${last}`, 50],
    [`${first.charAt(0)}${last}`, 20],
    [`${first}_${last}`, 10],
    [`${first}.${last}${random.int(2, 99)}`, 20],
  ]);
  const domain = company
    ? `${asciiSlug(company, '')}.${locale === 'fr' ? 'fr' : random.pick(['com', 'co.uk'])}`
    : random.pick(PERSONAL_MAIL_DOMAINS[locale]);
  return `${local}@${domain}`;
}

export function phoneFor(random: Prng, locale: Locale): string {
  const pairs = (n: number) => Array.from({ length: n }, () => String(random.int(0, 99)).padStart(2, '0')).join(' ');
  if (locale === 'fr') return random.chance(0.5) ? `+33 ${random.pick(['6', '7'])} ${pairs(4)}` : `0${random.int(1, 5)} ${pairs(4)}`;
  return `+44 7${random.int(100, 999)} ${String(random.int(0, 999_999)).padStart(6, '0')}`;
}

export function pickTags(random: Prng): string[] {
  return random.sample(
    TAGS,
    random.weighted<number>([
      [0, 35],
      [1, 35],
      [2, 20],
      [3, 10],
    ]),
  );
}

export function pickNotes(random: Prng, locale: Locale): string {
  return fill(random.pick(CLIENT_NOTES[locale]), { city: random.pick(CITIES[locale]), first: random.pick(FIRST_NAMES[locale]) });
}
