// Decoding an export (FORMATS.md §3): UTF-8 (with or without BOM), Windows-1252, or UTF-16 with a BOM (little or
// big endian), detected from the bytes unless the configuration pins the encoding.

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
export type PinnedEncoding = 'utf-8' | 'windows-1252';

export interface Decoded {
  text: string;
  encoding: Encoding;
  hadBom: boolean;
  /** True when the bytes are not valid in the (pinned) encoding: such records hold U+FFFD and are rejected. */
  invalidBytes: boolean;
  /** Why the encoding was taken, for a reason naming invalid bytes (Danish). */
  why: string;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: true });
// Node 20.20's TextDecoder('windows-1252') decodes as ISO-8859-1 (bytes 0x80–0x9F become C1 controls), so the
// 32 characters where Windows-1252 differs are mapped here. Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as is.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const latin1 = new TextDecoder('latin1');
const cp1252 = {
  decode(bytes: Uint8Array): string {
    return latin1.decode(bytes).replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  },
};

/** The UTF-16 byte order announced by a BOM, or null. */
export function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** UTF-16 text after its BOM; unpaired surrogates and an odd final byte become U+FFFD. */
function decodeUtf16(body: Uint8Array, order: 'utf-16le' | 'utf-16be'): { text: string; invalid: boolean } {
  let le = body;
  if (order === 'utf-16be') {
    le = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      le[i] = body[i + 1];
      le[i + 1] = body[i];
    }
    if (body.length % 2 === 1) le[body.length - 1] = body[body.length - 1];
  }
  const text = utf16le.decode(le);
  return { text, invalid: text.includes('\uFFFD') };
}

export function decode(bytes: Uint8Array, pinned?: PinnedEncoding): Decoded {
  const order = pinned ? null : utf16Bom(bytes);
  if (order) {
    const { text, invalid } = decodeUtf16(bytes.subarray(2), order);
    return { text, encoding: order, hadBom: true, invalidBytes: invalid, why: `filen er ${order.toUpperCase()} ifølge sin BOM` };
  }
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (pinned === 'windows-1252') {
    return { text: cp1252.decode(body), encoding: 'windows-1252', hadBom, invalidBytes: false, why: '' };
  }
  try {
    return { text: utf8Strict.decode(body), encoding: 'utf-8', hadBom, invalidBytes: false, why: '' };
  } catch {
    if (pinned === 'utf-8' || hadBom) {
      const why = pinned === 'utf-8' ? 'konfigurationen fastlægger UTF-8' : 'filen er UTF-8 ifølge sin BOM';
      return { text: utf8Lenient.decode(body), encoding: 'utf-8', hadBom, invalidBytes: true, why };
    }
    return { text: cp1252.decode(body), encoding: 'windows-1252', hadBom, invalidBytes: false, why: '' };
  }
}
