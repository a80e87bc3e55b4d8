// The export's csv format, through the one CSV writer (src/outputs/csv.ts): RFC 4180, UTF-8, `.` decimals;
// `excel: true` gives Danish Excel's dialect: `;`, a UTF-8 BOM and decimal comma. The rows come masked (or, for
// the audited --unmask, whole), so the writer does not mask again; it makes text cells spreadsheet-safe.
import fs from 'node:fs';
import { csvText } from '../outputs/csv.ts';
import type { ExportFormat } from './format.ts';
import { EXPORT_COLUMNS, type ExportRow } from './rows.ts';

export interface CsvOptions {
  excel?: boolean;
}

export function toCsv(rows: ExportRow[], opts: CsvOptions = {}): string {
  return csvText(
    EXPORT_COLUMNS,
    rows.map((r) => EXPORT_COLUMNS.map((c) => r[c])),
    { delimiter: opts.excel ? ';' : ',', bom: opts.excel, decimalComma: opts.excel, numberColumns: ['amount'], mask: false },
  );
}

export const csvFormat: ExportFormat = {
  name: 'csv',
  help: 'RFC 4180, UTF-8, "." decimals (--excel: ";", UTF-8 BOM, decimal comma for Danish Excel)',
  excel: true,
  async write(rows, file, opts) {
    fs.writeFileSync(file, toCsv(rows, { excel: opts.excel }), 'utf8');
  },
};
