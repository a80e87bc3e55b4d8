// The served worklist's journal of handling changes (FORMATS.md §9): a change recorded on a case page is appended
// here first, as one JSON line, and fsync'd before the page answers, so no change is lost while a run holds the
// database. It reaches the database through applyHandling (./store.ts: the same validation and trail as `afstem
// note`; source 'web', who the signed-in user, when the instant it was recorded), by the server as soon as no run
// holds the database, and by every recorded run before it evaluates the rules, so nothing waits on the server being
// up. An entry reached the database when serve_journal_applied (./serve-tables.ts) holds its id, written in the same
// transaction as its trail row: a crash between the two never applies an entry twice, and an entry is never applied
// by both. The file `<database>.serve-journal.jsonl` is only ever appended to; text in it is CPR-masked as stored.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { lit, tsLiteral, type Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { ensureServeTables } from './serve-tables.ts';
import { applyHandling, storedText, WEB_SOURCE, HANDLING_STATUSES, type HandlingOutcome, type HandlingStatus } from './store.ts';

export interface JournalEntry {
  /** A random UUID. */
  id: string;
  /** When it was recorded (ISO 8601 UTC): the trail's changed_at and handled_at. */
  at: string;
  /** The signed-in user. */
  who: string;
  caseRef: string;
  municipality: string;
  status: HandlingStatus;
  assignee: string | null;
  note: string | null;
  /** YYYY-MM-DD. */
  followUp: string | null;
  /** The case's handled_at as the page showed it (ISO UTC), null = never handled: a later change is a conflict. */
  seen: string | null;
}

export type EntryOutcome = 'applied' | 'unchanged' | 'refused' | 'conflict';

export interface EntryResult {
  entry: JournalEntry;
  outcome: EntryOutcome;
  /** Danish; null when applied or unchanged. */
  reason: string | null;
}

export function journalPath(databasePath: string): string {
  return `${databasePath}.serve-journal.jsonl`;
}

/** A new entry (text masked as the handling store keeps it). */
export function newEntry(e: Omit<JournalEntry, 'id' | 'at'>, at: Date = new Date()): JournalEntry {
  return {
    id: crypto.randomUUID(),
    at: at.toISOString(),
    who: maskText(e.who.trim()) ?? '',
    caseRef: e.caseRef,
    municipality: e.municipality,
    status: e.status,
    assignee: storedText(e.assignee),
    note: storedText(e.note),
    followUp: e.followUp,
    seen: e.seen,
  };
}

/** Appends one entry and fsyncs it (and the folder, when the file is new) before returning. */
export function appendEntry(databasePath: string, entry: JournalEntry): void {
  const file = journalPath(databasePath);
  const isNew = !fs.existsSync(file);
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(entry) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (isNew) {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  }
}

const text = (v: unknown): v is string | null => v === null || typeof v === 'string';

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const j = JSON.parse(line) as Record<string, unknown>;
    const ok = typeof j.id === 'string' && typeof j.at === 'string' && !Number.isNaN(Date.parse(j.at)) && typeof j.who === 'string'
      && typeof j.caseRef === 'string' && typeof j.municipality === 'string'
      && (HANDLING_STATUSES as readonly unknown[]).includes(j.status)
      && text(j.assignee) && text(j.note) && text(j.followUp) && text(j.seen);
    return ok ? (j as unknown as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every entry of the journal, in the order recorded. A line that cannot be read (a write torn by a crash, which
 * was never confirmed to anyone) is skipped and counted.
 */
export function readJournal(databasePath: string): { entries: JournalEntry[]; unreadable: number } {
  let content: string;
  try {
    content = fs.readFileSync(journalPath(databasePath), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
    throw e;
  }
  const entries: JournalEntry[] = [];
  let unreadable = 0;
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    const e = parseEntry(line);
    if (e) entries.push(e);
    else unreadable++;
  }
  return { entries, unreadable };
}

/** The ids of the entries that reached the database. */
export async function appliedIds(db: Db): Promise<Set<string>> {
  await ensureServeTables(db);
  const rows = await db.all<{ id: string }>(`SELECT id FROM serve_journal_applied`);
  return new Set(rows.map((r) => r.id));
}

function outcomeOf(out: HandlingOutcome): { outcome: EntryOutcome; reason: string | null } {
  if (out.conflicts.length) return { outcome: 'conflict', reason: out.conflicts[0].reason };
  if (out.refused.length) return { outcome: 'refused', reason: out.refused[0].reason };
  return { outcome: out.applied > 0 ? 'applied' : 'unchanged', reason: null };
}

/**
 * Applies one entry through applyHandling: validation, conflict check against `seen`, trail row (source 'web').
 * `record`: also write its serve_journal_applied row (the database file), in the same transaction.
 */
export async function applyEntry(db: Db, entry: JournalEntry, opts: { record?: string; inTransaction?: boolean } = {}): Promise<EntryResult> {
  if (!opts.inTransaction) await db.run('BEGIN TRANSACTION');
  try {
    const out = await applyHandling(db, [{
      edit: { caseRef: entry.caseRef, status: entry.status, assignee: entry.assignee, note: entry.note, followUp: entry.followUp },
      by: entry.who,
      source: WEB_SOURCE,
      handledAt: entry.seen,
      municipality: entry.municipality,
    }], { now: new Date(entry.at), strictOpen: true, inTransaction: true });
    const { outcome, reason } = outcomeOf(out);
    if (opts.record !== undefined) {
      await ensureServeTables(db);
      await db.run(`INSERT INTO serve_journal_applied VALUES (${lit(entry.id)}, ${lit(entry.caseRef)}, ${lit(entry.municipality)},
        ${lit(entry.who)}, ${tsLiteral(new Date(entry.at))}, ${lit(outcome)}, ${lit(reason)}, ${tsLiteral(new Date())}, ${lit(opts.record)})`);
    }
    if (!opts.inTransaction) await db.run('COMMIT');
    return { entry, outcome, reason };
  } catch (e) {
    if (!opts.inTransaction) await db.run('ROLLBACK');
    throw e;
  }
}

/**
 * Applies every entry of the journal that has not reached the database yet, in the order recorded, each in its own
 * transaction with its serve_journal_applied row. `appliedBy`: the run id, or 'afstem serve'.
 */
export async function applyPending(db: Db, databasePath: string, appliedBy: string): Promise<EntryResult[]> {
  const { entries } = readJournal(databasePath);
  if (entries.length === 0) return [];
  const done = await appliedIds(db);
  const results: EntryResult[] = [];
  for (const e of entries) {
    if (done.has(e.id)) continue;
    results.push(await applyEntry(db, e, { record: appliedBy }));
    done.add(e.id);
  }
  return results;
}
