// The screening pass of bench/mutate.ts, loaded as a Vitest setup file: every time a test materialises a model
// (`CREATE OR REPLACE [TEMP] TABLE|VIEW <model> AS <sql>`), each not yet screened mutant of that model is evaluated
// on the same database, right after the original, and compared with the original's rows (EXCEPT ALL both ways).
// A mutant whose rows never differ on any test's data cannot fail a test (nothing downstream can see it): it is a
// survivor without a run of its own. A mutant that differs somewhere (or cannot be compared) is recorded with the
// test that told it apart, and bench/mutate.ts then runs the tests against it for real, that test first.
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
  const hit = new Set<number>(
    fs.existsSync(hitsFile) ? fs.readFileSync(hitsFile, 'utf8').split('\n').filter(Boolean).map((l) => Number(l.split('\t')[0])) : [],
  );
  const record = (m: Screened) => {
    hit.add(m.id);
    const state = expect.getState();
    fs.appendFileSync(hitsFile, `${m.id}\t${state.testPath ?? ''}\t${state.currentTestName ?? ''}\n`);
  };
  const CREATE = /^CREATE OR REPLACE (?:TEMP )?(?:TABLE|VIEW) (\w+) AS ([\s\S]*)$/;
  const original = Db.prototype.run;
  Db.prototype.run = async function (this: Db, sql: string, values?: never) {
    await original.call(this, sql, values);
    const c = CREATE.exec(sql);
    const mutants = c && byTable.get(c[1].toLowerCase());
    if (!c || !mutants) return;
    for (const m of mutants) {
      if (hit.has(m.id)) continue;
      const body = c[2];
      const at = body.indexOf(m.original.trim());
      // the line not found once in the model's SQL (a placeholder, the stripped `;`): no screening, a real run decides
      if (at < 0 || body.indexOf(m.original.trim(), at + 1) >= 0) {
        record(m);
        continue;
      }
      const mutSql = body.slice(0, at) + m.mutated.trim() + body.slice(at + m.original.trim().length);
      try {
        const diff = await this.value<number | bigint>(`SELECT count(*) FROM (
          (SELECT * FROM (${mutSql}) EXCEPT ALL SELECT * FROM ${c[1]})
          UNION ALL (SELECT * FROM ${c[1]} EXCEPT ALL SELECT * FROM (${mutSql})))`);
        if (Number(diff) > 0) record(m);
      } catch {
        record(m); // does not parse or bind, or a runtime error: a real run decides (killed or invalid)
      }
    }
  };
}
