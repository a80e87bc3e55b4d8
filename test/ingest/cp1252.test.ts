// FORMATS.md §3: Windows-1252 is read exactly as Windows-1252. The 32 bytes 0x80–0x9F are where it differs from
// ISO-8859-1; the table below is typed in by hand from the code page (as code points, not copied characters).
// The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are decided as the WHATWG Encoding
// Standard's windows-1252 decoder does: the C1 control of the same number, so no byte is lost or merged.
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/ingest/decode.ts';

const CP1252_80_9F: Record<number, number> = {
  0x80: 0x20ac, // € euro sign
  0x81: 0x0081, // undefined
  0x82: 0x201a, // ‚ single low-9 quotation mark
  0x83: 0x0192, // ƒ
  0x84: 0x201e, // „ double low-9 quotation mark
  0x85: 0x2026, // … horizontal ellipsis
  0x86: 0x2020, // † dagger
  0x87: 0x2021, // ‡ double dagger
  0x88: 0x02c6, // ˆ modifier circumflex
  0x89: 0x2030, // ‰ per mille
  0x8a: 0x0160, // Š
  0x8b: 0x2039, // ‹
  0x8c: 0x0152, // Œ
  0x8d: 0x008d, // undefined
  0x8e: 0x017d, // Ž
  0x8f: 0x008f, // undefined
  0x90: 0x0090, // undefined
  0x91: 0x2018, // ‘
  0x92: 0x2019, // ’
  0x93: 0x201c, // “
  0x94: 0x201d, // ”
  0x95: 0x2022, // • bullet
  0x96: 0x2013, // – en dash
  0x97: 0x2014, // — em dash
  0x98: 0x02dc, // ˜ small tilde
  0x99: 0x2122, // ™
  0x9a: 0x0161, // š
  0x9b: 0x203a, // ›
  0x9c: 0x0153, // œ
  0x9d: 0x009d, // undefined
  0x9e: 0x017e, // ž
  0x9f: 0x0178, // Ÿ
};

const codePoints = (s: string) => Array.from(s).map((c) => c.codePointAt(0)!);

describe('Windows-1252 decoding', () => {
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
  const expected = Object.keys(CP1252_80_9F).map((b) => CP1252_80_9F[Number(b)]);

  it('maps every byte 0x80–0x9F as Windows-1252 when the encoding is pinned', () => {
    const d = decode(bytes, 'windows-1252');
    expect(d.encoding).toBe('windows-1252');
    expect(codePoints(d.text).map((c) => c.toString(16))).toEqual(expected.map((c) => c.toString(16)));
  });

  it('maps every byte 0x80–0x9F the same when Windows-1252 is detected (the bytes are not UTF-8)', () => {
    const d = decode(bytes);
    expect(d.encoding).toBe('windows-1252');
    expect(d.invalidBytes).toBe(false);
    expect(codePoints(d.text)).toEqual(expected);
  });

  it('each byte alone, between ASCII letters, decodes to its one character', () => {
    for (let b = 0x80; b <= 0x9f; b++) {
      const d = decode(Uint8Array.from([0x41, b, 0x42]), 'windows-1252');
      expect(codePoints(d.text), `byte 0x${b.toString(16)}`).toEqual([0x41, CP1252_80_9F[b], 0x42]);
    }
  });

  it('bytes 0xA0–0xFF are the Latin-1 letters of the same number (æ ø å Æ Ø Å é ü)', () => {
    const d = decode(Uint8Array.from([0xe6, 0xf8, 0xe5, 0xc6, 0xd8, 0xc5, 0xe9, 0xfc, 0xa0, 0xff]), 'windows-1252');
    expect(d.text).toBe('æøåÆØÅéü\u00a0ÿ');
    const all = Uint8Array.from({ length: 96 }, (_, i) => 0xa0 + i);
    expect(codePoints(decode(all, 'windows-1252').text)).toEqual([...all]);
  });

  it('ASCII and valid UTF-8 are not taken for Windows-1252', () => {
    expect(decode(Buffer.from('fee_id;beløb 12,50 €\n', 'utf8'))).toMatchObject({ encoding: 'utf-8', text: 'fee_id;beløb 12,50 €\n' });
  });
});
