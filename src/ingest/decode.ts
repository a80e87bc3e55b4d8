// Decoding an export: UTF-8 (with or without BOM) or Windows-1252, detected from the bytes unless pinned.

export type Encoding = 'utf-8' | 'windows-1252';

export interface Decoded {
  text: string;
  encoding: Encoding;
  hadBom: boolean;
  /** True when the bytes are not valid in the (pinned) encoding: such records hold U+FFFD and are rejected. */
  invalidBytes: boolean;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
// Node 20.20's TextDecoder('windows-1252') decodes as ISO-8859-1 (bytes 0x80–0x9F become C1 controls), so the
// 32 characters where Windows-1252 differs are mapped here. Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as is.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const latin1 = new TextDecoder('latin1');
const cp1252 = {
  decode(bytes: Uint8Array): string {
    return latin1.decode(bytes).replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  },
};

export function decode(bytes: Uint8Array, pinned?: Encoding): Decoded {
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (pinned === 'windows-1252') {
    return { text: cp1252.decode(body), encoding: 'windows-1252', hadBom, invalidBytes: false };
  }
  try {
    return { text: utf8Strict.decode(body), encoding: 'utf-8', hadBom, invalidBytes: false };
  } catch {
    if (pinned === 'utf-8' || hadBom) {
      return { text: utf8Lenient.decode(body), encoding: 'utf-8', hadBom, invalidBytes: true };
    }
    return { text: cp1252.decode(body), encoding: 'windows-1252', hadBom, invalidBytes: false };
  }
}
