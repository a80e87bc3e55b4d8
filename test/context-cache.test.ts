// The calendar tables of the evaluation context (cal_days, sla_business_deadline) live in the database file and are
// built again only when what they are made of changed (their key in ctx_built): a night with the same settings
// reuses them, a changed SLA rebuilds the deadlines (not the days), and a key that no longer matches rebuilds.
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db.ts';
import { openDatabase } from '../src/schema/migrate.ts';
import { parseConfig } from '../src/config.ts';
import { prepareContext } from '../src/pipeline/context.ts';

const MUNICIPALITIES = [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }];
const config = (sla?: Record<string, unknown>) =>
  parseConfig({ inbox: 'inbox', municipalities: MUNICIPALITIES, ...(sla ? { sla } : {}) }, '/tmp/afstem.config.json');

/** The table's identity: DuckDB gives a table made again a new oid. */
const oid = async (db: Db, table: string) =>
  Number(await db.value(`SELECT table_oid FROM duckdb_tables() WHERE table_name = '${table}' AND NOT temporary`));

describe('calendar tables of the context', () => {
  it('are reused while the settings are the same, rebuilt when they change or their key is stale', async () => {
    const db = await openDatabase(':memory:');
    try {
      await prepareContext(db, config(), '2026-11-26T12:00:00Z');
      const days = await oid(db, 'cal_days');
      const deadlines = await oid(db, 'sla_business_deadline');
      expect(Number(await db.value(`SELECT count(*) FROM cal_days WHERE d = DATE '2026-12-25' AND NOT is_banking`))).toBe(1);

      // the next night, same settings: neither table is made again
      await prepareContext(db, config(), '2026-11-27T12:00:00Z');
      expect(await oid(db, 'cal_days')).toBe(days);
      expect(await oid(db, 'sla_business_deadline')).toBe(deadlines);

      // another SLA in banking days: the deadlines are made again, the days are not
      await prepareContext(db, config({ fee_to_claim: { businessDays: 3 } }), '2026-11-27T12:00:00Z');
      expect(await oid(db, 'cal_days')).toBe(days);
      expect(await oid(db, 'sla_business_deadline')).not.toBe(deadlines);
      const rows = await db.all<{ stage: string }>(`SELECT DISTINCT stage FROM sla_business_deadline ORDER BY stage`);
      expect(rows.map((r) => r.stage)).toContain('fee_to_claim');

      // a key made by other code (another calendar): the days are made again, with the same content
      await db.run(`UPDATE ctx_built SET key = 'stale' WHERE name = 'cal_days'`);
      await prepareContext(db, config({ fee_to_claim: { businessDays: 3 } }), '2026-11-27T12:00:00Z');
      expect(await oid(db, 'cal_days')).not.toBe(days);
      expect(Number(await db.value(`SELECT count(*) FROM cal_days WHERE d = DATE '2026-12-25' AND NOT is_banking`))).toBe(1);
    } finally {
      db.close();
    }
  });
});
