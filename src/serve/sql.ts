// The served worklist's SQL: its own files under reports/serve/ and the report's files it reuses (the worklist, the
// handled discrepancies, the go-live view), read once. `{{name}}` placeholders take SQL written by afstem itself (a
// report query, a list of checked municipality codes, a number); every value a user gives is bound as a `$name`
// parameter, never put into the text.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Db, Row } from '../db.ts';
import { REPORTS_DIR } from '../report/charts.ts';
import { reportSql } from '../report/build.ts';
import type { Params } from '../report/section.ts';

const files = new Map<string, string>();

/** reports/serve/<file> with its {{placeholders}} replaced by the given SQL (afstem's own, never a user's value). */
export function serveSql(file: string, fragments: Record<string, string | number> = {}): string {
  let text = files.get(file);
  if (text === undefined) {
    // the comment lines say what the SQL means (and may name its placeholders): left out of what runs
    text = fs.readFileSync(path.join(REPORTS_DIR, 'serve', file), 'utf8').replace(/^\s*--.*(\n|$)/gm, '');
    files.set(file, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = fragments[name];
    if (v === undefined) throw new Error(`reports/serve/${file}: no value for {{${name}}}`);
    return String(v);
  });
}

/** A file of the report (reports/<file>) with its placeholders bound as the report binds them, and no trailing `;`. */
export function reportQuery(file: string, params: Params): string {
  return reportSql(file, params).trim().replace(/;$/, '');
}

/** The statements of a SQL file, split at the `;` that ends a line (the files never put one elsewhere). */
export function statements(sql: string): string[] {
  return sql.split(/;\s*$/m).map((s) => s.trim()).filter((s) => s !== '');
}

/** A page's parameters: text, numbers or NULL. */
export type Values = Record<string, string | number | null>;

/** Rows of a query with its `$name` parameters bound. */
export function rows<T = Row>(db: Db, sql: string, values: Values = {}): Promise<T[]> {
  return db.all<T>(sql, values as Record<string, DuckDBValue>);
}
