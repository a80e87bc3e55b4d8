// The export formats, registered in one place: `afstem export --format` is checked against this list and its help
// text is made from it. Adding a format is one module (see ./format.ts) and one line here. Every format is written
// through a temporary file beside the target, renamed into place: no half-written export is ever left behind.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportFormat, WriteOptions } from './format.ts';
import type { ExportRow } from './rows.ts';
import { csvFormat } from './csv.ts';
import { xlsxFormat } from './xlsx.ts';
import { parquetFormat } from './parquet.ts';
import { arrowFormat } from './arrow.ts';

export const EXPORT_FORMATS: readonly ExportFormat[] = [csvFormat, xlsxFormat, parquetFormat, arrowFormat];

export const FORMAT_NAMES: readonly string[] = EXPORT_FORMATS.map((f) => f.name);

export function exportFormat(name: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((f) => f.name === name);
}

/** The `--format` lines of the help text: one per format. */
export function formatHelp(indent: string): string {
  const width = Math.max(...FORMAT_NAMES.map((n) => n.length));
  return EXPORT_FORMATS.map((f) => `${indent}${f.name.padEnd(width)}  ${f.help}`).join('\n');
}

/** Writes rows in a format through a temporary file renamed into place. */
export async function writeExport(rows: ExportRow[], format: ExportFormat, out: string, opts: WriteOptions = {}): Promise<void> {
  const target = path.resolve(out);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await format.write(rows, tmp, opts);
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
