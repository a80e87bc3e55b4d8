// `afstem note --config F --ref S-123 --status in_progress|awaiting|explained|open [--note "…"] [--assignee NAME]
//  [--follow-up YYYY-MM-DD] [--by NAME]`: records one handling change (FORMATS.md §8) with a trail row whose source is
// the command line. What is not given is kept (assignee, note; the follow-up date only while the status stays
// awaiting); an empty value clears it. Takes the run lock, like `export --unmask`: refused while a run is in progress.
// Exit codes: 0 applied (or no change), 3 refused (not open, unknown, a rule of §8 broken), 2 bad arguments, no
// database or a run in progress, 1 anything unexpected.
import fs from 'node:fs';
import os from 'node:os';
import { acquireLock, type HeldLock } from '../lock.ts';
import { newRunId } from '../log.ts';
import { maskText } from '../mask.ts';
import {
  applyHandling,
  caseNumber,
  ensureHandlingTables,
  COMMAND_LINE_SOURCE,
  HANDLING_STATUS_DA,
  isCalendarDate,
  parseStatus,
  type HandlingEdit,
  type HandlingStatus,
} from '../handling/store.ts';
import { CommandError, openForWriting, parseOptions, requireConfig, runCommand, usageError } from './common.ts';

export const NOTE_USAGE =
  'afstem note --config <file> --ref S-123 --status open|in_progress|awaiting|explained [--note "…"] ' +
  '[--assignee NAME] [--follow-up YYYY-MM-DD] [--by NAME]';

export const NOTE_HELP = `usage: ${NOTE_USAGE}

Records what is being done about one open discrepancy, named by its case_ref (discrepancies.csv, the report).
  --status     open (Åben), in_progress (I gang), awaiting (Afventer: needs --follow-up),
               explained (Forklaret: needs a note saying why); the Danish labels are taken too
  --note       free text (CPR numbers are masked when stored); "" clears it
  --assignee   who is on it; "" clears it
  --follow-up  the date to look again, YYYY-MM-DD; only with --status awaiting
  --by         who records the change (default: the operating-system user)
A note or assignee not given is kept. Every change is appended to the audit trail (afstem audit).
Exit codes: 0 recorded or no change, 3 refused (not open in the latest recorded run, unknown case_ref, a missing
note or follow-up date), 2 bad arguments, no database or a run in progress, 1 anything unexpected.`;

const OPTIONS = {
  config: { type: 'string' },
  ref: { type: 'string' },
  status: { type: 'string' },
  note: { type: 'string' },
  assignee: { type: 'string' },
  'follow-up': { type: 'string' },
  by: { type: 'string' },
} as const;

export { parseStatus };

/** The operating-system user (FORMATS.md §8: who, when --by is not given). */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'ukendt';
  }
}

interface Current {
  status: string;
  assignee: string | null;
  note: string | null;
  follow_up: string | null;
  rule: string;
  municipality: string;
  key_id: string;
}

export async function noteCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, NOTE_USAGE, NOTE_HELP);
    const config = requireConfig(v.config, NOTE_USAGE);
    if (!v.ref) throw usageError('--ref <case_ref> is required, e.g. --ref S-123 (discrepancies.csv, column case_ref)', NOTE_USAGE);
    if (caseNumber(v.ref) === null) throw usageError(`--ref ${v.ref}: expected a case_ref, S- and a number such as S-123`, NOTE_USAGE);
    if (!v.status) throw usageError('--status is required: open, in_progress, awaiting or explained', NOTE_USAGE);
    const status = parseStatus(v.status);
    if (!status) throw usageError(`--status ${v.status}: expected open, in_progress, awaiting or explained (or Åben, I gang, Afventer, Forklaret)`, NOTE_USAGE);
    const followUpGiven = v['follow-up'] === undefined ? undefined : v['follow-up'].trim();
    if (followUpGiven && !isCalendarDate(followUpGiven)) throw usageError(`--follow-up ${followUpGiven}: expected a date YYYY-MM-DD`, NOTE_USAGE);
    const by = v.by !== undefined ? v.by.trim() : osUser();
    if (!by) throw usageError('--by: give a name', NOTE_USAGE);

    let lock: HeldLock;
    try {
      lock = await acquireLock(config.databasePath, `note-${newRunId()}`, { waitForBriefMs: 5_000 });
    } catch (e) {
      throw new CommandError(`the change cannot be recorded now: ${(e as Error).message}`, 2);
    }
    try {
      if (lock.warning) process.stderr.write(`afstem: ${lock.warning}\n`);
      if (!fs.existsSync(config.databasePath)) throw new CommandError(`no database at ${config.databasePath} yet: run the batch first (afstem run --config …)`, 2);
      const db = await openForWriting(config);
      try {
        const ref = v.ref.trim().toUpperCase();
        await ensureHandlingTables(db);
        const current = await db.one<Current>(`SELECT coalesce(h.status, 'open') AS status, h.assignee, h.note,
            CAST(h.follow_up AS VARCHAR) AS follow_up, c.rule, c.municipality, c.key_id
          FROM case_refs c LEFT JOIN handling h ON h.municipality = c.municipality AND h.rule = c.rule AND h.key_id = c.key_id
          WHERE c.case_no = ${caseNumber(ref)}`);
        const keep = (given: string | undefined, now: string | null | undefined) => (given === undefined ? (now ?? null) : given);
        const edit: HandlingEdit = {
          caseRef: ref,
          status,
          assignee: keep(v.assignee, current?.assignee),
          note: keep(v.note, current?.note),
          followUp: followUpGiven !== undefined ? followUpGiven || null : status === 'awaiting' ? (current?.follow_up ?? null) : null,
        };
        const out = await applyHandling(db, [{ edit, by, source: COMMAND_LINE_SOURCE }], { force: true, strictOpen: true });
        const refused = [...out.refused, ...out.conflicts];
        if (refused.length) {
          for (const r of refused) process.stderr.write(`afstem: refused: ${maskText(r.reason)}\n`);
          return 3;
        }
        const what = current ? ` (${current.rule}, kommune ${current.municipality}, ${maskText(current.key_id)})` : '';
        if (out.applied === 0) {
          process.stdout.write(`${ref}${what}: no change, it already has status ${HANDLING_STATUS_DA[status]}\n`);
          return 0;
        }
        const from = current ? HANDLING_STATUS_DA[current.status as HandlingStatus] ?? current.status : HANDLING_STATUS_DA.open;
        process.stdout.write(`${ref}${what}: ${from} → ${HANDLING_STATUS_DA[status]}, recorded by ${maskText(by)} in the audit trail\n`);
        return 0;
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  });
}
