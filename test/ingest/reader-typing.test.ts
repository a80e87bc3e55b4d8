// Issue 27 item 3 asked the load to let DuckDB's CSV reader type amounts, dates and timestamps. The reader is looser
// than the contract (FORMATS.md §3–4: exactly two decimals, a date's fields written in full, hours 00–23, values taken
// as given), and a typed column keeps no text, so no check afterwards can tell "12.5" from "12.50" or "24:00" from the
// next day's "00:00". This test holds both halves of that finding: what the reader of this DuckDB accepts (if a later
// DuckDB refuses these values, the first test fails and item 3 is worth trying again), and that afstem's load, which
// reads text and types in SQL, rejects each of them with its reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../src/db.ts';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

/** Values the contract refuses, as an amount, a date or a timestamp, and what the reader makes of each. */
const LOOSE = [
  { column: 'amount', value: '12.5', reader: '12.50' },
  { column: 'amount', value: '12.345', reader: '12.35' },
  { column: 'amount', value: ' 12.50', reader: '12.50' },
  { column: 'date', value: '2026-1-5', reader: '2026-01-05' },
  { column: 'created_at', value: '2026-11-26 24:00:00', reader: '2026-11-27 00:00:00' },
  { column: 'created_at', value: 'infinity', reader: 'infinity' },
] as const;

let fx: Fixture | undefined;
afterEach(() => fx?.close());

describe("the CSV reader's own typing (issue 27 item 3)", () => {
  it('accepts values the contract refuses, and keeps no text to check them by', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-reader-'));
    const db = await Db.open(':memory:');
    try {
      for (const [i, c] of LOOSE.entries()) {
        const file = path.join(dir, `v${i}.csv`);
        fs.writeFileSync(file, `v\n${c.value}\n`);
        const type = c.column === 'amount' ? 'DECIMAL(18,2)' : c.column === 'date' ? 'DATE' : 'TIMESTAMP';
        const rows = await db.all<{ v: string }>(
          `SELECT CAST(v AS VARCHAR) AS v FROM read_csv('${file}', delim = ';', header = true, auto_detect = false,
             columns = {'v': '${type}'}, ignore_errors = true)`,
        );
        expect({ value: c.value, read: rows.map((r) => r.v) }).toEqual({ value: c.value, read: [c.reader] });
      }
      // with the contract's ISO formats given to the reader it is looser still: "infinity" becomes a date in 1900
      fs.writeFileSync(path.join(dir, 'f.csv'), 'd;t\n2026-1-5;infinity\n');
      const formatted = await db.all<{ d: string; t: string }>(
        `SELECT CAST(d AS VARCHAR) AS d, CAST(t AS VARCHAR) AS t FROM read_csv('${path.join(dir, 'f.csv')}', delim = ';',
           header = true, auto_detect = false, columns = {'d': 'DATE', 't': 'TIMESTAMP'}, dateformat = '%Y-%m-%d',
           timestampformat = '%Y-%m-%d %H:%M:%S', ignore_errors = true)`,
      );
      expect(formatted).toEqual([{ d: '2026-01-05', t: '1900-01-01 00:00:00' }]);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is not afstem's: the load rejects each of those values with its reason and loads the good row", async () => {
    fx = await fixture();
    const fee = (id: string, amount: string, created: string) =>
      [id, 'adult_cpr', '0102031234', 'overdue_fee', amount, created, 'open', '', '', '', ''].join(';');
    const claim = (id: string, due: string) => `${id};MV1;library_fees;overdue_fee;0102031234;10.00;2026-11-26 10:00;;${due};`;
    const fees = [fee('OK', '12.50', '2026-11-26 10:00:00')];
    const claims = ['claim_id;source_ref;account_type;claim_type;debtor_party;principal;received_at;invoiced_at;due_date;collection_sent_at'];
    for (const [i, c] of LOOSE.entries()) {
      if (c.column === 'amount') fees.push(fee(`A${i}`, c.value, '2026-11-26 10:00:00'));
      if (c.column === 'created_at') fees.push(fee(`T${i}`, '12.50', c.value));
      if (c.column === 'date') claims.push(claim(`D${i}`, c.value));
    }
    fx.write('101/fbs_fees_2026-11-26.csv', [FEES_HEADER, ...fees].join('\n') + '\n');
    fx.write('101/debitor_claims_2026-11-26.csv', claims.join('\n') + '\n');
    await fx.load();
    expect(await fx.rows(`SELECT fee_id, CAST(amount AS VARCHAR) AS amount FROM cur_fbs_fees`)).toEqual([{ fee_id: 'OK', amount: '12.50' }]);
    const rejects = await fx.rows(`SELECT path AS file, line, reason FROM rejects ORDER BY path, line`);
    const fileOf = (f: unknown) => path.basename(String(f));
    expect(rejects.map((r) => [fileOf(r.file), r.line, String(r.reason).replace(/;.*/, '')])).toEqual([
      ['debitor_claims_2026-11-26.csv', 2, 'linje 2: due_date "2026-1-5" er ikke en gyldig dato'],
      ['fbs_fees_2026-11-26.csv', 3, 'linje 3: amount "12.5" har én decimal'],
      ['fbs_fees_2026-11-26.csv', 4, 'linje 4: amount "12.345" har mere end to decimaler'],
      ['fbs_fees_2026-11-26.csv', 5, 'linje 5: amount " 12.50" er ikke et beløb'],
      ['fbs_fees_2026-11-26.csv', 6, 'linje 6: created_at "2026-11-26 24:00:00" er ikke et gyldigt tidspunkt'],
      ['fbs_fees_2026-11-26.csv', 7, 'linje 7: created_at "infinity" er ikke et gyldigt tidspunkt'],
    ]);
  });
});
