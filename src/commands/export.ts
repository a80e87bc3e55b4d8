// `afstem export`: the auditors' discrepancy list from the database, with lineage, in csv, xlsx, parquet or Arrow.
//   npx afstem export --config <file> --format csv|xlsx|parquet|arrow --out <file>   (formats: ../export/registry.ts)
//        [--rule R16] [--severity critical] [--municipality 101] [--state open|new|persisting|resolved]
//        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--excel] [--unmask]
// Reads the database read-only. `--unmask` writes one row to `audit_unmask` (who, when, filter, rows), so it takes
// the run lock and opens the database read-write for that moment; it refuses while a run is in progress.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import { acquireLock, type HeldLock } from '../lock.ts';
import type { Config } from '../config.ts';
import { newRunId } from '../log.ts';
import { exportFormat, FORMAT_NAMES, writeExport } from '../export/registry.ts';
import { RULE_CODES } from '../pipeline/catalog.ts';
import {
  SEVERITIES,
  STATES,
  filterJson,
  maskRows,
  selectExportRows,
  type ExportFilter,
  type ExportRow,
} from '../export/rows.ts';
import {
  CommandError,
  listOption,
  openForReading,
  openForWriting,
  parseOptions,
  requireConfig,
  runCommand,
  tableExists,
  usageError,
} from './common.ts';
import { EXPORT_HELP, EXPORT_USAGE } from './help.ts';

const FIRST_RULE = RULE_CODES[0];
const LAST_RULE = RULE_CODES[RULE_CODES.length - 1];

const OPTIONS = {
  config: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  rule: { type: 'string', multiple: true },
  severity: { type: 'string', multiple: true },
  municipality: { type: 'string', multiple: true },
  state: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  excel: { type: 'boolean', default: false },
  unmask: { type: 'boolean', default: false },
} as const;

/** A real calendar date YYYY-MM-DD (2026-13-01 and 2026-02-30 are not). */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** The filter of the command line, validated (bad values → exit code 2). */
export function parseFilter(v: {
  rule?: string[];
  severity?: string[];
  municipality?: string[];
  state?: string[];
  from?: string;
  to?: string;
}): ExportFilter {
  const bad = (msg: string) => usageError(msg, EXPORT_USAGE);
  const rules = listOption(v.rule).map((r) => r.toUpperCase());
  for (const r of rules) if (!RULE_CODES.includes(r)) throw bad(`--rule ${r}: expected a rule code ${FIRST_RULE}–${LAST_RULE}`);
  const severities = listOption(v.severity).map((s) => s.toLowerCase());
  for (const s of severities) if (!(SEVERITIES as readonly string[]).includes(s)) throw bad(`--severity ${s}: expected one of ${SEVERITIES.join(', ')}`);
  const municipalities = listOption(v.municipality);
  for (const m of municipalities) if (!/^\d{3}$/.test(m)) throw bad(`--municipality ${m}: expected a three-digit municipality code such as 101`);
  const states = new Set<string>();
  for (const s of listOption(v.state).map((x) => x.toLowerCase())) {
    if (s === 'open') states.add('new').add('persisting');
    else if ((STATES as readonly string[]).includes(s)) states.add(s);
    else throw bad(`--state ${s}: expected open, new, persisting or resolved`);
  }
  for (const [k, d] of [['from', v.from], ['to', v.to]] as const) {
    if (d !== undefined && !isDate(d)) throw bad(`--${k} ${d}: expected a date YYYY-MM-DD`);
  }
  if (v.from && v.to && v.from > v.to) throw bad(`--from ${v.from} is after --to ${v.to}`);
  const f: ExportFilter = {};
  if (rules.length) f.rules = [...new Set(rules)].sort();
  if (severities.length) f.severities = [...new Set(severities)];
  if (municipalities.length) f.municipalities = [...new Set(municipalities)].sort();
  if (states.size) f.states = [...states].sort();
  if (v.from) f.from = v.from;
  if (v.to) f.to = v.to;
  return f;
}

async function recordUnmask(db: Db, f: ExportFilter, format: string, out: string, rowCount: number): Promise<void> {
  let who: string;
  try {
    who = os.userInfo().username;
  } catch {
    who = process.env.USER ?? 'unknown';
  }
  await db.run(
    `INSERT INTO audit_unmask VALUES (${lit(who)}, now()::TIMESTAMP, ${lit(filterJson(f))}, ${lit(format)}, ${lit(path.resolve(out))}, ${rowCount})`,
  );
}

async function requireStates(db: Db): Promise<void> {
  if (!(await tableExists(db, 'discrepancy_states'))) {
    throw new CommandError('the database has no discrepancy_states table yet: run the batch first', 2);
  }
}

/** The rows from a read-only open (the usual case). */
async function selectReadOnly(config: Config, filter: ExportFilter): Promise<ExportRow[]> {
  const db = await openForReading(config);
  try {
    await requireStates(db);
    return await selectExportRows(db, filter);
  } finally {
    db.close();
  }
}

/**
 * For --unmask: takes the run lock (refused while a run is in progress), opens the database read-write, reads the
 * rows and records the audit row — before the file is written, so an unmasked file never exists without its record.
 */
async function selectAudited(config: Config, filter: ExportFilter, format: string, out: string): Promise<ExportRow[]> {
  let lock: HeldLock;
  try {
    lock = await acquireLock(config.databasePath, `export-unmask-${newRunId()}`);
  } catch (e) {
    throw new CommandError(`--unmask needs to record an audit row, which is not possible now: ${(e as Error).message}`, 2);
  }
  try {
    if (lock.warning) process.stderr.write(`afstem: ${lock.warning}\n`);
    if (!fs.existsSync(config.databasePath)) throw new CommandError(`no database at ${config.databasePath} yet: run the batch first`, 2);
    const db = await openForWriting(config);
    try {
      await requireStates(db);
      const rows = await selectExportRows(db, filter);
      await recordUnmask(db, filter, format, out, rows.length);
      return rows;
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}

export async function exportCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, EXPORT_USAGE, EXPORT_HELP);
    const config = requireConfig(v.config, EXPORT_USAGE);
    const format = v.format === undefined ? undefined : exportFormat(v.format);
    if (!format) throw usageError(`--format must be one of ${FORMAT_NAMES.join(', ')}`, EXPORT_USAGE);
    if (!v.out) throw usageError('--out <file> is required', EXPORT_USAGE);
    if (v.excel && !format.excel) {
      const with_ = FORMAT_NAMES.filter((n) => exportFormat(n)!.excel).join(', ');
      throw usageError(`--excel applies to --format ${with_} only`, EXPORT_USAGE);
    }
    const filter = parseFilter(v);

    const rows = v.unmask ? await selectAudited(config, filter, format.name, v.out) : await selectReadOnly(config, filter);
    await writeExport(maskRows(rows, v.unmask), format, v.out, { excel: v.excel });
    if (v.unmask) process.stderr.write(`afstem: UNMASKED export of ${rows.length} rows recorded in audit_unmask\n`);
    process.stderr.write(`afstem: wrote ${rows.length} rows to ${v.out}\n`);
    return 0;
  });
}
