// One sheet written as an xlsx file while its rows come (chunk by chunk from DuckDB), byte for byte what writeSheet
// (./xlsx-sheet.ts) writes of the same rows held whole: the small entries first, then the sheet's XML deflated as it
// is made (on libuv's thread pool, while this thread makes the next rows) straight into the file, its local header
// written in place once its CRC and sizes are known. The number of rows is given at the start (the sheet's
// dimension and the workbook's filter range come before the rows); close() refuses a different count.
import fs from 'node:fs';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { SHEET_ENTRY, sheetParts, workbookEntries, zipEnd, zipHeaders, type SheetCell, type SheetSpec } from './xlsx-sheet.ts';

const deflateRaw = promisify(zlib.deflateRaw);

export class SheetFile {
  private fd = -1;
  private offset = 0;
  private readonly central: Buffer[] = [];
  private sheetOffset = 0;
  private readonly deflate = zlib.createDeflateRaw({ level: 6 });
  private crc = 0;
  private size = 0;
  private packed = 0;
  private written = 0;
  private readonly styleOf: (number | undefined)[];

  private constructor(private readonly file: string, private readonly spec: SheetSpec, private readonly n: number) {
    this.styleOf = sheetParts.styles(spec);
  }

  /** Opens `file` for a sheet of `n` data rows and writes what comes before the rows. */
  static async open(file: string, spec: SheetSpec, n: number): Promise<SheetFile> {
    const f = new SheetFile(file, spec, n);
    f.fd = fs.openSync(file, 'w');
    try {
      await f.start();
    } catch (e) {
      f.abandon();
      throw e;
    }
    return f;
  }

  private append(b: Buffer): void {
    fs.writeSync(this.fd, b, 0, b.length, this.offset);
    this.offset += b.length;
  }

  private async start(): Promise<void> {
    for (const [name, text] of workbookEntries(this.spec, this.n)) {
      const data = Buffer.from(text, 'utf8');
      const packed = await deflateRaw(data, { level: 6 });
      const h = zipHeaders(name, zlib.crc32(data), packed.length, data.length, this.offset);
      this.append(h.local);
      this.append(packed);
      this.central.push(h.central);
    }
    // the sheet's local header: its place kept now, written when the CRC and the sizes are known
    this.sheetOffset = this.offset;
    this.offset += zipHeaders(SHEET_ENTRY, 0, 0, 0, 0).local.length;
    this.deflate.on('data', (b: Buffer) => {
      this.append(b);
      this.packed += b.length;
    });
    await this.push(sheetParts.head(this.spec, this.n));
  }

  private async push(text: string): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    this.crc = zlib.crc32(data, this.crc);
    this.size += data.length;
    if (!this.deflate.write(data)) await once(this.deflate, 'drain');
  }

  /** The next rows of the sheet. */
  async write(rows: readonly Record<string, SheetCell>[]): Promise<void> {
    if (!rows.length) return;
    if (this.written + rows.length > this.n) throw new Error(`${this.file}: more rows than the ${this.n} announced`);
    const xml = sheetParts.rows(this.spec, rows, this.written + 2, this.styleOf);
    this.written += rows.length;
    await this.push(xml);
  }

  /** Writes what comes after the rows, the sheet's header and the central directory, and closes the file. */
  async close(): Promise<void> {
    if (this.written !== this.n) throw new Error(`${this.file}: ${this.written} rows written, ${this.n} announced`);
    await this.push(sheetParts.tail(this.spec, this.n));
    const ended = once(this.deflate, 'end');
    this.deflate.end();
    await ended;
    const h = zipHeaders(SHEET_ENTRY, this.crc, this.packed, this.size, this.sheetOffset);
    fs.writeSync(this.fd, h.local, 0, h.local.length, this.sheetOffset);
    this.central.push(h.central);
    const centralOffset = this.offset;
    const dir = Buffer.concat(this.central);
    this.append(dir);
    this.append(zipEnd(this.central.length, dir.length, centralOffset));
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes the file unfinished (after an error): the step fails and the run's outputs are not moved into place. */
  abandon(): void {
    this.deflate.destroy();
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
