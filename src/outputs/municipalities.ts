// municipalities/<code>/ (FORMATS.md §7): per configured municipality its own report.html, discrepancies.csv and
// discrepancies.xlsx, holding its rows alone — the report assembler and the writers run with a municipality filter.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { Summary } from '../pipeline/batch.ts';
import { writeReport } from '../report/build.ts';
import { writeDiscrepanciesXlsx } from './discrepancies-xlsx.ts';
import { discrepancyRowsByMunicipality, writeDiscrepancyRows } from './write.ts';

/** Told how long each part took: `discrepancies.xlsx (alle)`, and per municipality `report.html`, … (the log keeps it). */
export type PartTimer = (part: string, ms: number, municipality?: string) => void;

/** The municipalities that get a folder: the configured ones, else those with discrepancies. */
async function codes(db: Db): Promise<string[]> {
  const configured = await db
    .all<{ code: string }>(`SELECT CAST(code AS VARCHAR) AS code FROM cfg_municipalities ORDER BY code`)
    .catch(() => null);
  if (configured) return configured.map((r) => r.code);
  const seen = await db.all<{ code: string }>(`SELECT DISTINCT municipality AS code FROM discrepancy_states ORDER BY code`).catch(() => []);
  return seen.map((r) => r.code);
}

async function timed<T>(onPart: PartTimer | undefined, part: string, municipality: string | undefined, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  onPart?.(part, performance.now() - t0, municipality);
  return result;
}

/** Runs the tasks, `width` at a time, in order; the first error rejects (after the running ones have settled). */
async function pool(tasks: (() => Promise<unknown>)[], width: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < tasks.length && !errors.length) {
      const task = tasks[next++];
      try {
        await task();
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (errors.length) throw errors[0];
}

/**
 * discrepancies.xlsx of the whole run, and municipalities/<code>/ for each municipality, in outDir. The files are
 * written two at a time: building a workbook or a page is JavaScript on this thread, a query is DuckDB's on its own,
 * so one file's queries run while another is built. Each file is whole and the same whatever the interleaving.
 * The municipalities' discrepancies.csv come from one query, partitioned.
 */
export async function writeMunicipalityOutputs(db: Db, outDir: string, asOf: Date, summary: Summary | null, onPart?: PartTimer): Promise<void> {
  const all = await codes(db);
  for (const code of all) {
    if (!/^[0-9A-Za-z_-]+$/.test(code)) throw new Error(`municipality code ${JSON.stringify(code)} cannot name a folder`);
    fs.mkdirSync(path.join(outDir, 'municipalities', code), { recursive: true });
  }
  const dir = (code: string) => path.join(outDir, 'municipalities', code);
  await timed(onPart, 'discrepancies.csv', undefined, async () => {
    const byMunicipality = await discrepancyRowsByMunicipality(db);
    for (const code of all) writeDiscrepancyRows(dir(code), byMunicipality.get(code) ?? []);
  });
  const tasks: (() => Promise<unknown>)[] = [
    () => timed(onPart, 'discrepancies.xlsx (alle)', undefined, () => writeDiscrepanciesXlsx(db, path.join(outDir, 'discrepancies.xlsx'))),
  ];
  for (const code of all) {
    tasks.push(
      () => timed(onPart, 'report.html', code, () => writeReport(db, { outDir: dir(code), asOf, summary, municipality: code })),
      () => timed(onPart, 'discrepancies.xlsx', code, () => writeDiscrepanciesXlsx(db, path.join(dir(code), 'discrepancies.xlsx'), code)),
    );
  }
  await pool(tasks, 2);
}
