/**
 * Strings decoded the way h5wasm decodes them, so that names and values read natively equal the bridge's:
 * emscripten's UTF8ToString (a TextDecoder above 16 bytes, which drops a leading byte order mark; a hand decoder
 * up to 16 bytes, which keeps it), AsciiToString (one character per byte), and h5wasm's fixed-length string
 * decoding (a TextDecoder per character set, cut at the first NUL).
 */

const UTF8 = new TextDecoder();
const FIXED_DECODERS = { 0: new TextDecoder("ascii"), 1: new TextDecoder("utf-8") };
const SHORT_STRING_BYTES = 16;

/** emscripten's UTF8ToString of exactly these bytes (names, variable-length UTF-8 strings). */
export function emscriptenUtf8(bytes: Uint8Array): string {
  if (bytes.length > SHORT_STRING_BYTES) return UTF8.decode(bytes);
  let text = "";
  let i = 0;
  const at = (k: number) => (k < bytes.length ? bytes[k] : 0);
  while (i < bytes.length) {
    let u0 = bytes[i++];
    if ((u0 & 0x80) === 0) {
      text += String.fromCharCode(u0);
      continue;
    }
    const u1 = at(i++) & 63;
    if ((u0 & 0xe0) === 0xc0) {
      text += String.fromCharCode(((u0 & 31) << 6) | u1);
      continue;
    }
    const u2 = at(i++) & 63;
    if ((u0 & 0xf0) === 0xe0) u0 = ((u0 & 15) << 12) | (u1 << 6) | u2;
    else u0 = ((u0 & 7) << 18) | (u1 << 12) | (u2 << 6) | (at(i++) & 63);
    if (u0 < 0x10000) text += String.fromCharCode(u0);
    else {
      const ch = u0 - 0x10000;
      text += String.fromCharCode(0xd800 | (ch >> 10), 0xdc00 | (ch & 1023));
    }
  }
  return text;
}

/** A variable-length string's bytes as h5wasm returns them: cut at the first NUL, decoded per character set. */
export function vlenString(bytes: Uint8Array, cset: number): string {
  const zero = bytes.indexOf(0);
  const text = zero >= 0 ? bytes.subarray(0, zero) : bytes;
  return cset === 1 ? emscriptenUtf8(text) : Buffer.from(text.buffer, text.byteOffset, text.length).toString("latin1");
}

/** A fixed-length string element as h5wasm returns it. */
export function fixedString(bytes: Uint8Array, cset: number): string {
  const zero = bytes.indexOf(0);
  return FIXED_DECODERS[cset === 1 ? 1 : 0].decode(zero >= 0 ? bytes.subarray(0, zero) : bytes);
}
