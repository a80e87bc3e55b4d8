// The screening pass of bench/mutate.ts, loaded as a Vitest setup file: every time a test materialises a model
// (`CREATE OR REPLACE [TEMP] TABLE|VIEW <model> AS <sql>`), each not yet screened mutant of that model is evaluated
// on the same database, right after the original, and compared with the original's rows (EXCEPT ALL both ways).
// A mutant whose rows never differ on any test's data cannot fail a test (nothing downstream can see it): it is a
// survivor without a run of its own. A mutant that differs somewhere (or cannot be compared) is recorded with the
// tests that told it apart (up to --hits of them, default one), and bench/mutate.ts then runs the tests against it for
// real, those first.
import fs from 'node:fs';
import { expect } from 'vitest';
import { Db } from '../src/db.ts';

interface Screened {
  id: number;
  table: string;
  original: string;
  mutated: string;
}

const mutantsFile = process.env.AFSTEM_MUTANTS_FILE;
const hitsFile = process.env.AFSTEM_MUTANTS_HITS;
if (mutantsFile && hitsFile) {
  const all: Screened[] = JSON.parse(fs.readFileSync(mutantsFile, 'utf8'));
  const byTable = new Map<string, Screened[]>();
  for (const m of all) byTable.set(m.table.toLowerCase(), [...(byTable.get(m.table.toLowerCase()) ?? []), m]);
  // Each mutant is screened until HITS tests have told it apart: bench/mutate.ts runs those tests against it, and only
  // when none of them fails, all the others.
  const HITS = Number(process.env.AFSTEM_MUTANTS_MAX_HITS ?? 1);
  const hit = new Map<number, number>();
  for (const l of fs.existsSync(hitsFile) ? fs.readFileSync(hitsFile, 'utf8').split('\n') : []) {
    if (l) hit.set(Number(l.split('\t')[0]), (hit.get(Number(l.split('\t')[0])) ?? 0) + 1);
  }
  const record = (m: Screened) => {
    hit.set(m.id, (hit.get(m.id) ?? 0) + 1);
    const state = expect.getState();
    fs.appendFileSync(hitsFile, `${m.id}\t${state.testPath ?? ''}\t${state.currentTestName ?? ''}\n`);
  };
  const CREATE = /^CREATE OR REPLACE (?:TEMP )?(?:TABLE|VIEW) (\w+) AS ([\s\S]*)$/;
  const differs = (table: string, mutSql: string) =>
    `EXISTS (SELECT * FROM (${mutSql}) EXCEPT ALL SELECT * FROM ${table}) OR EXISTS (SELECT * FROM ${table} EXCEPT ALL SELECT * FROM (${mutSql}))`;
  const original = Db.prototype.run;
  Db.prototype.run = async function (this: Db, sql: string, values?: never) {
    await original.call(this, sql, values);
    const c = CREATE.exec(sql);
    const mutants = c && byTable.get(c[1].toLowerCase());
    if (!c || !mutants) return;
    const [, table, body] = c;
    // a test that builds the model twice (another asOf) counts once per build
    const pending: { m: Screened; sql: string }[] = [];
    for (const m of mutants) {
      if ((hit.get(m.id) ?? 0) >= HITS) continue;
      const at = body.indexOf(m.original.trim());
      // the line not found once in the model's SQL (a placeholder, the stripped `;`): no screening, a real run decides
      if (at < 0 || body.indexOf(m.original.trim(), at + 1) >= 0) record(m);
      else pending.push({ m, sql: body.slice(0, at) + m.mutated.trim() + body.slice(at + m.original.trim().length) });
    }
    if (pending.length === 0) return;
    try {
      // all of the model's mutants in one statement; when one of them does not bind, each alone
      const rows = await this.all(pending.map((p, i) => `SELECT ${i} AS i WHERE ${differs(table, p.sql)}`).join('\nUNION ALL\n'));
      for (const r of rows) record(pending[Number(r.i)].m);
    } catch {
      for (const p of pending) {
        try {
          if (await this.value<boolean>(`SELECT ${differs(table, p.sql)}`)) record(p.m);
        } catch {
          record(p.m); // does not parse or bind, or a runtime error: a real run decides (killed or invalid)
        }
      }
    }
  };
}
