// municipalities/<code>/ (FORMATS.md §7): per configured municipality its own report.html, discrepancies.csv and
// discrepancies.xlsx, holding its rows alone — the report assembler and the writers run with a municipality filter.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { Summary } from '../pipeline/batch.ts';
import { writeReport } from '../report/build.ts';
import { writeDiscrepanciesXlsx } from './discrepancies-xlsx.ts';
import { writeDiscrepancies } from './write.ts';

/** The municipalities that get a folder: the configured ones, else those with discrepancies. */
async function codes(db: Db): Promise<string[]> {
  const configured = await db
    .all<{ code: string }>(`SELECT CAST(code AS VARCHAR) AS code FROM cfg_municipalities ORDER BY code`)
    .catch(() => null);
  if (configured) return configured.map((r) => r.code);
  const seen = await db.all<{ code: string }>(`SELECT DISTINCT municipality AS code FROM discrepancy_states ORDER BY code`).catch(() => []);
  return seen.map((r) => r.code);
}

/** discrepancies.xlsx of the whole run, and municipalities/<code>/ for each municipality, in outDir. */
export async function writeMunicipalityOutputs(db: Db, outDir: string, asOf: Date, summary: Summary | null): Promise<void> {
  await writeDiscrepanciesXlsx(db, path.join(outDir, 'discrepancies.xlsx'));
  for (const code of await codes(db)) {
    if (!/^[0-9A-Za-z_-]+$/.test(code)) throw new Error(`municipality code ${JSON.stringify(code)} cannot name a folder`);
    const dir = path.join(outDir, 'municipalities', code);
    fs.mkdirSync(dir, { recursive: true });
    await writeReport(db, { outDir: dir, asOf, summary, municipality: code });
    await writeDiscrepancies(db, dir, code);
    await writeDiscrepanciesXlsx(db, path.join(dir, 'discrepancies.xlsx'), code);
  }
}
