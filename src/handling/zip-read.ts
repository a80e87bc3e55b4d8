// Reading the parts of a zip (an xlsx is one) within bounds: fflate inflates each part in small steps, handing the
// text on as it comes, and stops as soon as the parts read so far inflate beyond a budget, or one part beyond its own
// limit; nothing is ever inflated whole. Where each part lies is read from the zip's central directory here, because
// fflate's streaming Unzip finds the end of a part written with a data descriptor (LibreOffice and Excel write them)
// by searching the compressed bytes for a signature, which they may hold by chance.
import { Inflate } from 'fflate';

export class ZipError extends Error {}
/** The parts inflate beyond the budget: the file is too big to read (a limit, not a broken file). */
export class ZipBudgetError extends Error {}

export interface ZipPart {
  name: string;
  method: number;
  /** Where the compressed bytes start and how many there are. */
  start: number;
  size: number;
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000;

/** The parts of the zip in `bytes`, by name (a name given twice: the first). Throws ZipError when it is no zip. */
export function zipParts(bytes: Uint8Array): Map<string, ZipPart> {
  const broken = (why: string) => new ZipError(`filen er ikke en gyldig zip-fil (sådan er en xlsx gemt): ${why}`);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('ingen central fortegnelse');
  let count = u16(bytes, eocd + 10);
  let p = u32(bytes, eocd + 16);
  // ZIP64: the locator right before the end record points at the ZIP64 end record with the real count and offset
  if (eocd >= 20 && u32(bytes, eocd - 20) === 0x07064b50) {
    const z = Number(readU64(bytes, eocd - 12));
    if (z + 56 > bytes.length || u32(bytes, z) !== 0x06064b50) throw broken('en ugyldig ZIP64-fortegnelse');
    count = Number(readU64(bytes, z + 32));
    p = Number(readU64(bytes, z + 48));
  }
  const parts = new Map<string, ZipPart>();
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== 0x02014b50) throw broken('fortegnelsen er afbrudt');
    const method = u16(bytes, p + 10);
    let size = u32(bytes, p + 20);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    let local = u32(bytes, p + 42);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen)).replace(/\\/g, '/'); // a zip made on Windows
    if (size === 0xffffffff || local === 0xffffffff) {
      // the ZIP64 extra field holds, in this order, those of the sizes and the offset that do not fit 32 bits
      const zip64 = extraField(bytes, p + 46 + nameLen, extraLen, 0x0001);
      if (!zip64) throw broken(`delen ${name} mangler sine ZIP64-oplysninger`);
      let at = zip64.start;
      if (u32(bytes, p + 24) === 0xffffffff) at += 8;
      if (size === 0xffffffff) (size = Number(readU64(bytes, at))), (at += 8);
      if (local === 0xffffffff) local = Number(readU64(bytes, at));
    }
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50) throw broken(`delen ${name} ligger ikke hvor fortegnelsen siger`);
    const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (start + size > bytes.length) throw broken(`delen ${name} går ud over filens slutning`);
    if (!parts.has(name)) parts.set(name, { name, method, start, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return parts;
}

function readU64(b: Uint8Array, i: number): number {
  return u32(b, i) + u32(b, i + 4) * 0x100000000;
}

function extraField(b: Uint8Array, at: number, len: number, id: number): { start: number; size: number } | null {
  for (let i = at; i + 4 <= at + len; ) {
    const size = u16(b, i + 2);
    if (u16(b, i) === id) return { start: i + 4, size };
    i += 4 + size;
  }
  return null;
}

/** Compressed bytes handed to the inflater at a time: one step inflates to at most about 16 MiB (deflate's 1:1032). */
const STEP = 16 * 1024;

export interface Budget {
  /** Inflated bytes left for every part read with this budget. */
  left: number;
  /** The budget as a whole, for the message. */
  readonly total: number;
}

/**
 * Inflates one part, handing the bytes to `sink` as they come. Stops with ZipBudgetError when the budget runs out;
 * with `limit`, stops quietly after that many bytes of this part and returns false (the part was cut). Throws
 * ZipError for a part that cannot be read (a compression other than stored or deflate, broken deflate data).
 */
export function inflatePart(bytes: Uint8Array, part: ZipPart, sink: (chunk: Uint8Array) => void, budget: Budget, limit = Infinity): boolean {
  const data = bytes.subarray(part.start, part.start + part.size);
  let taken = 0;
  let cut = false;
  // what the budget or the sink throws passes through fflate unchanged
  let passOn: { error: unknown } | null = null;
  const take = (chunk: Uint8Array) => {
    if (cut || chunk.length === 0) return;
    let c = chunk;
    if (taken + c.length > limit) {
      c = c.subarray(0, limit - taken);
      cut = true;
    }
    try {
      if (c.length > budget.left) throw new ZipBudgetError(`delene fylder udpakket mere end ${budget.total} bytes`);
      budget.left -= c.length;
      taken += c.length;
      sink(c);
    } catch (e) {
      passOn = { error: e };
      throw e;
    }
  };
  if (part.method === 0) {
    for (let i = 0; i < data.length && !cut; i += STEP) take(data.subarray(i, i + STEP));
    return !cut;
  }
  if (part.method !== 8) throw new ZipError(`delen ${part.name} er pakket med en metode (${part.method}), som ikke kan læses`);
  const inflater = new Inflate((chunk) => take(chunk));
  try {
    for (let i = 0; i < data.length && !cut; i += STEP) inflater.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (passOn) throw (passOn as { error: unknown }).error;
    throw new ZipError(`delen ${part.name} kan ikke pakkes ud: ${(e as Error).message}`);
  }
  return !cut;
}
