// The export's csv format, through the one CSV writer (src/outputs/csv.ts). Without `excel`, for machines: RFC 4180,
// UTF-8, `.` decimals, the column codes and codes as values, instants as ISO 8601 UTC. With `excel: true`, for people
// in Danish Excel (FORMATS.md §8): `;`, a UTF-8 BOM, decimal comma, the Danish headers and values of
// discrepancies.xlsx, instants as Copenhagen date-times (`27-11-2026 06:00:37`) and dates as `03-12-2026`, which
// Danish Excel reads as dates it can sort. The rows come masked (or, for the audited --unmask, whole), so the writer
// does not mask again; it makes text cells spreadsheet-safe. `afstem import` reads both back.
import fs from 'node:fs';
import { csvText, type Cell } from '../outputs/csv.ts';
import { copenhagenText, danishDateText, danishSheetColumns, isInstantColumn } from '../outputs/discrepancies-xlsx.ts';
import { danishValue } from '../vocabulary.ts';
import type { ExportFormat } from './format.ts';
import { EXPORT_COLUMNS, type ExportRow } from './rows.ts';

export interface CsvOptions {
  excel?: boolean;
}

/** One cell of the Danish csv: labels for codes, Copenhagen date-times, Danish dates. */
function danishCell(c: string, v: string | null): Cell {
  if (v === null) return null;
  if (isInstantColumn(c)) return copenhagenText(v);
  if (c === 'follow_up') return danishDateText(v);
  return danishValue(c, v) ?? v;
}

export function toCsv(rows: ExportRow[], opts: CsvOptions = {}): string {
  const header = opts.excel ? danishSheetColumns(EXPORT_COLUMNS).map((c) => c.header) : EXPORT_COLUMNS;
  return csvText(
    header,
    rows.map((r) => EXPORT_COLUMNS.map((c) => (opts.excel ? danishCell(c, r[c]) : r[c]))),
    {
      delimiter: opts.excel ? ';' : ',',
      bom: opts.excel,
      decimalComma: opts.excel,
      numberColumns: [opts.excel ? 'Beløb' : 'amount'],
      mask: false,
    },
  );
}

export const csvFormat: ExportFormat = {
  name: 'csv',
  help: 'RFC 4180, UTF-8, "." decimals, column codes, instants in UTC (--excel: for Danish Excel)',
  excel: true,
  async write(rows, file, opts) {
    fs.writeFileSync(file, toCsv(rows, { excel: opts.excel }), 'utf8');
  },
};
