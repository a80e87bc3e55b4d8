// Machine-readable CSV (FORMATS.md §7): UTF-8, comma-separated, RFC 4180 quoting, a header row.
import fs from 'node:fs';

export type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(header: string[], rows: Cell[][]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function writeCsv(file: string, header: string[], rows: Cell[][]): void {
  fs.writeFileSync(file, csvText(header, rows), 'utf8');
}
