// municipalities/<code>/ (FORMATS.md §7): per configured municipality its own report.html, discrepancies.csv and
// discrepancies.xlsx, holding its rows alone — the report assembler and the writers run with a municipality filter.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { ReportSummary } from '../report/section.ts';
import { prefetchMunicipalities, writeReport } from '../report/build.ts';
import { ChartCache } from '../report/chart-cache.ts';
import { writeDiscrepancySheets } from '../outputs/discrepancies-xlsx.ts';
import { writeDiscrepanciesByMunicipality } from '../outputs/write.ts';

/** Told how long each part took: `discrepancies.csv`, `discrepancies.xlsx (alle og kommunernes)`, and per municipality `report.html` (the log keeps it). */
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
 * municipalities' discrepancies.csv come from one query, and so do all the discrepancies.xlsx (the whole run's and
 * the municipalities'): each read in DuckDB's chunks and written as it comes, every file at once, so no list of the
 * open discrepancies is held (issue 27: at 155,000 open the lists held whole took the run to 4.15 GB). Then each
 * municipality's report.html, one after the other, with the rows of their small queries read once for all of them
 * (prefetchMunicipalities) and the charts of all of them kept in one ChartCache.
 */
export async function writeMunicipalityOutputs(db: Db, outDir: string, asOf: Date, summary: ReportSummary | null, onPart?: PartTimer): Promise<void> {
  const all = await codes(db);
  for (const code of all) {
    if (!/^[0-9A-Za-z_-]+$/.test(code)) throw new Error(`municipality code ${JSON.stringify(code)} cannot name a folder`);
    fs.mkdirSync(path.join(outDir, 'municipalities', code), { recursive: true });
  }
  const dir = (code: string) => path.join(outDir, 'municipalities', code);
  await timed(onPart, 'discrepancies.csv', undefined, () => writeDiscrepanciesByMunicipality(db, all, dir));
  const own = new Map(all.map((code) => [code, path.join(dir(code), 'discrepancies.xlsx')]));
  await timed(onPart, 'discrepancies.xlsx (alle og kommunernes)', undefined, () => writeDiscrepancySheets(db, path.join(outDir, 'discrepancies.xlsx'), own));
  // one cache of rendered charts for all of them: the table's keys read once, what they render written in one INSERT;
  // and their queries run once for all of them where reports/ says how
  const charts = new ChartCache(db);
  const prefetched = await timed(onPart, 'report.html (forespørgsler for alle kommuner)', undefined, () => prefetchMunicipalities(db, asOf, all));
  for (const code of all) {
    await timed(onPart, 'report.html', code, () =>
      writeReport(db, { outDir: dir(code), asOf, summary, municipality: code, charts, prefetched: prefetched.get(code) }));
    prefetched.delete(code); // its rows (all its hints and cases, at most what the report of all holds) go with it
  }
  await charts.flush();
}
