// `afstem import`: reads an edited discrepancy sheet back into the handling (FORMATS.md §8).
//   npx afstem import --config <file> --file <F.xlsx|F.csv> [--by NAME] [--force]
// Takes the run lock (refused while a run is in progress) and writes the database. Exit 0 when every change applied
// (or there was none), 3 when rows were refused or in conflict or the file is over a limit of
// src/handling/limits.ts, 2 for bad arguments, 1 for anything unexpected.
// A clerk's command: its messages are Danish, and no line of its summary is cut (a terminal's width wraps it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock, LockBusyError, type HeldLock } from '../lock.ts';
import { newRunId } from '../log.ts';
import { maskText } from '../mask.ts';
import { inert } from '../terminal.ts';
import { importFile, type ImportResult } from '../handling/import.ts';
import { SheetError, SheetLimitError } from '../handling/sheet-read.ts';
import { fsReason } from '../ingest/inbox.ts';
import { outputWidth, wrapText } from '../outputs/text-table.ts';
import { CommandError, noDatabaseError, openForWriting, parseOptions, requireConfig, runCommand, runInProgressDa, usageError } from './common.ts';
import { IMPORT_HELP, IMPORT_USAGE } from './help.ts';

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

/** The continuation of a long line on a terminal: under the text after "afvist"/"konflikt", else two spaces in. */
function hanging(line: string, width: number): string[] {
  const head = /^ *(?:afvist|konflikt) +/.exec(line)?.[0] ?? '';
  const indent = head ? head.length : 2;
  const wrapped = wrapText(line.slice(head.length), Math.max(20, width - indent));
  return wrapped.map((l, i) => (i === 0 ? head + l : ' '.repeat(indent) + l));
}

/**
 * The summary in Danish: the counts, then each refused row and conflict with its reason. Nothing is ever cut (the end
 * of a reason says whether the change was applied); given a width (a terminal's), a long line wraps at words. CPR-masked
 * and inert (a case number or reason holding ESC shows it as `\x1b`).
 */
export function importSummary(name: string, r: ImportResult, width?: number): string[] {
  const lines = [
    `${name}: ${r.rows} rækker · ${r.applied} ændret · ${r.unchanged} uændret · ${r.refused.length} afvist · ${r.conflicts.length} i konflikt`,
  ];
  for (const p of r.refused) lines.push(`  afvist   ${p.source}: ${p.caseRef ? `${p.caseRef}: ` : ''}${p.reason}`);
  for (const p of r.conflicts) lines.push(`  konflikt ${p.source}: ${p.reason}`);
  if (r.conflicts.length) lines.push('  (konflikter anvendes med --force)');
  const masked = lines.map((l) => inert(maskText(l) ?? ''));
  return width === undefined ? masked : masked.flatMap((l) => hanging(l, width));
}

export async function importCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, IMPORT_USAGE, IMPORT_HELP, 'da');
    const bad = (message: string) => usageError(message, IMPORT_USAGE, 'da');
    const config = requireConfig(v.config, IMPORT_USAGE, 'da');
    if (!v.file) throw bad('--file <F.xlsx|F.csv> mangler');
    if (!/\.(xlsx|csv)$/i.test(v.file)) throw bad(`--file ${v.file}: forventede en .xlsx- eller .csv-fil`);
    if (!fs.existsSync(v.file) || !fs.statSync(v.file).isFile()) throw bad(`--file ${v.file}: filen findes ikke`);
    if (v.by !== undefined && v.by.trim() === '') throw bad('--by: angiv et navn');
    if (!fs.existsSync(config.databasePath)) throw noDatabaseError(config, 'da');
    let lock: HeldLock;
    try {
      lock = await acquireLock(config.databasePath, `import-${newRunId()}`);
    } catch (e) {
      if (e instanceof LockBusyError) throw new CommandError(`filen kan ikke indlæses nu: ${runInProgressDa(e.holder)}`, 2);
      throw e;
    }
    try {
      if (lock.warning) process.stderr.write(`afstem: ${inert(maskText(lock.warning) ?? '')}\n`);
      const db = await openForWriting(config, 'da');
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
        process.stdout.write(importSummary(name, result, process.stdout.isTTY ? outputWidth() : undefined).join('\n') + '\n');
        return result.refused.length || result.conflicts.length ? 3 : 0;
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  });
}
