// The four delay stages (RULES.md §2) on the hand-made books of test/helpers/latency-books.ts; every figure below
// is worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books } from './helpers/books.ts';
import { LATENCY_AS_OF, LATENCY_MUNICIPALITIES, latencyBooks } from './helpers/latency-books.ts';
import { listModels, materialise, materialiseLayer } from '../src/pipeline/models.ts';
import { computeLatency } from '../src/pipeline/latency.ts';
import type { Db } from '../src/db.ts';

let b: Books;

/** The latency mart the batch writes latency.csv from, in file order (hour cells as exact strings or null). */
const latencyRows = (db: Db) => db.all(`SELECT * FROM latency ORDER BY municipality = 'ALL', municipality, stage`);
/** The latency_negative table the batch lists in summary.json's negativeDurations. */
const negativeDurations = (db: Db) =>
  db.all(`SELECT municipality, stage, id, hours FROM latency_negative ORDER BY municipality, stage, id`);

beforeAll(async () => {
  b = await latencyBooks();
  await materialiseLayer(b.db, 'intermediate');
  await computeLatency(b.db);
});
afterAll(() => b?.close());

const empty = (municipality: string, stage: string) => ({
  municipality, stage, n: 0, p50_hours: null, p90_hours: null, p99_hours: null, max_hours: null, within_sla: 0, breached: 0, in_flight: 0,
});
const row = (municipality: string, stage: string, n: number, p50: string, p90: string, p99: string, max: string, within: number, breached: number, inFlight: number) => ({
  municipality, stage, n, p50_hours: p50, p90_hours: p90, p99_hours: p99, max_hours: max, within_sla: within, breached, in_flight: inFlight,
});

describe('latency.csv rows', () => {
  it('every municipality × stage, then ALL, with hand-computed quantiles', async () => {
    // claim_to_payable 101: completed K1 2 h, K2 107 h, K3 36 h, K8 -1 h → n 4; quantiles over [2, 36, 107]:
    //   p50 36; p90 at 1.8 → 36 + 0.8·71 = 92.8; p99 at 1.98 → 36 + 0.98·71 = 105.58; max 107.
    //   within K1 K2 K8; breached K3 (at the deadline) + K5 K7 (no invoice, passed); in flight K4.
    const c2p = [4, '36.00', '92.80', '105.58', '107.00', 3, 3, 1] as const;
    // psp_to_debitor 101: T1 94 h, T2 48 h, T3 37 h → [37, 48, 94]: p50 48; p90 48 + 0.8·46 = 84.8; p99 48 + 0.98·46 = 93.08.
    //   within T1 T2; breached T3 + T5 T8 T9; in flight T4.
    const p2d = [3, '48.00', '84.80', '93.08', '94.00', 2, 4, 1] as const;
    // debitor_to_fbs 621: FD1 50 h, FD2 141 h, FD7 -1 h → [50, 141]: p50 95.5; p90 50 + 0.9·91 = 131.9; p99 50 + 0.99·91 = 140.09.
    //   within FD1 FD7; breached FD2 + FD4; in flight FD3.
    const d2f = [3, '95.50', '131.90', '140.09', '141.00', 2, 2, 1] as const;
    expect(await latencyRows(b.db)).toEqual([
      row('101', 'claim_to_payable', ...c2p),
      empty('101', 'debitor_to_fbs'),
      empty('101', 'fee_to_claim'),
      row('101', 'psp_to_debitor', ...p2d),
      empty('561', 'claim_to_payable'),
      empty('561', 'debitor_to_fbs'),
      // fee_to_claim 561: F1 0.5, F2 1.25, F3 -0.75, F4 2.18, F9 0.75, F10 0.5, F13 1/3 → n 7;
      //   quantiles over [1/3, 0.5, 0.5, 0.75, 1.25, 2.18]: p50 at 2.5 → 0.625 → 0.63 (half away from zero);
      //   p90 at 4.5 → 1.25 + 0.5·0.93 = 1.715 → 1.72 (a DOUBLE would say 1.71); p99 at 4.95 → 1.25 + 0.95·0.93 = 2.1335.
      //   within F1 F3 F9 F10 F13; breached F2 F4 + F6 F11; in flight F5.
      row('561', 'fee_to_claim', 7, '0.63', '1.72', '2.13', '2.18', 5, 4, 1),
      empty('561', 'psp_to_debitor'),
      empty('621', 'claim_to_payable'),
      row('621', 'debitor_to_fbs', ...d2f),
      row('621', 'fee_to_claim', 8, '0.50', '0.50', '0.50', '0.50', 8, 0, 0),
      empty('621', 'psp_to_debitor'),
      empty('751', 'claim_to_payable'),
      empty('751', 'debitor_to_fbs'),
      empty('751', 'fee_to_claim'),
      empty('751', 'psp_to_debitor'),
      row('ALL', 'claim_to_payable', ...c2p),
      row('ALL', 'debitor_to_fbs', ...d2f),
      // ALL fee_to_claim: 561's seven + 621's eight 0.5 h → n 15; 14 non-negative values
      //   [1/3, 0.5 ×10, 0.75, 1.25, 2.18]: p50 at 6.5 → 0.5; p90 at 11.7 → 0.75 + 0.7·0.5 = 1.1;
      //   p99 at 12.87 → 1.25 + 0.87·0.93 = 2.0591 → 2.06.
      row('ALL', 'fee_to_claim', 15, '0.50', '1.10', '2.06', '2.18', 13, 4, 1),
      row('ALL', 'psp_to_debitor', ...p2d),
    ]);
  });

  it('the table itself is in file order', async () => {
    const rows = await b.db.all<{ municipality: string; stage: string }>(`SELECT municipality, stage FROM latency`);
    expect(rows.map((r) => `${r.municipality}/${r.stage}`)).toEqual(
      (await latencyRows(b.db)).map((r) => `${r.municipality}/${r.stage}`),
    );
  });
});

