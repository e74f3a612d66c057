import iconv from 'iconv-lite';
import { ValidationError } from '../domain/errors';

/** The encodings an upload may be in, as the job reports them. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedUpload {
  readonly text: string;
  readonly encoding: CsvEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
// Fatal: bytes that are not UTF-8 mean another encoding, not characters to replace.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Charsets a Content-Type may name, and how iconv-lite calls them. */
const DECLARED: Readonly<Record<string, CsvEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  // What browsers mean by it (WHATWG Encoding): the superset, so 0x80–0x9F are € ’ œ …
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/**
 * The upload's text. A BOM decides (UTF-8, or UTF-16 as Excel's "Unicode text" writes it);
 * otherwise bytes that are valid UTF-8 are UTF-8, and anything else is Windows-1252, which is
 * what Excel on Windows saves as "CSV". Windows-1252 goes through iconv-lite, not TextDecoder:
 * Node's TextDecoder('windows-1252') here maps 0x80–0x9F to C1 controls (nodejs/node#60888),
 * which would turn the € of a price, the ’ of "l’été" and the œ of "Cœur" into garbage.
 * A declared charset (Content-Type) is honoured unless a BOM says otherwise.
 */
export function decodeUpload(bytes: Uint8Array, declaredCharset?: string): DecodedUpload {
  const declared = declaredCharset ? DECLARED[declaredCharset.toLowerCase()] : undefined;
  if (declaredCharset && !declared) throw new UnsupportedCharsetError(declaredCharset);
  let decoded: DecodedUpload;
  if (startsWith(bytes, UTF8_BOM)) decoded = { text: utf8(bytes.subarray(3)), encoding: 'utf-8-bom' };
  else if (startsWith(bytes, [0xff, 0xfe])) decoded = utf16(bytes, 'utf-16le');
  else if (startsWith(bytes, [0xfe, 0xff])) decoded = utf16(bytes, 'utf-16be');
  else {
    refuseBinary(bytes);
    decoded = decodeWithoutBom(bytes, declared);
  }
  refuseControlCharacters(decoded.text);
  return decoded;
}

function decodeWithoutBom(bytes: Uint8Array, declared: CsvEncoding | undefined): DecodedUpload {
  if (declared === 'windows-1252') return { text: iconv.decode(Buffer.from(bytes), 'windows-1252'), encoding: 'windows-1252' };
  if (declared === 'utf-16le' || declared === 'utf-16be') return { text: iconv.decode(Buffer.from(bytes), declared), encoding: declared };
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    if (declared === 'utf-8')
      throw new ValidationError([{ path: 'body', message: 'is not valid UTF-8' }], 'The upload is declared UTF-8 but is not');
    return { text: iconv.decode(Buffer.from(bytes), 'windows-1252'), encoding: 'windows-1252' };
  }
}

function utf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new ValidationError(
      [{ path: 'body', message: 'is not valid UTF-8' }],
      'The upload starts with a UTF-8 byte order mark but is not UTF-8',
    );
  }
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedUpload {
  // iconv-lite drops the BOM itself.
  return { text: iconv.decode(Buffer.from(bytes), encoding), encoding };
}

/** NUL bytes never occur in text saved as CSV (UTF-16, which has them, was recognised by its BOM). */
function refuseBinary(bytes: Uint8Array): void {
  if (startsWith(bytes, ZIP_SIGNATURE))
    throw notText('The upload is a ZIP archive (an .xlsx workbook?): save the sheet as CSV and upload that');
  if (bytes.includes(0)) throw notText('The upload is not text (it holds NUL bytes): save the sheet as CSV and upload that');
}

// C0 controls other than tab, line feed, carriage return and form feed; DEL; C1 controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u0080-\u009f]/g;

/**
 * Text files hold a stray control character at most; a file where more than one character in
 * a hundred is one is binary whatever its bytes decoded to.
 */
function refuseControlCharacters(text: string): void {
  const sample = text.slice(0, 65_536);
  const controls = sample.match(CONTROL)?.length ?? 0;
  if (sample.includes('\u0000') || controls > sample.length / 100) {
    throw notText('The upload is not text (it holds control characters): save the sheet as CSV and upload that');
  }
}

function notText(message: string): ValidationError {
  return new ValidationError([{ path: 'body', message: 'is not CSV text' }], message);
}

/** The Content-Type names a charset this server cannot decode. */
export class UnsupportedCharsetError extends Error {
  constructor(readonly charset: string) {
    super(`The charset ${JSON.stringify(charset.slice(0, 40))} is not supported: send UTF-8 or Windows-1252`);
  }
}
