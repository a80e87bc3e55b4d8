// The calendar tables of the evaluation context (cal_days, sla_business_deadline) live in the database file and are
// built again only when what they are made of changed (their key in ctx_built): a night with the same settings
// reuses them, a changed SLA rebuilds the deadlines (not the days), and a key that no longer matches rebuilds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

  // The test suite's seed (test/helpers/context-seed.ts, named in AFSTEM_CONTEXT_SEED): a table is copied from it only
  // when the seed's key for it is the database's own. Checked: without the hook in ensureBuilt the doctored Christmas
  // Day of the first database is not there (the test fails); with the key check dropped the second one has it.
  it('copy the suite\'s seed database only when it was built from the same parts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-seed-'));
    const seed = path.join(dir, 'seed.duckdb');
    const christmasIsBanking = async (db: Db) => Number(await db.value(`SELECT count(*) FROM cal_days WHERE d = DATE '2026-12-25' AND is_banking`));
    const made = async () => {
      const db = await openDatabase(':memory:');
      try {
        await prepareContext(db, config(), '2026-11-26T12:00:00Z');
        return await christmasIsBanking(db);
      } finally {
        db.close();
      }
    };
    try {
      vi.stubEnv('AFSTEM_CONTEXT_SEED', '');
      const s = await openDatabase(seed);
      try {
        await prepareContext(s, config(), '2026-11-26T12:00:00Z');
        await s.run(`UPDATE cal_days SET is_banking = true WHERE d = DATE '2026-12-25'`); // a seed that shows it was copied
      } finally {
        s.close();
      }
      vi.stubEnv('AFSTEM_CONTEXT_SEED', seed);
      expect(await made()).toBe(1);
      const t = await openDatabase(seed);
      try {
        await t.run(`UPDATE ctx_built SET key = 'built by other code' WHERE name = 'cal_days'`);
      } finally {
        t.close();
      }
      expect(await made()).toBe(0);
    } finally {
      vi.unstubAllEnvs();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
