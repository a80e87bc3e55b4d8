// The case handling through the real batch (FORMATS.md §7, §8): a note between two nights shows in the next night's
// discrepancies.csv and report; the night that resolves the discrepancy closes its handling with a trail row whose
// source is that run's id and whose time is its asOf; refused handling never changes a run's exit code.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runBatchDetailed } from '../../src/run/batch.ts';
import { noteCommand } from '../../src/commands/note.ts';
import { capture } from '../helpers/command-fixture.ts';
import { csvRows } from '../helpers/csv.ts';
import { fees, hostileInbox } from '../hostile/inbox-fixture.ts';
import { Db } from '../../src/db.ts';

const inbox = hostileInbox();
afterAll(() => inbox.cleanup());
const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
const night = (n: number, asOf: string) => runBatchDetailed({ configPath: inbox.configPath, outDir: path.join(inbox.dir, `night${n}`), asOf, stream: sink });
const FEE = (id: string, more = 'open;;;;') => `${id};adult_cpr;12345678;overdue_fee;10.00;2026-11-20 10:00;${more}`;

describe('handling through the batch', () => {
  it('shows a note the next night and closes it with the run id when the discrepancy resolves', async () => {
    inbox.write('101/fbs_fees_2026-11-20.csv', fees(FEE('F1'), FEE('F2')));
    const n1 = await night(1, '2026-11-23T05:00:00Z');
    expect(n1.error).toBeUndefined();
    const rows1 = csvRows(fs.readFileSync(path.join(n1.outDir!, 'discrepancies.csv'), 'utf8')).filter((r) => r.rule === 'R01');
    expect(rows1.map((r) => [r.fee_id, r.case_ref, r.handling_status])).toEqual([['F1', 'S-1', 'open'], ['F2', 'S-2', 'open']]);

    const noted = await capture(() => noteCommand(['--config', inbox.configPath, '--ref', 'S-1', '--status', 'explained', '--note', 'fritaget 0101801234', '--by', 'anna']));
    expect(noted.result, noted.stderr).toBe(0);
    const refused = await capture(() => noteCommand(['--config', inbox.configPath, '--ref', 'S-2', '--status', 'explained']));
    expect(refused.result).toBe(3);

    const n2 = await night(2, '2026-11-24T05:00:00Z');
    expect(n2.exitCode).toBe(n1.exitCode);
    const rows2 = csvRows(fs.readFileSync(path.join(n2.outDir!, 'discrepancies.csv'), 'utf8')).filter((r) => r.rule === 'R01');
    expect(rows2.map((r) => [r.fee_id, r.handling_status])).toEqual([['F1', 'explained'], ['F2', 'open']]);
    const report = fs.readFileSync(path.join(n2.outDir!, 'report.html'), 'utf8');
    expect(report).toContain('fritaget 010180-XXXX');
    expect(report).not.toContain('0101801234');

    // F1 is cancelled in FBS: the next night resolves it and closes its handling
    inbox.write('101/fbs_fees_2026-11-24.csv', fees(FEE('F1', 'cancelled;;;2026-11-24 09:00;')));
    const n3 = await night(3, '2026-11-25T05:00:00Z');
    expect(n3.error).toBeUndefined();
    const db = await Db.open(path.join(inbox.dir, 'afstem.duckdb'), { readOnly: true });
    try {
      expect(await db.all(`SELECT case_ref, old_status, new_status, who, strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS at, source
        FROM handling_trail ORDER BY seq`)).toEqual([
        { case_ref: 'S-1', old_status: 'open', new_status: 'explained', who: 'anna', at: expect.any(String), source: 'kommandolinje' },
        { case_ref: 'S-1', old_status: 'explained', new_status: 'open', who: 'afstem', at: '2026-11-25T05:00:00Z', source: n3.summary!.runId },
      ]);
    } finally {
      db.close();
    }
  });
});
