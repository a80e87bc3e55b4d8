// Reads a CSV output back with csv-parse (an independent RFC 4180 reader) as objects keyed by the header.
import { parse } from 'csv-parse/sync';

export function csvRows(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}
