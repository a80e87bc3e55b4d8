// bench/import: `afstem import` of a discrepancies.xlsx of 40,000 open discrepancies in which 5,000 rows were edited
// (status, assignee, note; every tenth awaiting with a follow-up date), into a database file holding them.
// Target (issue 13): under 10 s. Also prints the time to write the 40,000-row discrepancies.xlsx.
//   node --import tsx bench/import.ts [--rows 40000] [--changes 5000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { openDatabase } from '../src/schema/migrate.ts';
import { importFile } from '../src/handling/import.ts';
import { writeDiscrepanciesXlsx } from '../src/outputs/discrepancies-xlsx.ts';
import { updateLifecycle } from '../src/handling/lifecycle.ts';
import { Books } from '../test/helpers/books.ts';

const { values: o } = parseArgs({ options: { rows: { type: 'string', default: '40000' }, changes: { type: 'string', default: '5000' } } });
const rows = Number(o.rows);
const changes = Number(o.changes);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-bench-import-'));
const AS_OF = '2026-11-26T12:00:00Z';
try {
  const dbFile = path.join(dir, 'afstem.duckdb');
  const b = await Books.open(AS_OF, { file: dbFile });
  // fees without claims: one R01 discrepancy each
  await b.db.run(`INSERT INTO cur_fbs_fees (delivery_id, municipality, export_date, line, src, fee_id, patron_type, debtor_party,
      fee_type, amount, created_at, status)
    SELECT 1, '101', DATE '2026-11-26', i + 1, '101/fbs_fees_2026-11-26.csv:' || (i + 1), 'F' || lpad(CAST(i AS VARCHAR), 6, '0'),
      'adult_cpr', '0102031234', 'overdue_fee', 25.00, TIMESTAMP '2026-11-26 08:00:00', 'open'
    FROM range(${rows}) t(i)`);
  await b.evaluate();
  await updateLifecycle(b.db, 1, new Date(AS_OF));
  const sheet = path.join(dir, 'discrepancies.xlsx');
  let t = performance.now();
  let cpu = process.cpuUsage();
  await writeDiscrepanciesXlsx(b.db, sheet);
  const writeMs = performance.now() - t;
  const writeCpu = process.cpuUsage(cpu);
  b.close();

  // the clerks' edits (not timed): every (rows / changes)-th row
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(sheet);
  const ws = wb.worksheets[0];
  const step = Math.max(1, Math.floor(rows / changes));
  let edited = 0;
  for (let r = 2; r <= rows + 1 && edited < changes; r += step, edited++) {
    if (edited % 10 === 0) {
      ws.getCell(r, 14).value = 'Afventer';
      ws.getCell(r, 18).value = new Date(Date.UTC(2026, 11, 3));
    } else {
      ws.getCell(r, 14).value = 'I gang';
      ws.getCell(r, 16).value = `Sagsbehandler ${edited % 7}`;
      ws.getCell(r, 17).value = `ringet til biblioteket (${edited})`;
    }
  }
  const edits = path.join(dir, 'uge48.xlsx');
  await wb.xlsx.writeFile(edits);

  const db = await openDatabase(dbFile);
  t = performance.now();
  cpu = process.cpuUsage();
  const r = await importFile(db, edits, { by: 'bench', name: 'uge48.xlsx' });
  const importMs = performance.now() - t;
  const importCpu = process.cpuUsage(cpu);
  db.close();
  if (r.applied !== edited || r.refused.length || r.conflicts.length) throw new Error(`unexpected outcome: ${JSON.stringify({ ...r, refused: r.refused.slice(0, 3) })}`);
  const cpuS = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1e6).toFixed(2);
  console.log(`load average (1 min): ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`discrepancies.xlsx of ${rows.toLocaleString('en')} rows written in ${(writeMs / 1000).toFixed(2)} s (CPU ${cpuS(writeCpu)} s)`);
  console.log(`import of ${rows.toLocaleString('en')} rows with ${edited.toLocaleString('en')} changes: ${(importMs / 1000).toFixed(2)} s ` +
    `(CPU ${cpuS(importCpu)} s; target < 10 s)`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
