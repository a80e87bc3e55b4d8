// What a model saying `-- incremental: item` may read (src/pipeline/incremental.ts checkIncremental): only the linked
// books, the small configuration tables and asOf itself. A copy of queries/ (read through AFSTEM_QUERIES_DIR, as
// test/new-rule.test.ts does) gets one change per case, and the check names the file and what it read. Nothing under
// src/ is imported before the copy is in place. Checked by removing each check: the copies then pass unnoticed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const R01 = 'rules/R01_fee_not_transferred.sql';

async function check(edit: (sql: string) => string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-directives-'));
  const queries = path.join(dir, 'queries');
  fs.cpSync(path.resolve(import.meta.dirname, '../../queries'), queries, { recursive: true });
  const file = path.join(queries, R01);
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  vi.stubEnv('AFSTEM_QUERIES_DIR', queries);
  vi.resetModules();
  try {
    const { checkIncremental } = await import('../../src/pipeline/incremental.ts');
    checkIncremental();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('an item model reads only what a night can tell changed', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('the models as they are pass', async () => {
    await expect(check((sql) => sql)).resolves.toBeUndefined();
  });

  it('another clock than asOf (a banking-day age, the local date of asOf, the wall clock) is refused', async () => {
    const where = (cond: string) => (sql: string) => sql.replace('WHERE f.in_scope', `WHERE f.in_scope AND ${cond}`);
    await expect(check(where('age_banking_days(f.created_at) >= 2'))).rejects.toThrow(/R01_fee_not_transferred\.sql: an item model reads age_banking_days\(/);
    await expect(check(where("cph_date(f.created_at) <= getvariable('as_of_date')"))).rejects.toThrow(/reads getvariable\('as_of_date'\)/);
    await expect(check(where('f.created_at <= current_timestamp'))).rejects.toThrow(/reads current_timestamp/);
  });

  it('a source that is not linked books nor configuration is refused', async () => {
    const edit = (sql: string) => sql.replace('WHERE f.in_scope', 'WHERE f.in_scope AND f.fee_id NOT IN (SELECT claim_id FROM cur_borgerblikket_claims)');
    await expect(check(edit)).rejects.toThrow(/R01_fee_not_transferred\.sql: an item model reads cur_borgerblikket_claims/);
  });

  it('an unknown scope is refused', async () => {
    const edit = (sql: string) => sql.replace(/-- incremental: item[^\n]*/, '-- incremental: per row');
    await expect(check(edit)).rejects.toThrow(/unknown incremental scope "per row"/);
  });
});
