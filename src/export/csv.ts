// CSV writer of the export: RFC 4180 (CRLF, fields quoted when they hold the delimiter, a quote or a line break),
// UTF-8, `.` decimals; `excel: true` gives Danish Excel's dialect: `;`, a UTF-8 BOM and decimal comma.
// Text cells that a spreadsheet would run as a formula are neutralised; amounts stay plain numbers.
import { EXPORT_COLUMNS, neutraliseRow, type ExportRow } from './rows.ts';

export interface CsvOptions {
  excel?: boolean;
}

export function csvField(v: string | null, delimiter: string): string {
  if (v === null) return '';
  return v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(rows: ExportRow[], opts: CsvOptions = {}): string {
  const d = opts.excel ? ';' : ',';
  const lines = [EXPORT_COLUMNS.join(d)];
  for (const raw of rows) {
    const r = neutraliseRow(raw);
    lines.push(
      EXPORT_COLUMNS.map((c) => {
        const v = c === 'amount' && opts.excel && r.amount !== null ? r.amount.replace('.', ',') : r[c];
        return csvField(v, d);
      }).join(d),
    );
  }
  return (opts.excel ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
