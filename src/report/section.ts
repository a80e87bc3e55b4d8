// What a report section is: an id (its anchor in the page), a title, the SQL files it reads under reports/ and a
// render function. The assembler (./build.ts) runs the queries; a section never checks whether a table exists.
import type { Row } from '../db.ts';
import type { FileSummary } from '../ingest/ingest.ts';
import type { HandlingSummary } from '../handling/folder.ts';
import type { SafeHtml } from './html.ts';

/**
 * What the report reads of a run (summary.json, FORMATS.md §7): its id, its files, its warnings and the handling
 * folder's import. The run (src/run/) makes it of its summary; a report of the database alone has none.
 */
export interface ReportSummary {
  runId: string;
  files: FileSummary[];
  warnings: string[];
  handling?: HandlingSummary;
}

/** The SLA of a stage: in hours or in banking days. */
export interface Sla {
  hours: number | null;
  businessDays: number | null;
}

/** What every section may use besides its own queries. */
export interface ReportContext {
  asOf: Date;
  summary: ReportSummary | null;
  /** Configured municipalities, code → name (empty when cfg_municipalities is missing). */
  municipalities: Map<string, string>;
  /** SLA per stage (empty when cfg_sla is missing). */
  sla: Map<string, Sla>;
  /** The municipality of a municipality's own report; '' for the report of all of them. */
  municipality: string;
  /**
   * The rows of a SQL file of reports/ (its {{municipality}} bound) in DuckDB's chunks, read when called: for a list
   * as long as the worklist, read (once or more) while the page is written instead of held.
   */
  stream(file: string): AsyncIterable<Row[]>;
  /**
   * A part of the page made while the page is written, after every section has rendered (so it may stream()): its
   * place in the page now. `write` gives the part's text piece by piece to `emit`.
   */
  later(write: (emit: (text: string) => void) => Promise<void>): SafeHtml;
  /** Where the report's charts come from (./chart-cache.ts: the database's rendered charts); rendered each time without it. */
  charts?: { svg(spec: string, values: Row[]): Promise<string> };
}

/** Values for the {{name}} placeholders of a section's SQL: numbers as they are, strings as SQL literals. */
export type Params = Record<string, string | number>;

export interface Section {
  /** The section's id in the page (the table of contents links to it). */
  id: string;
  /** Its heading. */
  title: string;
  /** Its entry in the table of contents: the title unless given; null leaves it out. */
  nav?: string | null;
  /** Where its entry in the table of contents lands: the section's id unless given (an id inside the section). */
  navHref?: string;
  /** What a missing table means, as the subject of "… er ikke beregnet i denne kørsel." */
  missing?: string;
  /** Queries the section cannot do without: name → file under reports/. A missing table renders the note instead. */
  queries?: Record<string, string>;
  /**
   * Queries only the report of all municipalities shows (required like `queries`, after them): a municipality's own
   * report runs none of them, and its render finds no rows under their names.
   */
  overall?: Record<string, string>;
  /** Queries for parts the section can leave out: their result is null when a table they read is missing. */
  optional?: Record<string, string>;
  /** The values of the queries' placeholders (besides table_cap, municipality and reversal_rule, which every query may read). */
  params?(ctx: ReportContext): Params;
  render(rows: Record<string, Row[]>, optional: Record<string, Row[] | null>, ctx: ReportContext): Promise<SafeHtml> | SafeHtml;
}

/** For a section drawn outside a report (the served pages' waves): nothing to stream, nothing made later. */
export const NO_STREAMS: Pick<ReportContext, 'stream' | 'later'> = {
  stream: () => {
    throw new Error('no report is being written: nothing to stream');
  },
  later: () => {
    throw new Error('no report is being written: nothing is made later');
  },
};
