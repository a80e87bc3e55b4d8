// municipalities/<code>/ (FORMATS.md §7): per configured municipality its own report.html, discrepancies.csv and
// discrepancies.xlsx, holding its rows alone — the report assembler and the writers run with a municipality filter.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { ReportSummary } from '../report/section.ts';
import { writeReport } from '../report/build.ts';
import { discrepancySheetRows, writeDiscrepancySheet, type DiscrepancySheetRow } from '../outputs/discrepancies-xlsx.ts';
import { discrepancyRowsByMunicipality, writeDiscrepancyRows } from '../outputs/write.ts';

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

/**
 * discrepancies.xlsx of the whole run, and municipalities/<code>/ for each municipality, in outDir. The
 * municipalities' discrepancies.csv come from one query, partitioned, and so do their discrepancies.xlsx (the rows of
 * the whole run's file). The files are written one after the other (but for the workbooks' deflating):
 * writing two at a time (one file's queries while another is built) was measured slower at 40,000 open
 * discrepancies (59.6 s against 40.6 s, bench/report): both are mostly JavaScript on this one thread, and two
 * workbooks in memory at once cost more in garbage collection than the queries they overlap.
 */
export async function writeMunicipalityOutputs(db: Db, outDir: string, asOf: Date, summary: ReportSummary | null, onPart?: PartTimer): Promise<void> {
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
  // the sheet rows are queried and made once: the whole run's file, then each municipality's rows of them. A
  // workbook's deflating runs on the thread pool while this thread goes on with the next report (awaited at the end).
  const sheetRows = new Map<string, DiscrepancySheetRow[]>(all.map((code) => [code, []]));
  const pending: Promise<unknown>[] = [];
  const meanwhile = (p: Promise<unknown>) => {
    p.catch(() => undefined); // awaited below, with the others
    pending.push(p);
  };
  const rows = await timed(onPart, 'discrepancies.xlsx (alle)', undefined, () => discrepancySheetRows(db));
  for (const r of rows) sheetRows.get(r.municipality)?.push(r);
  meanwhile(timed(onPart, 'discrepancies.xlsx (alle)', undefined, () => writeDiscrepancySheet(path.join(outDir, 'discrepancies.xlsx'), rows)));
  for (const code of all) {
    await timed(onPart, 'report.html', code, () => writeReport(db, { outDir: dir(code), asOf, summary, municipality: code }));
    meanwhile(timed(onPart, 'discrepancies.xlsx', code, () => writeDiscrepancySheet(path.join(dir(code), 'discrepancies.xlsx'), sheetRows.get(code)!)));
    sheetRows.delete(code);
  }
  await Promise.all(pending);
}