describe('latency_items', () => {
  it('items per stage and the started-not-completed ones', async () => {
    const items = await b.db.all<Record<string, unknown>>(`
      SELECT stage, municipality, item_id, completed, within_sla, breached, in_flight
      FROM latency_items ORDER BY stage, municipality, item_id`);
    const ids = (stage: string, flag: string) =>
      items.filter((i) => i.stage === stage && i[flag]).map((i) => i.item_id);
    expect(ids('fee_to_claim', 'completed')).toEqual(['F1', 'F10', 'F13', 'F2', 'F3', 'F4', 'F9', 'FD1', 'FD2', 'FD3', 'FD4', 'FD5', 'FD6', 'FD7', 'FD8']);
    expect(ids('fee_to_claim', 'in_flight')).toEqual(['F5']);
    expect(items.filter((i) => i.stage === 'fee_to_claim' && !i.completed).map((i) => i.item_id)).toEqual(['F11', 'F5', 'F6']);
    expect(items.filter((i) => i.stage === 'claim_to_payable').map((i) => i.item_id)).toEqual(['K1', 'K2', 'K3', 'K4', 'K5', 'K7', 'K8']);
    expect(items.filter((i) => i.stage === 'psp_to_debitor').map((i) => i.item_id)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T8', 'T9']);
    expect(items.filter((i) => i.stage === 'debitor_to_fbs').map((i) => i.item_id)).toEqual(['FD1', 'FD2', 'FD3', 'FD4', 'FD7']);
    for (const i of items) {
      // every item is exactly one of within / breached / in flight
      expect([i.within_sla, i.breached, i.in_flight].filter(Boolean).length, `${i.stage} ${i.item_id}`).toBe(1);
    }
  });

  it('exact durations, deadlines and the Copenhagen date of completion', async () => {
    const r = await b.db.all(`
      SELECT item_id, strftime(start_at, '%Y-%m-%dT%H:%M:%SZ') AS start_at, strftime(end_at, '%Y-%m-%dT%H:%M:%SZ') AS end_at,
             strftime(deadline, '%Y-%m-%dT%H:%M:%SZ') AS deadline, duration_us, duration_hours, completed_date::VARCHAR AS completed_date
      FROM latency_items WHERE item_id IN ('T2', 'T3', 'K2', 'F13', 'F3', 'F4', 'T4') OR (item_id = 'FD2' AND stage = 'debitor_to_fbs')
      ORDER BY item_id`);
    expect(r).toEqual([
      // 20 minutes: a third of an hour, rounded to 6 decimals for reading
      { item_id: 'F13', start_at: '2026-06-04T08:00:00Z', end_at: '2026-06-04T08:20:00Z', deadline: '2026-06-04T09:00:00Z', duration_us: 1_200_000_000, duration_hours: '0.333333', completed_date: '2026-06-04' },
      { item_id: 'F3', start_at: '2026-06-02T10:00:00Z', end_at: '2026-06-02T09:15:00Z', deadline: '2026-06-02T11:00:00Z', duration_us: -2_700_000_000, duration_hours: '-0.750000', completed_date: '2026-06-02' },
      { item_id: 'F4', start_at: '2026-06-02T12:00:00Z', end_at: '2026-06-02T14:10:48Z', deadline: '2026-06-02T13:00:00Z', duration_us: 7_848_000_000, duration_hours: '2.180000', completed_date: '2026-06-02' },
      // completion 3 June 12:00Z; banking days Thu 4, (Fri 5 June closed), Mon 8 → Tue 9 June 00:00 CEST
      { item_id: 'FD2', start_at: '2026-06-03T12:00:00Z', end_at: '2026-06-09T09:00:00Z', deadline: '2026-06-08T22:00:00Z', duration_us: 141 * 3_600_000_000, duration_hours: '141.000000', completed_date: '2026-06-09' },
      // invoice 21:00Z = 23:00 CEST on Monday 8 June
      { item_id: 'K2', start_at: '2026-06-04T10:00:00Z', end_at: '2026-06-08T21:00:00Z', deadline: '2026-06-08T22:00:00Z', duration_us: 107 * 3_600_000_000, duration_hours: '107.000000', completed_date: '2026-06-08' },
      // Sat 28 March 13:00 CET → Mon 30 March 14:00 CEST: 48 hours elapsed
      { item_id: 'T2', start_at: '2026-03-28T12:00:00Z', end_at: '2026-03-30T12:00:00Z', deadline: '2026-03-30T22:00:00Z', duration_us: 48 * 3_600_000_000, duration_hours: '48.000000', completed_date: '2026-03-30' },
      // the earlier booking P3b, 23:00Z = 01:00 CEST on 3 June
      { item_id: 'T3', start_at: '2026-06-01T10:00:00Z', end_at: '2026-06-02T23:00:00Z', deadline: '2026-06-02T22:00:00Z', duration_us: 37 * 3_600_000_000, duration_hours: '37.000000', completed_date: '2026-06-03' },
      // paid 22:00 CEST on 9 June: the local date is the 9th → Wed 10 → Thu 11 June 00:00 CEST
      { item_id: 'T4', start_at: '2026-06-09T20:00:00Z', end_at: null, deadline: '2026-06-10T22:00:00Z', duration_us: null, duration_hours: null, completed_date: null },
    ]);
  });

  it('negative durations: counted in n and within_sla, listed for summary.json', async () => {
    expect(await negativeDurations(b.db)).toEqual([
      { municipality: '101', stage: 'claim_to_payable', id: 'K8', hours: '-1.00' },
      { municipality: '561', stage: 'fee_to_claim', id: 'F3', hours: '-0.75' },
      { municipality: '621', stage: 'debitor_to_fbs', id: 'FD7', hours: '-1.00' },
    ]);
  });

  it('started-not-completed items past their deadline are exactly R01, R09, R10 and R18', async () => {
    const rules = { R01: 'fee_to_claim', R09: 'claim_to_payable', R10: 'psp_to_debitor', R18: 'debitor_to_fbs' };
    for (const [code, stage] of Object.entries(rules)) {
      const file = listModels('rules').find((f) => f.includes(`/${code}_`));
      expect(file, `rule file for ${code}`).toBeDefined();
      await materialise(b.db, file!);
      const fromRule = await b.db.all(`SELECT municipality, key_id FROM rule_${code} ORDER BY ALL`);
      const fromItems = await b.db.all(`
        SELECT municipality, item_id AS key_id FROM latency_items
        WHERE stage = '${stage}' AND NOT completed AND breached ORDER BY ALL`);
      expect(fromItems, code).toEqual(fromRule);
    }
    const all = await b.db.all(`SELECT stage, item_id FROM latency_items WHERE NOT completed AND breached ORDER BY ALL`);
    expect(all.map((r) => r.item_id)).toEqual(['K5', 'K7', 'FD4', 'F11', 'F6', 'T5', 'T8', 'T9']);
  });

  it('judges deadlines against asOf: F5 (no claim, deadline 10:30) is in flight at 10:00 and breached at 10:30 exactly', async () => {
    const f5 = (db: Db) => db.all(`SELECT in_flight, breached FROM latency_items WHERE stage = 'fee_to_claim' AND item_id = 'F5'`);
    expect(await f5(b.db)).toEqual([{ in_flight: true, breached: false }]);
    const later = await latencyBooks();
    try {
      await later.setAsOf('2026-06-10T10:30:00Z', { municipalities: LATENCY_MUNICIPALITIES });
      await materialiseLayer(later.db, 'intermediate');
      await computeLatency(later.db);
      expect(await f5(later.db)).toEqual([{ in_flight: false, breached: true }]);
    } finally {
      later.close();
    }
  });
});

describe('quantiles are exact', () => {
  const STAGE_LIST = ['claim_to_payable', 'debitor_to_fbs', 'fee_to_claim', 'psp_to_debitor'];
  const MUNIS = Array.from({ length: 50 }, (_, i) => ({ code: String(101 + i), name: `K${i}`, debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-01-01' }));
  let q: Books;

  beforeAll(async () => {
    q = await Books.open(LATENCY_AS_OF, { municipalities: MUNIS });
    await q.db.run(`CREATE TABLE latency_items (municipality VARCHAR, stage VARCHAR, completed BOOLEAN, within_sla BOOLEAN,
      breached BOOLEAN, in_flight BOOLEAN, duration_us BIGINT)`);
  });
  afterAll(() => q?.close());

  async function mart(values: Map<string, bigint[]>): Promise<Map<string, Record<string, unknown>>> {
    await q.db.run(`DELETE FROM latency_items`);
    const rows: string[] = [];
    for (const [key, vs] of values) {
      const [m, s] = key.split('|');
      for (const v of vs) rows.push(`('${m}', '${s}', true, true, false, false, ${v})`);
    }
    for (let i = 0; i < rows.length; i += 1000) await q.db.run(`INSERT INTO latency_items VALUES ${rows.slice(i, i + 1000).join(',')}`);
    await materialise(q.db, 'marts/latency.sql');
    const out = new Map<string, Record<string, unknown>>();
    for (const r of await q.db.all(`SELECT * FROM latency`)) out.set(`${r.municipality}|${r.stage}`, r);
    return out;
  }

  /** Hours × 100, rounded half away from zero, of the continuous quantile q (in hundredths) of sorted µs values. */
  function oracle(sorted: bigint[], qh: bigint): string {
    const pos100 = BigInt(sorted.length - 1) * qh;
    const lo = Number(pos100 / 100n);
    const frac = pos100 % 100n;
    const a = sorted[lo];
    const b = sorted[Math.min(lo + 1, sorted.length - 1)];
    const h100 = (a * 100n + (b - a) * frac + 1_800_000_000n) / 3_600_000_000n;
    return `${h100 / 100n}.${String(h100 % 100n).padStart(2, '0')}`;
  }

  it('a p90 exactly on a half hundredth (97.495 h) rounds half away from zero to 97.50, not down to 97.49', async () => {
    const secs = [51308, 121291, 121832, 127033, 134764, 166265, 169799, 338360, 345567, 399717];
    const r = (await mart(new Map([['101|fee_to_claim', secs.map((s) => BigInt(s) * 1_000_000n)]]))).get('101|fee_to_claim')!;
    // p50 at 4.5 → 150514.5 s = 41.8096 h; p90 at 8.1 → 345567 + 0.1·54150 = 350982 s = 97.495 h; p99 at 8.91 → 394843.5 s
    expect([r.p50_hours, r.p90_hours, r.p99_hours, r.max_hours]).toEqual(['41.81', '97.50', '109.68', '111.03']);
  });

  it('agrees with exact rational arithmetic on 200 random groups', async () => {
    let seed = 20261127;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = new Map<string, bigint[]>();
    for (const m of MUNIS)
      for (const s of STAGE_LIST) {
        const n = 1 + Math.floor(rnd() * 14);
        const scale = rnd() < 0.5 ? 1_000_000n : 1_000n; // whole seconds, or milliseconds
        values.set(`${m.code}|${s}`, Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 500_000_000)) * scale));
      }
    const got = await mart(values);
    const wrong: string[] = [];
    for (const [key, vs] of values) {
      const sorted = [...vs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const r = got.get(key)!;
      const exp = [oracle(sorted, 50n), oracle(sorted, 90n), oracle(sorted, 99n), oracle(sorted, 100n)];
      const act = [r.p50_hours, r.p90_hours, r.p99_hours, r.max_hours];
      if (JSON.stringify(exp) !== JSON.stringify(act)) wrong.push(`${key}: ${act} ≠ ${exp}`);
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with exact arithmetic where durations crowd into a few minutes and repeat, negative ones left out, and for ALL', async () => {
    // the mart finds each rank's minute by a running count per minute, then its value by a running count of the distinct
    // durations of that minute: here a group's up to 300 durations fall into minutes 0-3 (and minute 0 exactly), with
    // repeats, some groups only negative; ALL is every municipality's durations of the stage together. (Checked by
    // mutation: reading the rank below a minute's start, or summing ALL's minutes without its municipalities', fails.)
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = new Map<string, bigint[]>();
    for (const m of MUNIS.slice(0, 12))
      for (const s of STAGE_LIST) {
        const n = 1 + Math.floor(rnd() ** 2 * 300);
        const onlyNegative = rnd() < 0.05;
        values.set(`${m.code}|${s}`, Array.from({ length: n }, () => {
          if (onlyNegative || rnd() < 0.03) return -BigInt(1 + Math.floor(rnd() * 1e9));
          const minute = BigInt(Math.floor(rnd() * 4));
          const within = rnd() < 0.3 ? 0n : BigInt(Math.floor(rnd() * 40)) * 1_500_000n; // repeats: 40 values a minute
          return minute * 60_000_000n + within;
        }));
      }
    const got = await mart(values);
    const all = new Map<string, bigint[]>();
    for (const [key, vs] of values) {
      const s = key.split('|')[1];
      all.set(`ALL|${s}`, [...(all.get(`ALL|${s}`) ?? []), ...vs]);
    }
    const wrong: string[] = [];
    let checked = 0;
    for (const [key, vs] of [...values, ...all]) {
      const sorted = vs.filter((v) => v >= 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const r = got.get(key)!;
      const exp = sorted.length ? [oracle(sorted, 50n), oracle(sorted, 90n), oracle(sorted, 99n), oracle(sorted, 100n)] : [null, null, null, null];
      const act = [r.p50_hours, r.p90_hours, r.p99_hours, r.max_hours];
      if (JSON.stringify(exp) !== JSON.stringify(act)) wrong.push(`${key}: ${act} ≠ ${exp}`);
      if (Number(r.n) !== vs.length) wrong.push(`${key}: n ${r.n} ≠ ${vs.length}`);
      checked++;
    }
    expect(checked).toBe(52);
    expect(wrong).toEqual([]);
  });
});
