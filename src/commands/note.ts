// `afstem note --config F --ref S-123 --status in_progress|awaiting|explained|open [--note "…"] [--assignee NAME]
//  [--follow-up YYYY-MM-DD] [--by NAME]`: records one handling change (FORMATS.md §8) with a trail row whose source is
// the command line. What is not given is kept (assignee, note; the follow-up date only while the status stays
// awaiting); an empty value clears it. Takes the run lock, like `export --unmask`: refused while a run is in progress.
// Exit codes: 0 applied (or no change), 3 refused (not open, unknown, a rule of §8 broken), 2 bad arguments, no
// database or a run in progress, 1 anything unexpected. A clerk's command: every message is Danish, and a note may
// begin with "-" (`--note "-2 kr. for meget"`, common.ts joinDashValues).
import fs from 'node:fs';
import os from 'node:os';
import { acquireLock, LockBusyError, type HeldLock } from '../lock.ts';
import { newRunId } from '../log.ts';
import { maskText } from '../mask.ts';
import { inert } from '../terminal.ts';
import {
  applyHandling,
  caseNumber,
  COMMAND_LINE_SOURCE,
  isCalendarDate,
  parseStatus,
  type HandlingEdit,
} from '../handling/store.ts';
import { HANDLING_STATUS_DA, HANDLING_STATUSES, type HandlingStatus } from '../vocabulary.ts';
import { CommandError, noDatabaseError, openForWriting, parseOptions, requireConfig, runCommand, runInProgressDa, usageError } from './common.ts';
import { NOTE_HELP, NOTE_USAGE } from './help.ts';

/** The status codes as a choice: "open, in_progress, awaiting eller explained"; their Danish words as a list. */
const CODES = `${HANDLING_STATUSES.slice(0, -1).join(', ')} eller ${HANDLING_STATUSES[HANDLING_STATUSES.length - 1]}`;
const WORDS = HANDLING_STATUSES.map((s) => HANDLING_STATUS_DA[s]).join(', ');

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
    const v = parseOptions(argv, OPTIONS, NOTE_USAGE, NOTE_HELP, 'da');
    const bad = (message: string) => usageError(message, NOTE_USAGE, 'da');
    const config = requireConfig(v.config, NOTE_USAGE, 'da');
    if (!v.ref) throw bad('--ref <sagsnummer> mangler, fx --ref S-123 (discrepancies.csv, kolonnen case_ref)');
    if (caseNumber(v.ref) === null) throw bad(`--ref ${v.ref}: forventede et sagsnummer, S- og et tal som S-123`);
    if (!v.status) throw bad(`--status mangler: ${CODES}`);
    const status = parseStatus(v.status);
    if (!status) throw bad(`--status ${v.status}: forventede ${CODES} (eller ${WORDS})`);
    const followUpGiven = v['follow-up'] === undefined ? undefined : v['follow-up'].trim();
    if (followUpGiven && !isCalendarDate(followUpGiven)) throw bad(`--follow-up ${followUpGiven}: forventede en dato ÅÅÅÅ-MM-DD`);
    const by = v.by !== undefined ? v.by.trim() : osUser();
    if (!by) throw bad('--by: angiv et navn');

    let lock: HeldLock;
    try {
      lock = await acquireLock(config.databasePath, `note-${newRunId()}`, { waitForBriefMs: 5_000 });
    } catch (e) {
      if (e instanceof LockBusyError) throw new CommandError(`ændringen kan ikke registreres nu: ${runInProgressDa(e.holder)}`, 2);
      throw e;
    }
    try {
      if (lock.warning) process.stderr.write(`afstem: ${inert(lock.warning)}\n`);
      if (!fs.existsSync(config.databasePath)) throw noDatabaseError(config, 'da');
      const db = await openForWriting(config, 'da');
      try {
        const ref = v.ref.trim().toUpperCase();
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
          for (const r of refused) process.stderr.write(`afstem: afvist: ${inert(maskText(r.reason) ?? '')}\n`);
          return 3;
        }
        const what = current ? ` (${current.rule}, kommune ${current.municipality}, ${maskText(current.key_id)})` : '';
        if (out.applied === 0) {
          process.stdout.write(`${inert(`${ref}${what}`)}: ingen ændring, sagen har allerede status ${HANDLING_STATUS_DA[status]}\n`);
          return 0;
        }
        const from = current ? HANDLING_STATUS_DA[current.status as HandlingStatus] ?? current.status : HANDLING_STATUS_DA.open;
        process.stdout.write(`${inert(`${ref}${what}`)}: ${from} → ${HANDLING_STATUS_DA[status]}, registreret af ${inert(maskText(by) ?? '')} i revisionssporet\n`);
        return 0;
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  });
}
