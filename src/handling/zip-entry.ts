// One small entry of a zip file (an xlsx is one) read through the central directory with node's zlib: the import
// reads docProps/core.xml for the workbook's last-modified-by without loading the whole workbook model.
import fs from 'node:fs';
import zlib from 'node:zlib';

/** The entry's bytes, or null when the file is not a zip or has no such entry (or it is stored in a way not read here). */
export function readZipEntry(file: string, name: string): Buffer | null {
  const buf = fs.readFileSync(file);
  // the end of central directory record: signature 0x06054b50, within the last 65,557 bytes
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count && p + 46 <= buf.length; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) return null;
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entryName = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      if (buf.readUInt32LE(local) !== 0x04034b50) return null;
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      return null;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return null;
}

/** The xlsx's last-modified-by (docProps/core.xml `cp:lastModifiedBy`), else null. */
export function xlsxLastModifiedBy(file: string): string | null {
  let xml: string;
  try {
    const core = readZipEntry(file, 'docProps/core.xml');
    if (!core) return null;
    xml = core.toString('utf8');
  } catch {
    return null;
  }
  const m = /<(?:\w+:)?lastModifiedBy(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?lastModifiedBy>/.exec(xml);
  if (!m) return null;
  const v = m[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(+d))
    .replace(/&amp;/g, '&')
    .trim();
  return v === '' ? null : v;
}
