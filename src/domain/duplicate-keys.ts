import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { foldText } from './text-normalization';

/**
 * The keys two clients are compared on to call them duplicates: the same folded email, the same
 * phone number however it is written, or the same folded name and company. They are stored beside
 * each client (email_key, phone_key, name_key) so that finding duplicates, and matching an
 * imported row with an existing client, are index lookups. A key is null when there is nothing
 * to compare: such a client is never anyone's duplicate on that key.
 */

/**
 * Keys are indexed; a PostgreSQL b-tree entry must stay under ~2.7 kB, and folding can lengthen a
 * text (NFKD turns some characters into up to 18). Two keys equal on their first 300 characters
 * count as equal: far past any real email, phone or name.
 */
const MAX_KEY_LENGTH = 300;

/** Fewer digits than this is not a phone number anyone could dial: no key. */
const MIN_PHONE_DIGITS = 5;

// Spaces, dots, dashes, quotes, commas, symbols: anything but letters and digits.
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
// Separates name and company in name_key; it cannot occur in either part (punctuation is dropped).
const NAME_COMPANY_SEPARATOR = '|';

/** Lower case, accents folded, trimmed: `  Hélène.Dupont@Exemple.FR ` -> `helene.dupont@exemple.fr`. */
export function emailKey(email: string | null): string | null {
  if (email === null) return null;
  const key = foldText(email.trim());
  return key === '' ? null : bounded(key);
}

/**
 * The number in E.164 (`+33612345678`) when it is a possible number of its country, the country
 * being the default region unless the number says otherwise (`06 12 34 56 78`, `+33 6 12 34 56
 * 78` and `0033 6.12.34.56.78` are one key with region FR). Otherwise its digits alone (never
 * equal to an E.164 key, which starts with +), or null with fewer than five digits.
 */
export function phoneKey(phone: string | null, region: CountryCode): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < MIN_PHONE_DIGITS) return null;
  const parsed = parsePhoneNumberFromString(phone, region);
  return parsed?.isPossible() ? parsed.number : bounded(digits);
}

/**
 * Folded name and company, letters and digits only: `Hélène Dupont` at `Dupont & Fils` ->
 * `helenedupont|dupontfils`. Spaces go with the punctuation, so `S.A.`, `S A` and `SA`, or
 * `Dupont-Fils` and `Dupont Fils`, are one company. A name alone is too weak a sign (two people
 * may share one), so there is no key without a company.
 */
export function nameCompanyKey(name: string, company: string | null): string | null {
  if (company === null) return null;
  const folded = [name, company].map((part) => foldText(part).replace(NOT_LETTER_OR_DIGIT, ''));
  if (folded.some((part) => part === '')) return null;
  return bounded(folded.join(NAME_COMPANY_SEPARATOR));
}

/** Cut on code points, never inside a surrogate pair (PostgreSQL refuses half a character). */
function bounded(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : Array.from(key).slice(0, MAX_KEY_LENGTH).join('');
}

/*
 * The region numbers without an international prefix belong to. phone_key is a derived column,
 * computed by the row writer from the client alone, so the region is set once for the process at
 * start-up (createApp, the crm command) from PHONE_DEFAULT_REGION; FR until then. Changing the
 * setting later leaves the keys already stored as they were.
 */
let defaultPhoneRegion: CountryCode = 'FR';

export function configurePhoneRegion(region: string): void {
  const code = region.toUpperCase();
  if (!isSupportedCountry(code)) throw new Error(`unknown phone region ${region}`);
  defaultPhoneRegion = code;
}

export function phoneRegion(): CountryCode {
  return defaultPhoneRegion;
}
