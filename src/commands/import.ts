// `afstem import`: reads an edited discrepancy sheet back into the handling (FORMATS.md §8).
//   npx afstem import --config <file> --file <F.xlsx|F.csv> [--by NAME] [--force]
// Takes the run lock (refused while a run is in progress) and writes the database. Exit 0 when every change applied
// (or there was none), 3 when rows were refused or in conflict or the file is over a limit of
// src/handling/limits.ts, 2 for bad arguments, 1 for anything unexpected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock, type HeldLock } from '../lock.ts';
import { newRunId } from '../log.ts';
import { maskText } from '../mask.ts';
import { inert } from '../terminal.ts';
import { importFile, type ImportResult } from '../handling/import.ts';
import { SheetError, SheetLimitError } from '../handling/sheet-read.ts';
import { HANDLING_LIMITS } from '../handling/limits.ts';
import { fsReason } from '../ingest/inbox.ts';
import { CommandError, openForWriting, parseOptions, requireConfig, runCommand, usageError } from './common.ts';

export const IMPORT_USAGE = 'afstem import --config <file> --file <F.xlsx|F.csv> [--by NAME] [--force]';

const MIB = (n: number) => `${n / 1024 / 1024} MiB`;

export const IMPORT_HELP = `usage: ${IMPORT_USAGE}

Reads an edited discrepancies.xlsx, an export (xlsx or csv) or Danish Excel's ";" csv back into the case handling.
Only the cells Status, Ansvarlig, Note and Opfølgning count (handling_status, assignee, note, follow_up); a row equal
to the database is no change. Bad rows are listed with their sheet row and reason; the good rows apply.
  --config  the configuration file (its database is written)
  --file    the .xlsx or .csv file
  --by      who made the changes (default: the operating-system user)
  --force   apply changes also where the database was changed after the row's Behandlet (handled_at)
A file over a limit (${MIB(HANDLING_LIMITS.fileBytes)}, ${HANDLING_LIMITS.rows.toLocaleString('en')} rows, ${MIB(HANDLING_LIMITS.inflatedBytes)} inflated for an xlsx; README "Bad input") is not
read: exit 3.
Exit codes: 0 all applied, 3 rows refused or in conflict or the file over a limit, 2 bad arguments or a run in
progress, 1 anything unexpected.`;

const OPTIONS = {
  config: { type: 'string' },
  file: { type: 'string' },
  by: { type: 'string' },
  force: { type: 'boolean', default: false },
} as const;

/** The operating-system user. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'ukendt';
  }
}

const WIDTH = 120;
const fit = (s: string) => (s.length > WIDTH ? `${s.slice(0, WIDTH - 1)}…` : s);

/**
 * The summary for the terminal, every line within 120 columns, Danish with the English word after it; CPR-masked and
 * inert (a case number or reason holding ESC shows it as `\x1b`).
 */
export function importSummary(name: string, r: ImportResult): string[] {
  const line = (s: string) => fit(inert(maskText(s) ?? ''));
  const lines = [
    line(`${name}: ${r.rows} rækker/rows · ${r.applied} ændret/applied · ${r.unchanged} uændret/unchanged · ` +
      `${r.refused.length} afvist/refused · ${r.conflicts.length} i konflikt/conflicts`),
  ];
  for (const p of r.refused) lines.push(line(`  afvist   ${p.source}: ${p.caseRef ? `${p.caseRef}: ` : ''}${p.reason}`));
  for (const p of r.conflicts) lines.push(line(`  konflikt ${p.source}: ${p.reason}`));
  if (r.conflicts.length) lines.push(line('  (konflikter anvendes med --force / conflicts apply with --force)'));
  return lines;
}

export async function importCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, IMPORT_USAGE, IMPORT_HELP);
    const config = requireConfig(v.config, IMPORT_USAGE);
    if (!v.file) throw usageError('--file <F.xlsx|F.csv> is required', IMPORT_USAGE);
    if (!/\.(xlsx|csv)$/i.test(v.file)) throw usageError(`--file ${v.file}: expected an .xlsx or .csv file`, IMPORT_USAGE);
    if (!fs.existsSync(v.file) || !fs.statSync(v.file).isFile()) throw usageError(`--file ${v.file}: no such file`, IMPORT_USAGE);
    if (v.by !== undefined && v.by.trim() === '') throw usageError('--by: expected a name', IMPORT_USAGE);
    if (!fs.existsSync(config.databasePath)) throw new CommandError(`no database at ${config.databasePath} yet: run the batch first`, 2);
    let lock: HeldLock;
    try {
      lock = await acquireLock(config.databasePath, `import-${newRunId()}`);
    } catch (e) {
      throw new CommandError((e as Error).message, 2);
    }
    try {
      if (lock.warning) process.stderr.write(`afstem: ${inert(maskText(lock.warning) ?? '')}\n`);
      const db = await openForWriting(config);
      try {
        const name = path.basename(v.file);
        let result: ImportResult;
        try {
          result = await importFile(db, v.file, { by: v.by?.trim() ?? osUser(), name, force: v.force });
        } catch (e) {
          // over a limit (README "Bad input"): the file is refused like a bad row, exit 3; no discrepancy sheet: 2
          if (e instanceof SheetLimitError) throw new CommandError(`${name}: ${e.message}`, 3);
          if (e instanceof SheetError) throw new CommandError(`${name}: ${e.message}`, 2);
          if ((e as NodeJS.ErrnoException).code) throw new CommandError(`${name}: kan ikke læses: ${fsReason(e)}`, 2);
          throw e;
        }
        process.stdout.write(importSummary(name, result).join('\n') + '\n');
        return result.refused.length || result.conflicts.length ? 3 : 0;
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  });
}
