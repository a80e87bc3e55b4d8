// What an export format is: a name, a line of help, and a writer of the (already masked or audited) rows to a file.
// The registry (./registry.ts) lists the formats and owns the temporary file and the rename.
import type { ExportRow } from './rows.ts';

export interface WriteOptions {
  /** Danish Excel's CSV dialect (`;`, BOM, decimal comma): only for a format with `excel: true`. */
  excel?: boolean;
}

export interface ExportFormat {
  name: string;
  /** One line for `afstem export --help`. */
  help: string;
  /** Whether `--excel` applies. */
  excel?: boolean;
  /** Writes every row to `file` (a temporary path that the registry renames into place). */
  write(rows: ExportRow[], file: string, opts: WriteOptions): Promise<void>;
}
