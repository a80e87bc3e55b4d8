// The current books follow the deliveries (FORMATS.md §1): after each night the books kept up to date key by key equal
// a full rebuild from every delivery in effect, through new deltas, re-deliveries that drop or change keys, an
// identical re-delivery, and a night with nothing new (which touches nothing).
import { afterEach, describe, expect, it } from 'vitest';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';
import { KINDS } from '../../src/ingest/kinds.ts';
import { countCprIds, rebuildCurrent } from '../../src/ingest/current.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const fee = (id: string, amount: string, status = 'open') =>
  `${id};adult_cpr;0102031234;overdue_fee;${amount};2026-11-20 10:00;${status};${status === 'paid' ? '2026-11-25 10:00;debitor' : ';'};;`;
const file = (...rows: string[]) => [FEES_HEADER, ...rows].join('\n') + '\n';
const CLAIMS_HEADER = 'claim_id;source_ref;debtor_party;account_type;claim_type;principal;received_at';
const claim = (id: string, fee: string, principal: string) =>
  `${id};${fee};0102031234;library_fees;overdue_fee;${principal};2026-11-21 09:00`;

/** Every current table as sorted text rows. */
async function books(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const k of KINDS) {
    const rows = await fx.rows(`SELECT CAST(c AS VARCHAR) AS r FROM cur_${k.kind} c ORDER BY r`);
    out[k.kind] = rows.map((r) => String(r.r));
  }
  // the CPR-shaped ids of the current rows (summary.json's warning) follow the books too
  const ids = await fx.rows(`SELECT CAST(c AS VARCHAR) AS r FROM cur_cpr_ids c ORDER BY r`);
  out.cpr_ids = ids.map((r) => String(r.r));
  return out;
}

/** The books a full rebuild gives now, leaving the incremental books as they were. */
async function rebuilt(): Promise<Record<string, string[]>> {
  for (const k of KINDS) await fx.db.run(`CREATE OR REPLACE TABLE keep_${k.kind} AS SELECT * FROM cur_${k.kind}`);
  await fx.db.run(`CREATE OR REPLACE TABLE keep_built AS SELECT * FROM cur_built`);
  await fx.db.run(`CREATE OR REPLACE TABLE keep_cpr_ids AS SELECT * FROM cur_cpr_ids`);
  await rebuildCurrent(fx.db);
  const full = await books();
  for (const k of KINDS) await fx.db.run(`CREATE OR REPLACE TABLE cur_${k.kind} AS SELECT * FROM keep_${k.kind}`);
  await fx.db.run(`CREATE OR REPLACE TABLE cur_built AS SELECT * FROM keep_built`);
  await fx.db.run(`CREATE OR REPLACE TABLE cur_cpr_ids AS SELECT * FROM keep_cpr_ids`);
  return full;
}

