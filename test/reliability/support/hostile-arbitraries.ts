import fc from 'fast-check';

/** Strings that have broken SQL, LIKE patterns, JSON handling or text columns somewhere before. */
const NASTY_STRINGS = [
  "' OR '1'='1",
  "Robert'); DROP TABLE clients;--",
  '"; DELETE FROM exchanges; --',
  '%',
  '_',
  '%_%',
  '\\',
  '\\%',
  '\\\\_',
  '[a-z]*',
  '$1',
  '?',
  ':id',
  '${name}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '\u001f',
  '\r\n',
  '\u202e',
  '\ufeff',
  '\ud800',
  'x\udfffy',
  '🙂',
  'e\u0301',
  'ǅ',
  'ß',
  'İ',
  '__proto__',
  'constructor',
  'x'.repeat(201),
  '1e999',
  '-0',
  'NaN',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Any string: ordinary text, any code point, lone surrogates, and the nasty list. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.oneof(fc.constantFrom('%', '_', '\\', "'", '"', 'é', 'É'), loneSurrogate), maxLength: 8 }),
);

/**
 * Text a client may legitimately send (valid Unicode, no NUL, not blank) but full of SQL and
 * LIKE metacharacters, accents and astral characters: it must come back byte for byte.
 */
export const storableText = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({
        unit: fc.constantFrom('%', '_', '\\', "'", '"', ';', '-', 'a', 'É', 'ß', '🙂', 'e\u0301', ' ', '*', '['),
        minLength: 1,
        maxLength: 12,
      }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
      fc.constantFrom(...NASTY_STRINGS),
    )
    .map((s) => s.slice(0, maxLength))
    .filter((s) => s.isWellFormed() && !s.includes('\u0000') && s.trim().length > 0);

const FIELD_NAMES = [
  'name',
  'email',
  'phone',
  'company',
  'status',
  'tags',
  'notes',
  'kind',
  'direction',
  'subject',
  'body',
  'occurredAt',
  'followUpAt',
];
const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'id', 'version', 'createdAt', ''];

/** JSON number texts JavaScript numbers cannot all hold: huge, tiny, negative zero, long. */
const hostileNumberText = fc.oneof(
  fc.constantFrom('1e999', '-1e999', '1e-400', '-0', '123456789012345678901234567890', '9007199254740993', '0.1e1', '1E+2'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.bigInt().map(String),
);

/** Any JSON value, with hostile strings and numbers as leaves, rendered as JSON text. */
const hostileJsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString.map((s) => JSON.stringify(s)),
    hostileNumberText,
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    objectText(tie('value')),
  ),
})).value;

/**
 * A JSON object written as text, so keys can repeat and `__proto__` stays an ordinary key
 * (an object literal would set the prototype instead).
 */
function objectText(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...DANGEROUS_KEYS), hostileString);
  return fc
    .array(fc.tuple(key, value), { maxLength: 6 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
}

/** Request bodies as raw bytes: JSON-ish text, broken JSON, invalid UTF-8, deep nesting. */
export const hostileBody: fc.Arbitrary<Buffer> = fc.oneof(
  objectText(hostileJsonText).map((text) => Buffer.from(text, 'utf8')),
  hostileJsonText.map((text) => Buffer.from(text, 'utf8')),
  fc.constantFrom(1, 100, 5_000, 100_000).map((depth) => Buffer.from(`{"name":"deep","tags":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
  fc.constantFrom(100, 100_000).map((depth) => Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('"}')])),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // {"name":"\xC3("}
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    Buffer.from('{"name":"\\ud800"}'),
    Buffer.from('{"name":"a","name":"b"}'),
    Buffer.from('{"__proto__":{"polluted":true},"name":"p"}'),
    Buffer.from('{"constructor":{"prototype":{"polluted":true}},"name":"p"}'),
    Buffer.from('{"name":"x"'),
    Buffer.from(''),
    Buffer.from('null'),
  ),
);

/** Path segments: ids that are almost ids, traversal, encoded junk, undecodable escapes. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    '%ff',
    '%E0%A4%A',
    '%',
    '%%',
    '01900000-0000-7000-8000-00000000000G',
    '01900000-0000-7000-8000-0000000000001',
    "1'%20OR%20'1'='1",
    '-1',
    '0',
  ),
  fc.uuid().map((id) => id.toUpperCase()),
  hostileString.map((s) => encodeURIComponent(s.isWellFormed() ? s : s.replace(/[\ud800-\udfff]/g, '?'))),
);

const QUERY_NAMES = [
  'limit',
  'cursor',
  'q',
  'status',
  'tag',
  'sort',
  'updatedSince',
  'clientId',
  'kind',
  'direction',
  'occurredFrom',
  'occurredTo',
  'followUpDue',
  '__proto__',
  'constructor',
  'limit[]',
  'q[$ne]',
];

/** Raw query strings, including repeated names and escapes that do not decode. */
export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_NAMES), hostileString.map(safeEncode)),
      fc.oneof(
        hostileString.map(safeEncode),
        hostileNumberText,
        fc.constantFrom('%', '%zz', '%E9', '%C3%28', '', '-1', '0', '101', '1e3', '20.5'),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

function safeEncode(text: string): string {
  return encodeURIComponent(text.isWellFormed() ? text : text.replace(/[\ud800-\udfff]/g, '\ufffd'));
}

/** Header values Node can put on the wire (latin-1, no CR/LF), hostile all the same. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom('', '*', '"1"', 'W/"1"', '"999999999999"', '"-1"', '"1", "2"', 'null', '%00', "' OR 1=1 --", 'x'.repeat(300)),
    // DEL (0x7f) is the one latin-1 character Node refuses to send in a header.
    fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((c) => c !== 0x7f)
        .map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  )
  .filter((value) => value === value.trim());

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset="\u00e9"',
);
