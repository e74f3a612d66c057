import convict from 'convict';
import { isSupportedCountry } from 'libphonenumber-js';
import { parseDuration } from './duration';

/**
 * convict's own Boolean format turns any string but "false" into true, so READ_ONLY=0 would
 * freeze writes. This format accepts only the spellings operators actually use.
 */
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
/** A century: far beyond any retention, well within what a Date can hold. */
const MAX_DAYS = 36500;

/**
 * What a setting of each named format holds once convict has coerced and validated it: the
 * formats registered below and the convict built-ins the schema uses.
 */
export interface FormatValues {
  'strict-boolean': boolean;
  'postgres-url': string;
  'byte-size': string;
  'comma-list': readonly string[];
  /** Milliseconds; null when unset, for settings whose default depends on something else. */
  duration: number | null;
  /** Milliseconds, in order (tests may go down to 1ms). */
  'duration-list': readonly number[];
  'positive-int': number;
  /** An ISO 3166 country code libphonenumber knows, upper case (FR). */
  'phone-region': string;
  /** A whole number of days, 0 included, up to a century (a larger one would overflow a date). */
  days: number;
  port: number;
  nat: number;
}

export function registerFormats(): void {
  convict.addFormat({
    name: 'strict-boolean',
    coerce: (value: unknown) => {
      const word = String(value).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return value;
    },
    validate: (value: unknown) => {
      if (typeof value !== 'boolean') throw new Error('must be true or false');
    },
  });

  convict.addFormat({
    name: 'postgres-url',
    validate: (value: unknown) => {
      if (value === '' || value === null) return;
      if (typeof value !== 'string' || !/^postgres(ql)?:\/\/.+/i.test(value)) {
        throw new Error('must be a postgres:// or postgresql:// URL');
      }
      try {
        new URL(value);
      } catch {
        throw new Error('must be a valid postgres:// URL');
      }
    },
  });

  convict.addFormat({
    name: 'byte-size',
    validate: (value: unknown) => {
      if (typeof value !== 'string' || !/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(value.trim())) {
        throw new Error('must be a size such as 1mb, 512kb or 100000');
      }
    },
  });

  convict.addFormat({
    name: 'comma-list',
    coerce: (value: unknown) =>
      String(value)
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    validate: (value: unknown) => {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw new Error('must be a comma-separated list');
      }
    },
  });

  convict.addFormat({
    name: 'duration',
    coerce: (value: unknown) => {
      if (value === null || String(value).trim() === '') return null;
      // A value refused below keeps its original spelling, so the error quotes what was written.
      const ms = parseDuration(String(value));
      return ms !== null && (ms === 0 || ms >= 1000) ? ms : value;
    },
    validate: (value: unknown) => {
      if (value === null) return;
      if (typeof value !== 'number' || (value !== 0 && value < 1000)) {
        throw new Error('must be a duration of at least 1s such as 24h, 6h, 30m or 1s (0 turns it off)');
      }
    },
  });

  convict.addFormat({
    name: 'duration-list',
    coerce: (value: unknown) => {
      if (Array.isArray(value)) return value;
      const parts = String(value)
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0);
      const ms = parts.map((part) => parseDuration(part));
      // A list with a bad item keeps its spelling, so the error quotes what was written.
      return ms.every((item): item is number => item !== null && item > 0) ? ms : value;
    },
    validate: (value: unknown) => {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'number' || item <= 0))
        throw new Error('must be a comma-separated list of durations such as 5s,1m,5m,30m');
    },
  });

  convict.addFormat({
    name: 'positive-int',
    coerce: (value: unknown) => (/^\s*\d+\s*$/.test(String(value)) ? Number(value) : value),
    validate: (value: unknown) => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new Error('must be a whole number of at least 1');
    },
  });

  convict.addFormat({
    name: 'phone-region',
    coerce: (value: unknown) => String(value).trim().toUpperCase(),
    validate: (value: unknown) => {
      if (typeof value !== 'string' || !isSupportedCountry(value)) throw new Error('must be a country code such as FR, BE, CH or US');
    },
  });

  // convict's own `nat` parses "30d" or "1.5" as a number (parseInt); a retention must be exact.
  convict.addFormat({
    name: 'days',
    coerce: (value: unknown) => (/^\s*\d+\s*$/.test(String(value)) ? Number(value) : value),
    validate: (value: unknown) => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_DAYS)
        throw new Error(`must be a whole number of days from 0 to ${MAX_DAYS}`);
    },
  });
}