describe('current books kept up to date night by night', () => {
  it('equal a full rebuild after every night, re-deliveries and a night with nothing new included', async () => {
    fx = await fixture();
    // night 1: two municipalities, fees and claims
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00'), fee('F2', '20.00'), fee('F3', '30.00')));
    // 561's fee ids: F1 and one shaped like a CPR number (a problem at the source, counted for summary.json)
    fx.write('561/fbs_fees_2026-11-20.csv', file(fee('F1', '99.00'), fee('G-010203-1234', '5.00')));
    fx.write('101/debitor_claims_2026-11-21.csv', [CLAIMS_HEADER, claim('C1', 'F1', '10,00'), claim('C2', 'F2', '20,00'), claim('C3', '2512019999', '3,00')].join('\n') + '\n');
    expect((await fx.load()).unclean).toBe(false);
    const night1 = await books();
    expect(night1.fbs_fees).toHaveLength(5);
    expect(await countCprIds(fx.db)).toBe(2);
    expect(night1.debitor_claims).toHaveLength(3);
    expect(night1).toEqual(await rebuilt());

    // night 2: a delta changes F1 and adds F4; the 561 file is re-delivered without F1 and with F9
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F1', '10.00', 'paid'), fee('F4', '40.00')));
    fx.write('561/fbs_fees_2026-11-20.csv', file(fee('F9', '9.00')));
    await fx.load();
    const night2 = await books();
    expect(night2).toEqual(await rebuilt());
    const fees2 = await fx.rows(`SELECT municipality || '/' || fee_id || '/' || status AS k FROM cur_fbs_fees ORDER BY k`);
    expect(fees2.map((r) => r.k)).toEqual(['101/F1/paid', '101/F2/open', '101/F3/open', '101/F4/open', '561/F9/open']);
    expect(night2.cpr_ids).toEqual(['{\'kind\': debitor_claims, \'municipality\': 101, \'key\': C3, \'id\': 2512019999}']);

    // night 3: nothing new (the same files again): not one row of the books is rewritten
    const before = await fx.rows(`SELECT count(*) AS n FROM cur_built`);
    await fx.db.run(`CREATE OR REPLACE TABLE cur_fbs_fees_probe AS SELECT rowid AS id, fee_id FROM cur_fbs_fees`);
    await fx.load();
    expect(await books()).toEqual(night2);
    expect(await fx.rows(`SELECT count(*) AS n FROM cur_built`)).toEqual(before);
    const moved = await fx.rows(`SELECT count(*) AS n FROM cur_fbs_fees c FULL JOIN cur_fbs_fees_probe p ON p.id = c.rowid AND p.fee_id = c.fee_id
                                 WHERE p.id IS NULL OR c.fee_id IS NULL`);
    expect(moved).toEqual([{ n: 0 }]);

    // night 4: the later 101 delta is re-delivered so that F1 falls back to its earlier version and F4 vanishes;
    // the claims file is re-delivered under another path with a changed principal
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F2', '22.00')));
    fx.write('101/resend/debitor_claims_2026-11-21.csv', [CLAIMS_HEADER, claim('C1', 'F1', '11,00')].join('\n') + '\n');
    await fx.load();
    const night4 = await books();
    expect(night4).toEqual(await rebuilt());
    const fees4 = await fx.rows(`SELECT fee_id || '/' || status || '/' || amount::VARCHAR AS k FROM cur_fbs_fees WHERE municipality = '101' ORDER BY k`);
    expect(fees4.map((r) => r.k)).toEqual(['F1/open/10.00', 'F2/open/22.00', 'F3/open/30.00']);
    const claims4 = await fx.rows(`SELECT claim_id || '/' || principal::VARCHAR AS k FROM cur_debitor_claims ORDER BY k`);
    expect(claims4.map((r) => r.k)).toEqual(['C1/11.00']);
    // C3 went with the claims file's re-delivery: no CPR-shaped id is left
    expect(await countCprIds(fx.db)).toBe(0);

    // night 5, only added deliveries (the books read the new files and the current rows, not the history): a late
    // file dated between the two 101 files loses F2 to the later one and wins F1 and F3 over the earlier one; F5 comes
    // twice in it (the later line wins); a CPR-shaped fee id comes too. Only the keys whose row changed are touched.
    // (Checked against the code before it: the same books; it touched F2 too, whose row did not change.)
    await fx.db.run(`DELETE FROM cur_touched`);
    fx.write('101/fbs_fees_2026-11-22.csv', file(fee('F1', '1.00'), fee('F2', '2.00'), fee('F3', '33.00'), fee('F5', '5.00'), fee('F5', '55.00'), fee('0102031234', '7.00')));
    await fx.load();
    const touched5 = await fx.rows(`SELECT DISTINCT municipality || '/' || id AS k FROM cur_touched ORDER BY k`);
    const night5 = await books();
    expect(night5).toEqual(await rebuilt()); // (rebuilt() empties cur_touched: read above)
    const fees5 = await fx.rows(`SELECT fee_id || '/' || amount::VARCHAR AS k FROM cur_fbs_fees WHERE municipality = '101' ORDER BY k`);
    expect(fees5.map((r) => r.k)).toEqual(['0102031234/7.00', 'F1/1.00', 'F2/22.00', 'F3/33.00', 'F5/55.00']);
    expect(touched5.map((r) => r.k)).toEqual(['101/0102031234', '101/F1', '101/F3', '101/F5']);
    expect(await countCprIds(fx.db)).toBe(1);

    // a database from before the CPR-shaped ids were kept beside the books: the next night rebuilds them whole
    await fx.db.run(`DROP TABLE cur_cpr_ids`);
    await fx.load();
    expect(await books()).toEqual(night5);
  });
});
