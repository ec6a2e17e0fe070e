/**
 * Decoding a text file's bytes: UTF-8, or UTF-16 when a byte order mark says so; for anything else a guess of
 * the encoding it is in, so the message can name the right `iconv` command. Control characters are kept out of
 * the text (replaced by spaces, so offsets stay exact) or, when a file is full of them, the file is called binary.
 */

/** A decoded text, or why the bytes are not one (`reason` and `fix` are sentences without the file's name). */
export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
  | { readonly ok: false; readonly reason: string; readonly fix: string };

/** Share of control characters above which a file is taken for binary rather than text. */
const BINARY_SHARE = 0.05;

/**
 * Control characters that never belong in a quote: C0 controls but tab, line feed and carriage return; DEL; C1
 * controls. Form feed and vertical tab are included (page breaks of text exported from PDFs): they become spaces.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;

/**
 * Decodes a text file. A UTF-8 byte order mark is kept as U+FEFF (offsets match other readers of the file);
 * UTF-16 LE/BE with a byte order mark is read as such. Other bytes must be strict UTF-8; when they are not, the
 * result names the likely encoding and the command that converts it.
 *
 * @param location the file as the user would type it, for the `iconv` command in `fix`.
 */
export function decodeText(bytes: Uint8Array, location: string): DecodeResult {
  let text: string;
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    if (encoding !== 'utf-8') {
      return {
        ok: false,
        reason: `starts with a ${encoding.toUpperCase()} byte order mark but is not valid ${encoding.toUpperCase()}`,
        fix: 'Re-save it as UTF-8.',
      };
    }
    const offset = firstInvalidUtf8Byte(bytes);
    const guess = guessEncoding(bytes);
    return {
      ok: false,
      reason: `is not valid UTF-8 (first bad byte at offset ${offset}; it looks like ${guess.name})`,
      fix: `Re-save it as UTF-8, for example: iconv -f ${guess.iconv} -t utf-8 "${location}" > fixed && mv fixed "${location}".`,
    };
  }
  const controls = countControls(text);
  if (controls === 0) return { ok: true, text, encoding };
  if (encoding === 'utf-8') {
    const utf16 = utf16WithoutBom(bytes);
    if (utf16 !== undefined) {
      return {
        ok: false,
        reason: `looks like ${utf16.toUpperCase()} without a byte order mark (every other byte is 0)`,
        fix: `Re-save it as UTF-8, for example: iconv -f ${utf16} -t utf-8 "${location}" > fixed && mv fixed "${location}".`,
      };
    }
  }
  if (controls > Math.max(8, text.length * BINARY_SHARE)) {
    return {
      ok: false,
      reason: `looks binary, not text (${controls} control characters in ${text.length})`,
      fix: 'Export it as text (or PDF, HTML, DOCX), or move it out of the corpus folder.',
    };
  }
  return { ok: true, text: text.replace(CONTROL, ' '), encoding };
}

function countControls(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) n++;
  }
  return n;
}

/** `utf-16le`/`utf-16be` when most NUL bytes sit at odd/even offsets, as in UTF-16 text of a Latin script. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 4096);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  if (odd > n * 0.3 && even < odd / 10) return 'utf-16le';
  if (even > n * 0.3 && odd < even / 10) return 'utf-16be';
  return undefined;
}

/**
 * The likely single-byte encoding of non-UTF-8 bytes, from their high bytes (0x80–0xFF): Cyrillic text writes
 * whole words in them (long runs), West-European text has an accented letter here and there (runs of one). Of
 * the Cyrillic encodings, Windows-1251 puts lower-case letters at 0xE0–0xFF and KOI8-R at 0xC0–0xDF; lower case
 * dominates running text. Windows-1252 has its curly quotes and dashes at 0x80–0x9F, which ISO-8859-1 lacks.
 */
export function guessEncoding(bytes: Uint8Array): { readonly name: string; readonly iconv: string } {
  let high = 0;
  let runs = 0;
  let upperHalf = 0;
  let lowerHalf = 0;
  let c1 = 0;
  let previousHigh = false;
  for (const b of bytes) {
    const isHigh = b >= 0x80;
    if (isHigh) {
      high++;
      if (!previousHigh) runs++;
      if (b >= 0xe0) upperHalf++;
      else if (b >= 0xc0) lowerHalf++;
      else if (b < 0xa0) c1++;
    }
    previousHigh = isHigh;
  }
  const meanRun = runs === 0 ? 0 : high / runs;
  if (meanRun >= 2.5) {
    return lowerHalf > upperHalf
      ? { name: 'KOI8-R (Cyrillic)', iconv: 'koi8-r' }
      : { name: 'Windows-1251 (Cyrillic)', iconv: 'cp1251' };
  }
  if (c1 > 0) return { name: 'Windows-1252 (Western European)', iconv: 'cp1252' };
  return { name: 'ISO-8859-1 (Latin-1)', iconv: 'latin1' };
}

/** Byte offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF), or -1. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}
