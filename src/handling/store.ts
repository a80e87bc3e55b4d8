// Case handling (FORMATS.md §8): what finance staff record about a discrepancy, kept per identity (municipality,
// rule, key_id) from night to night, and the append-only audit trail of every change.
//
// Persistent tables (in the batch database; src/schema/migrations.ts creates them):
//   handling(municipality, rule, key_id, case_ref, status, assignee, note, follow_up, handled_by, handled_at)
//       the current handling of an identity: one row per identity that was ever handled (none = 'open', nothing
//       recorded); assignee and note CPR-masked; handled_at (UTC) the instant of its latest change
//   handling_trail(seq, case_ref, municipality, rule, key_id, old_/new_status, old_/new_assignee, old_/new_note,
//       old_/new_follow_up, who, changed_at, source)
//       one row per change, in seq order; rows are only ever appended (never updated or deleted)
//
// applyHandling validates and applies a batch of requested edits set-based: the requests go into a TEMP table
// through one appender, are judged in SQL against case_refs, the latest recorded run and the handling table, and the
// changes are written in one transaction. Requests naming the same case twice are applied in their order (round by
// round), so a batch means what the same requests one by one would.
import { tsLiteral, type Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { HANDLING_STATUS_CHOICE, HANDLING_STATUS_DA, HANDLING_STATUSES, type HandlingStatus } from '../vocabulary.ts';
import { migrate } from '../schema/migrate.ts';
import { danishInt, MAX_ASSIGNEE_CHARS, MAX_NOTE_CHARS, MAX_WHO_CHARS } from './limits.ts';

// FORMATS.md §8: the statuses and their Danish words (src/vocabulary.ts)
export { HANDLING_STATUSES, HANDLING_STATUS_DA, type HandlingStatus };

/** The source of a change made with `afstem note`. */
export const COMMAND_LINE_SOURCE = 'kommandolinje';
/** The source of a change recorded on a case page of `afstem serve` (FORMATS.md §9). */
export const WEB_SOURCE = 'web';
/** Who closes the handling of a discrepancy that resolves (FORMATS.md §8). */
export const CLOSED_BY = 'afstem';

export interface HandlingEdit {
  caseRef: string;
  status: HandlingStatus;
  assignee: string | null;
  note: string | null;
  /** YYYY-MM-DD. */
  followUp: string | null;
}

export interface HandlingRequest {
  edit: HandlingEdit;
  /** Who made the change. */
  by: string;
  /** 'kommandolinje', or the file and sheet row, e.g. 'handling/101/uge48.xlsx, række 7'. */
  source: string;
  /**
   * Import only: the row's handled_at as ISO UTC; null or undefined = never handled. A change is a conflict when the
   * database's latest change of the discrepancy is later (compared to the second), unless `force`.
   */
  handledAt?: string | null;
  /** Drop folder: the sub-folder's municipality; a row of another municipality is refused. */
  municipality?: string;
}

export interface HandlingProblem {
  source: string;
  caseRef: string;
  /** Danish. */
  reason: string;
}

export interface HandlingOutcome {
  applied: number;
  unchanged: number;
  refused: HandlingProblem[];
  conflicts: HandlingProblem[];
}

export interface ApplyOptions {
  /** Apply conflicting changes too (`afstem import --force`; `afstem note` passes it: it is no stale copy). */
  force?: boolean;
  /** The instant the changes are recorded at (default: now). */
  now?: Date;
  /**
   * A request equal to the database on a discrepancy that is not open is refused rather than counted unchanged
   * (`afstem note`: naming a closed discrepancy is an error). Imports leave it off: an unedited row is no change.
   */
  strictOpen?: boolean;
  /** The caller holds a transaction already (the batch run): do not begin or commit one. */
  inTransaction?: boolean;
}

/**
 * Brings the database's schema up to date, the handling tables included (src/schema/migrate.ts creates every
 * persistent table). A database opened with openDatabase is up to date already.
 */
export async function ensureHandlingTables(db: Db): Promise<void> {
  await migrate(db);
}

/** A status as a code or its Danish label, any case ('I gang', 'forklaret', 'in_progress'); undefined when neither. */
export function parseStatus(s: string): HandlingStatus | undefined {
  const t = s.trim().toLowerCase().replace(/\s+/g, ' ');
  for (const code of HANDLING_STATUSES) {
    if (t === code || t === HANDLING_STATUS_DA[code].toLowerCase() || t === code.replace('_', ' ')) return code;
  }
  return undefined;
}

/** A real calendar date YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** 'S-17' (any case, spaces around) → 17; anything else → null. */
export function caseNumber(ref: string): number | null {
  const m = /^\s*[sS]-(\d{1,9})\s*$/.exec(ref);
  return m ? Number(m[1]) : null;
}

/**
 * Free text as stored: line breaks as LF (a CRLF or a lone CR, as Windows or a form sends them, is one LF, which is
 * what every file afstem writes gives back: XML reads CRLF as LF), trimmed, empty = none, CPR-masked (FORMATS.md §5,
 * §8). Every path a note or assignee enters by (`afstem note`, `afstem import`, the handling folder) stores it so.
 */
export function storedText(s: string | null | undefined): string | null {
  const t = givenText(s);
  return t === null ? null : maskText(t);
}

/** Free text as given, before masking: line breaks as LF, trimmed, empty = none (its length is what is limited). */
function givenText(s: string | null | undefined): string | null {
  const t = s === null || s === undefined ? '' : s.replace(/\r\n?/g, '\n').trim();
  return t === '' ? null : t;
}

/** Who made a change, as stored: one line, trimmed, CPR-masked, at most MAX_WHO_CHARS characters. */
export function storedWho(s: string): string {
  const t = (maskText(s.replace(/[\r\n]+/g, ' ').trim()) ?? '') || 'ukendt';
  return t.length > MAX_WHO_CHARS ? `${t.slice(0, MAX_WHO_CHARS - 1)}…` : t;
}

/**
 * A note or assignee longer than its limit (FORMATS.md §8: a cell of a spreadsheet holds at most 32,767 characters),
 * counted as given (masking a CPR number adds a character the writer did not type).
 */
function lengthProblem(what: string, given: string | null | undefined, max: number): string | null {
  const text = givenText(given);
  if (text === null || text.length <= max) return null;
  return `${what} er ${danishInt(text.length)} tegn lang; højst ${danishInt(max)} tegn er tilladt`;
}

const label = (s: string) => (HANDLING_STATUS_DA as Record<string, string>)[s] ?? s;

/** The reasons a request is wrong on its own (before the database is asked), in Danish; null when it is fine. */
export function editProblem(e: HandlingEdit, note: string | null): string | null {
  if (!(HANDLING_STATUSES as readonly string[]).includes(e.status)) {
    return `ukendt status «${e.status}» (${HANDLING_STATUS_CHOICE})`;
  }
  const long = lengthProblem('noten', e.note, MAX_NOTE_CHARS) ?? lengthProblem('Ansvarlig', e.assignee, MAX_ASSIGNEE_CHARS);
  if (long) return long;
  if (e.followUp !== null && !isCalendarDate(e.followUp)) return `opfølgningsdatoen «${e.followUp}» er ikke en dato (ÅÅÅÅ-MM-DD)`;
  if (e.status === 'explained' && note === null) return `status ${HANDLING_STATUS_DA.explained} kræver en note, der siger hvorfor`;
  if (e.status === 'awaiting' && e.followUp === null) return `status ${HANDLING_STATUS_DA.awaiting} kræver en opfølgningsdato`;
  if (e.status !== 'awaiting' && e.followUp !== null) {
    return `en opfølgningsdato hører kun til status ${HANDLING_STATUS_DA.awaiting}, ikke til status ${label(e.status)}`;
  }
  return null;
}

/** An ISO instant → 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC) for a TIMESTAMP cast, or undefined when it cannot be read. */
function timestampText(iso: string): string | undefined {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

const REQUEST_TABLE = 'handling_requests';

async function loadRequests(db: Db, requests: HandlingRequest[]): Promise<number> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${REQUEST_TABLE} (
    ord INTEGER, round INTEGER, ref_given VARCHAR, case_no BIGINT, status VARCHAR, assignee VARCHAR, note VARCHAR,
    follow_up VARCHAR, who VARCHAR, source VARCHAR, handled_at VARCHAR, municipality VARCHAR, problem VARCHAR)`);
  const appender = await db.conn.createAppender(REQUEST_TABLE, 'main', 'temp');
  const seen = new Map<number, number>();
  let rounds = 0;
  const text = (s: string | null | undefined) => (s === null || s === undefined ? appender.appendNull() : appender.appendVarchar(s));
  requests.forEach((r, ord) => {
    const e = r.edit;
    const caseNo = caseNumber(e.caseRef);
    const round = caseNo === null ? 1 : (seen.get(caseNo) ?? 0) + 1;
    if (caseNo !== null) seen.set(caseNo, round);
    rounds = Math.max(rounds, round);
    const note = storedText(e.note);
    const assignee = storedText(e.assignee);
    const followUp = e.followUp === null || e.followUp === undefined || e.followUp.trim() === '' ? null : e.followUp.trim();
    let problem = caseNo === null ? `«${e.caseRef}» er ikke et sagsnummer (S- og et tal)` : editProblem({ ...e, followUp }, note);
    let handledAt: string | null = null;
    if (r.handledAt !== null && r.handledAt !== undefined && r.handledAt.trim() !== '') {
      const ts = timestampText(r.handledAt.trim());
      if (ts === undefined) problem ??= `tidspunktet for seneste behandling «${r.handledAt}» kan ikke læses`;
      else handledAt = ts;
    }
    appender.appendInteger(ord);
    appender.appendInteger(round);
    appender.appendVarchar(e.caseRef);
    if (caseNo === null) appender.appendNull();
    else appender.appendBigInt(BigInt(caseNo));
    text(e.status);
    text(problem ? null : assignee);
    text(problem ? null : note);
    text(problem ? null : followUp);
    text(storedWho(r.by));
    text(maskText(r.source));
    text(handledAt);
    text(r.municipality ?? null);
    text(problem);
    appender.endRow();
  });
  appender.closeSync();
  return rounds;
}

/**
 * Judges one round of requests: each gets an outcome (refused, unchanged, conflict, apply) and a reason, in the
 * TEMP table handling_judged.
 */
async function judgeRound(db: Db, round: number, opts: ApplyOptions): Promise<void> {
  // line breaks compared as LF: a note stored with CRLF before they were normalised reads back from a file as LF
  const lf = (c: string) => `regexp_replace(${c}, '\\r\\n?', '\n', 'g')`;
  const same = `coalesce(h.status, 'open') = q.status AND ${lf('h.assignee')} IS NOT DISTINCT FROM q.assignee
    AND ${lf('h.note')} IS NOT DISTINCT FROM q.note AND h.follow_up IS NOT DISTINCT FROM CAST(q.follow_up AS DATE)`;
  const openCheck = `WHEN o.key_id IS NULL THEN 'refused'`;
  // against the database as it was before this batch: a change the batch made itself is no conflict for its later rows
  const conflict = opts.force ? 'false' : `b.handled_at IS NOT NULL AND (q.handled_at IS NULL
    OR date_trunc('second', b.handled_at) > date_trunc('second', CAST(q.handled_at AS TIMESTAMP)))`;
  await db.run(`CREATE OR REPLACE TEMP TABLE handling_judged AS
    WITH latest AS (SELECT run_seq FROM main.lifecycle_runs ORDER BY as_of DESC, run_seq DESC LIMIT 1),
    open_now AS (SELECT DISTINCT d.municipality, d.rule, d.key_id FROM main.discrepancy_history d
                 WHERE d.run_seq = (SELECT run_seq FROM latest) AND d.state IN ('new', 'persisting')),
    -- a case of another municipality than the drop folder's is one that does not exist (FORMATS.md §8): its refusal
    -- says no more than that of a number never given, so one municipality learns nothing of another's cases (a
    -- filter after an equi-join: the same condition in the join's ON made DuckDB compare every pair, 40,000² rows)
    found AS (SELECT q.ord, c.case_no, c.municipality, c.rule, c.key_id
              FROM temp.main.${REQUEST_TABLE} q JOIN main.case_refs c ON c.case_no = q.case_no
              WHERE q.round = ${round} AND (q.municipality IS NULL OR c.municipality = q.municipality))
    SELECT q.ord, q.ref_given, q.source, q.status, q.assignee, q.note, CAST(q.follow_up AS DATE) AS follow_up,
           q.who, c.municipality, c.rule, c.key_id, 'S-' || CAST(c.case_no AS VARCHAR) AS case_ref,
           coalesce(h.status, 'open') AS old_status, h.assignee AS old_assignee, h.note AS old_note,
           h.follow_up AS old_follow_up,
           CASE WHEN c.case_no IS NULL AND q.problem IS NULL THEN 'refused'
                WHEN q.problem IS NOT NULL THEN 'refused'
                ${opts.strictOpen ? openCheck : ''}
                WHEN ${same} THEN 'unchanged'
                ${openCheck}
                WHEN ${conflict} THEN 'conflict'
                ELSE 'apply' END AS outcome,
           CASE WHEN q.problem IS NOT NULL THEN q.problem
                WHEN c.case_no IS NULL THEN q.ref_given || ' findes ikke: ingen afvigelse har det sagsnummer'
                WHEN o.key_id IS NULL
                  THEN 'S-' || CAST(c.case_no AS VARCHAR) || ' (' || c.rule || ', kommune ' || c.municipality || ') er '
                       || CASE WHEN (SELECT run_seq FROM latest) IS NULL THEN 'ikke åben: ingen kørsel er registreret endnu'
                               ELSE 'ikke åben i den seneste registrerede kørsel' END
                ELSE 'S-' || CAST(c.case_no AS VARCHAR) || ' er ændret i databasen ' || strftime(b.handled_at, '%Y-%m-%dT%H:%M:%SZ')
                     || ' af ' || b.handled_by || ', efter rækkens seneste behandling ('
                     || coalesce(strftime(CAST(q.handled_at AS TIMESTAMP), '%Y-%m-%dT%H:%M:%SZ'), 'aldrig behandlet')
                     || '); ændringen er ikke anvendt' END AS reason
    FROM temp.main.${REQUEST_TABLE} q
    LEFT JOIN found c ON c.ord = q.ord
    LEFT JOIN main.handling h ON h.municipality = c.municipality AND h.rule = c.rule AND h.key_id = c.key_id
    LEFT JOIN temp.main.handling_before b ON b.case_no = q.case_no
    LEFT JOIN open_now o ON o.municipality = c.municipality AND o.rule = c.rule AND o.key_id = c.key_id
    WHERE q.round = ${round}`);
}

/** Writes the round's 'apply' rows: trail rows appended, the handling rows replaced. */
async function applyRound(db: Db, at: Date): Promise<number> {
  const n = Number(await db.value(`SELECT count(*) FROM temp.main.handling_judged WHERE outcome = 'apply'`));
  if (n === 0) return 0;
  const atSql = tsLiteral(at);
  await db.run(`INSERT INTO main.handling_trail
    SELECT (SELECT coalesce(max(seq), 0) FROM main.handling_trail) + row_number() OVER (ORDER BY ord),
           case_ref, municipality, rule, key_id, old_status, status, old_assignee, assignee, old_note, note,
           old_follow_up, follow_up, who, ${atSql}, source
    FROM temp.main.handling_judged WHERE outcome = 'apply'`);
  await db.run(`DELETE FROM main.handling h USING temp.main.handling_judged j
    WHERE j.outcome = 'apply' AND h.municipality = j.municipality AND h.rule = j.rule AND h.key_id = j.key_id`);
  await db.run(`INSERT INTO main.handling
    SELECT municipality, rule, key_id, case_ref, status, assignee, note, follow_up, who, ${atSql}
    FROM temp.main.handling_judged WHERE outcome = 'apply'`);
  return n;
}

/**
 * Validates and applies handling edits (FORMATS.md §8): a case that is unknown or not open in the latest recorded
 * run, `explained` without a note, `awaiting` without a follow-up date, a follow-up date with another status, a row
 * of another municipality than the drop folder's → refused; a request equal to the database → unchanged (no trail
 * row); a change the database has seen a later change of than the row's handledAt → conflict unless `force`; the
 * others applied, each with a trail row. One transaction.
 */
export async function applyHandling(db: Db, requests: HandlingRequest[], opts: ApplyOptions = {}): Promise<HandlingOutcome> {
  const outcome: HandlingOutcome = { applied: 0, unchanged: 0, refused: [], conflicts: [] };
  if (requests.length === 0) return outcome;
  const at = opts.now ?? new Date();
  if (!opts.inTransaction) await db.run('BEGIN TRANSACTION');
  try {
    const rounds = await loadRequests(db, requests);
    const problems: { ord: number; outcome: string; source: string; case_ref: string; reason: string }[] = [];
    await db.run(`CREATE OR REPLACE TEMP TABLE handling_before AS
      SELECT c.case_no, h.handled_at, h.handled_by FROM main.handling h
      JOIN main.case_refs c ON c.municipality = h.municipality AND c.rule = h.rule AND c.key_id = h.key_id
      WHERE c.case_no IN (SELECT case_no FROM temp.main.${REQUEST_TABLE})`);
    for (let round = 1; round <= rounds; round++) {
      await judgeRound(db, round, opts);
      // one by one: a spread push(...rows) of 125,000 refusals overflows the call stack
      const judged = await db.all<{ ord: number; outcome: string; source: string; case_ref: string; reason: string }>(`
        SELECT ord, outcome, source, coalesce(case_ref, ref_given) AS case_ref, reason FROM temp.main.handling_judged
        WHERE outcome IN ('refused', 'conflict')`);
      for (const p of judged) problems.push(p);
      outcome.unchanged += Number(await db.value(`SELECT count(*) FROM temp.main.handling_judged WHERE outcome = 'unchanged'`));
      outcome.applied += await applyRound(db, at);
    }
    await db.run(`DROP TABLE IF EXISTS temp.main.handling_judged`);
    await db.run(`DROP TABLE IF EXISTS temp.main.handling_before`);
    await db.run(`DROP TABLE IF EXISTS temp.main.${REQUEST_TABLE}`);
    if (!opts.inTransaction) await db.run('COMMIT');
    // in the order of the requests (a file's rows in sheet order)
    for (const p of problems.sort((a, b) => a.ord - b.ord)) {
      const problem = { source: p.source, caseRef: p.case_ref, reason: p.reason };
      (p.outcome === 'conflict' ? outcome.conflicts : outcome.refused).push(problem);
    }
  } catch (e) {
    if (!opts.inTransaction) await db.run('ROLLBACK');
    throw e;
  }
  return outcome;
}
