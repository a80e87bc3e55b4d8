// FORMATS.md §1, §4: a record that spans lines (a line break inside a quoted field) keeps the physical line where it
// starts, and the records after it keep theirs. Such files are read as delivered (the fast path, lines.ts
// recordLayout); the answer must be exactly the careful path's, rejected rows and their raw text included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordLayout, recordsOf } from '../../src/ingest/lines.ts';
import { planFile, type FastPlan } from '../../src/ingest/load.ts';
import { stageBatch } from '../../src/ingest/batch-read.ts';
import { stagedWhole } from '../../src/ingest/staged.ts';
import { cp1252, FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

let fx: Fixture | undefined;
afterEach(() => fx?.close());

const row = (id: string, amount: string, reason: string) => `${id};adult_cpr;0102031234;overdue_fee;${amount};2026-11-26 10:00;open;;;;${reason}`;

// line 1 header; F1 on line 2 (one line); F2 on lines 3-5; F3 on line 6 (amount with one decimal: rejected);
// F4 on lines 7-8, rejected too (its raw keeps its line break); F5 on line 9
const LINES = [
  FEES_HEADER,
  row('F1', '10.00', 'plain'),
  row('F2', '11.00', '"first'),
  'second',
  'third"',
  row('F3', '12.5', 'x'),
  row('F4', '13.0', '"a'),
  'b"',
  row('F5', '14.00', '"""quoted"" and ; kept"'),
];

describe('records that span lines', () => {
  it('are placed by a pass over the bytes: the jumps say where the lines run ahead of the records', () => {
    const body = Buffer.from(LINES.join('\n') + '\n');
    // records: header, F1..F5 = 6; F3 is data record 3, on line 6 = 3 + 1 + 2; F5 is record 5 on line 9 = 5 + 1 + 3
    expect(recordLayout(body)).toEqual({ records: 6, lastLine: 9, jumps: [[3, 2], [5, 3]] });
    expect(recordsOf(body, [3, 7, 9])).toEqual(
      new Map([
        [3, `${row('F2', '11.00', '"first')}\nsecond\nthird"`],
        [7, `${row('F4', '13.0', '"a')}\nb"`],
        [9, row('F5', '14.00', '"""quoted"" and ; kept"')],
      ]),
    );
    // CRLF: the same places, and a record's raw text keeps its inner CRLF but not its final one
    const crlf = Buffer.from(LINES.join('\r\n') + '\r\n');
    expect(recordLayout(crlf)).toEqual({ records: 6, lastLine: 9, jumps: [[3, 2], [5, 3]] });
    expect(recordsOf(crlf, [7]).get(7)).toBe(`${row('F4', '13.0', '"a')}\r\nb"`);
    expect(planFile(body, 'fbs_fees', {}, os.tmpdir()).mode).toBe('fast');
  });

  it('are no fast-path file when a quote stays open, a blank line stands outside quotes, or the header spans lines', () => {
    expect(recordLayout(Buffer.from([FEES_HEADER, row('F1', '10.00', '"never closed'), 'x'].join('\n')))).toBeNull();
    expect(recordLayout(Buffer.from([FEES_HEADER, row('F1', '10.00', 'x'), '', row('F2', '10.00', 'y')].join('\n')))).toBeNull();
    expect(recordLayout(Buffer.from(`"fee\n_id";${FEES_HEADER.slice(7)}\n${row('F1', '10.00', 'x')}\n`))).toBeNull();
    // an empty line inside quotes is part of the value, not a blank line: F2 is data record 2, on line 5 = 2 + 1 + 2
    expect(recordLayout(Buffer.from([FEES_HEADER, row('F1', '10.00', '"a'), '', 'b"', row('F2', '10.00', 'y')].join('\n')))).toEqual({
      records: 3,
      lastLine: 5,
      jumps: [[2, 2]],
    });
  });

  it('are staged by the batched read on the lines where they start, so the batch keeps the file', async () => {
    fx = await fixture();
    const body = Buffer.from(LINES.join('\n') + '\n');
    fx.write('101/fbs_fees_2026-11-26.csv', body);
    const plan = planFile(body, 'fbs_fees', {}, os.tmpdir()) as FastPlan;
    const target = { deliveryId: 7, path: '101/fbs_fees_2026-11-26.csv', absPath: `${fx.inbox}/101/fbs_fees_2026-11-26.csv`, municipality: '101', kind: 'fbs_fees', exportDate: '2026-11-26' };
    const staged = await stageBatch(fx.db, [{ target, plan }]);
    expect(staged.get(7)).toEqual({ count: 5, minLine: 2, maxLine: 9, bad: 2 });
    expect(stagedWhole(staged.get(7), plan.layout)).toBe(true);
    expect(await fx.rows(`SELECT fee_id, line FROM stg_fbs_fees ORDER BY line`)).toEqual([
      { fee_id: 'F1', line: 2 },
      { fee_id: 'F2', line: 3 },
      { fee_id: 'F3', line: 6 },
      { fee_id: 'F4', line: 7 },
      { fee_id: 'F5', line: 9 },
    ]);
  });

  it('keep their lines when a batch reads several ways (each read appended after the ones before it)', async () => {
    // three files of one kind in one chunk, read three ways: as the header above; with the columns in another order;
    // with commas. Every file is staged whole by the batch (no file falls back to being read alone), on its own lines.
    // Checked: with each read's first row counted one too far, the second and third files' lines were off by one.
    fx = await fixture();
    const swapped = (line: string) => {
      const f = line.split(';');
      return [f[4], ...f.slice(0, 4), ...f.slice(5)].join(';');
    };
    const bodies = [
      LINES.join('\n') + '\n',
      [swapped(FEES_HEADER), swapped(row('G1', '20.00', 'x')), swapped(row('G2', '21.00', 'y'))].join('\n') + '\n',
      [FEES_HEADER, row('H1', '30.00', '"one'), 'two"', row('H2', '31.00', 'z')].map((l) => l.replaceAll(';', ',')).join('\n') + '\n',
    ];
    const items = bodies.map((text, i) => {
      const name = `10${i + 1}/fbs_fees_2026-11-26.csv`;
      const body = Buffer.from(text);
      fx!.write(name, body);
      const plan = planFile(body, 'fbs_fees', {}, os.tmpdir()) as FastPlan;
      expect(plan.mode).toBe('fast');
      return { target: { deliveryId: 7 + i, path: name, absPath: `${fx!.inbox}/${name}`, municipality: `10${i + 1}`, kind: 'fbs_fees', exportDate: '2026-11-26' }, plan };
    });
    const staged = await stageBatch(fx.db, items);
    items.forEach(({ target, plan }) => expect(stagedWhole(staged.get(target.deliveryId), plan.layout), target.path).toBe(true));
    expect(await fx.rows(`SELECT delivery_id, fee_id, line FROM stg_fbs_fees WHERE delivery_id > 7 ORDER BY delivery_id, line`)).toEqual([
      { delivery_id: 8, fee_id: 'G1', line: 2 },
      { delivery_id: 8, fee_id: 'G2', line: 3 },
      { delivery_id: 9, fee_id: 'H1', line: 2 },
      { delivery_id: 9, fee_id: 'H2', line: 4 },
    ]);
  });

  it('load exactly as the careful path loads them: lines, values, rejects and raw text', async () => {
    const load = async (content: string) => {
      fx = await fixture();
      fx.write('101/fbs_fees_2026-11-26.csv', content);
      const r = await fx.load();
      const rows = await fx.rows(`SELECT fee_id, reason, line, src FROM cur_fbs_fees ORDER BY line`);
      const rejects = await fx.rows(`SELECT line, reason, raw FROM rejects ORDER BY line`);
      fx.close();
      fx = undefined;
      return { file: r.files[0], rows, rejects };
    };
    const fast = await load(LINES.join('\n') + '\n');
    // a blank line at the end sends the same records down the careful path (it skips blank lines, uncounted)
    const careful = await load(LINES.join('\n') + '\n\n');
    expect(fast).toEqual(careful);
    expect(fast.file).toMatchObject({ status: 'loaded', rowsRead: 5, rowsLoaded: 3, rowsRejected: 2 });
    expect(fast.rows).toEqual([
      { fee_id: 'F1', reason: 'plain', line: 2, src: '1:2' },
      { fee_id: 'F2', reason: 'first\nsecond\nthird', line: 3, src: '1:3' },
      { fee_id: 'F5', reason: '"quoted" and ; kept', line: 9, src: '1:9' },
    ]);
    // the raw text as rejects.csv keeps it: CPR masked (FORMATS.md §5), the inner line break kept
    const masked = (s: string) => s.replace('0102031234', '010203-XXXX');
    expect(fast.rejects.map((r) => [r.line, r.raw])).toEqual([
      [6, masked(row('F3', '12.5', 'x'))],
      [7, masked(`${row('F4', '13.0', '"a')}\nb"`)],
    ]);
    expect(String(fast.rejects[0].reason)).toMatch(/^linje 6: amount "12\.5" har én decimal/);
  });
});

describe('files in Windows-1252 or UTF-16', () => {
  // Danish letters and € on a record that spans lines, and a rejected row after it
  const lines = [FEES_HEADER, row('F1', '10.00', '"Bogen ""Æblet"" –'), 'våd, 5 €"', row('F2', '12.5', 'ØÅ'), row('F3', '14.00', 'x')];
  const text = lines.join('\r\n') + '\r\n';
  const utf16le = (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);

  async function load(content: Buffer) {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-26.csv', content);
    const r = await fx.load();
    const rows = await fx.rows(`SELECT fee_id, reason, line FROM cur_fbs_fees ORDER BY line`);
    const rejects = await fx.rows(`SELECT line, reason, raw FROM rejects ORDER BY line`);
    const [d] = await fx.rows(`SELECT encoding FROM deliveries`);
    fx.close();
    fx = undefined;
    return { counts: [r.files[0].rowsRead, r.files[0].rowsLoaded, r.files[0].rowsRejected], rows, rejects, encoding: d.encoding };
  }

  it('are read from a decoded copy exactly as the same text in UTF-8 is read, and keep their encoding', async () => {
    const utf8 = await load(Buffer.from(text, 'utf8'));
    expect(utf8.rows).toEqual([
      { fee_id: 'F1', reason: 'Bogen "Æblet" –\r\nvåd, 5 €', line: 2 },
      { fee_id: 'F3', reason: 'x', line: 5 },
    ]);
    expect(utf8.rejects.map((r) => [r.line, r.raw])).toEqual([[4, row('F2', '12.5', 'ØÅ').replace('0102031234', '010203-XXXX')]]);
    const windows = await load(cp1252(text));
    const careful = await load(cp1252(text + '\r\n')); // a blank line at the end: the careful path
    const wide = await load(utf16le(text));
    for (const other of [windows, careful]) expect(other).toEqual({ ...utf8, encoding: 'windows-1252' });
    expect(wide).toEqual({ ...utf8, encoding: 'utf-16le' });
    expect(utf8.counts).toEqual([3, 2, 1]);
    // both are planned for the fast path, from their decoded copy
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-plan-'));
    try {
      for (const bytes of [cp1252(text), utf16le(text)]) {
        const plan = planFile(bytes, 'fbs_fees', {}, tmp) as FastPlan;
        expect([plan.mode, plan.csvPath === null, plan.layout.jumps]).toEqual(['fast', false, [[2, 1]]]);
        expect(fs.readFileSync(plan.csvPath!, 'utf8')).toBe(text);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('take the careful path when a byte is not valid in the encoding (its record is rejected, named by line)', async () => {
    // UTF-16 with a lone surrogate in F3's text: F3 (line 5) holds U+FFFD and is rejected; the rest loads as before
    const odd = utf16le(text.replace(';x\r\n', ';\uD800\r\n'));
    const got = await load(odd);
    expect(got.encoding).toBe('utf-16le');
    expect(got.rows.map((r) => r.fee_id)).toEqual(['F1']);
    expect(got.rejects.map((r) => r.line)).toEqual([4, 5]);
    expect(String(got.rejects[1].reason)).toMatch(/^linje 5: .*bytes, der ikke er gyldig tekst/);
  });
});
