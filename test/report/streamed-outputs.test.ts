// The report step's outputs, streamed (issue 27: rows read from DuckDB in chunks and written as they come, never held
// as one list): byte for byte what the code before wrote. On books with more rows than one chunk of DuckDB's (2,048)
// in every list the step streams (test/helpers/streamed-books.ts), every file of the step — discrepancies.csv,
// reversals.csv, suggestions.csv, latency.csv, rejects.csv, report.html and discrepancies.xlsx, overall and per
// municipality — has the SHA-256 the code before streaming gave it. The digests were printed by this test run on
// commit f98b4d6 (before any of issue 27's streaming: the rows held whole, AFSTEM_PRINT_DIGESTS=1), and a
// deliberate change of an output updates them in the same commit, saying why (the four discrepancies.xlsx: instants
// written with at most 9 decimals, src/outputs/xlsx-sheet.ts serialText). On a mismatch the files are left in
// test-artifacts/streamed-outputs/ to compare.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db } from '../../src/db.ts';
import { writeReport } from '../../src/report/build.ts';
import { writeMunicipalityOutputs } from '../../src/run/municipalities.ts';
import { writeDiscrepancies, writeLatency, writeRejects, writeReversals, writeSuggestions } from '../../src/outputs/write.ts';
import { STREAMED_AS_OF, streamedDb } from '../helpers/streamed-books.ts';

const EXPECTED: Record<string, string> = {
  'discrepancies.csv': '341d0840eaf7d66a3797647c27574277fda19778f0926b0db8ea7b0f017810f9',
  'discrepancies.xlsx': '5de15de63b3756885e05f7dceb344551dfed4a824363417968d6e73e8c1c3351',
  'latency.csv': '5b3b2184943da6e0357eaa04f5f6c18d6021c2bd1092523e849f321323aba82d',
  'municipalities/101/discrepancies.csv': '7593565e9c22d4eec60f4a25ccf36775ab55f067ea9636e5e8422fb96f4b66ad',
  'municipalities/101/discrepancies.xlsx': '949a298cd2f96e743ab86dc6f15260a4a38dfe8b2079e3b22cbc99d358bba811',
  'municipalities/101/report.html': '667747d7e3cb1c6fe062c991e0f6e64a0587d6732563f66f791fb5efbe801f8b',
  'municipalities/561/discrepancies.csv': '6050fc6abb490b76ae4102a48331f1640dfac34a644a2f82f54095b3b6cdfcfe',
  'municipalities/561/discrepancies.xlsx': 'f66fafd178e8464b2c8bfd8a68cd81e141bbfa476860c5c558378d2890c0e12b',
  'municipalities/561/report.html': '27f5b0e3fb6b2229707f75b5878cbde7efcf855f6fbded6bbe267049ccb09a4c',
  'municipalities/621/discrepancies.csv': 'c23b13d876e6a46d52f3816767522bd1658809d3aa3df310ac7749a2f0cf03f5',
  'municipalities/621/discrepancies.xlsx': 'b6c98fa5634d8e851288397a5f5aa483288f3e7ab364902f04904b7e82df10c9',
  'municipalities/621/report.html': 'c733c9767e72ca28a73aaa0cd21c8a737d7177468e383e8ac9c3a69c0f561fcd',
  'rejects.csv': '37d92ee50d1e7ec3bcbb84bf21005ef5c1d940527af6e0d1ebbf5c307c435f20',
  'report.html': 'ea4f4c61942fec8881a56e0fdef99b29ce532d3d9ee4af811d05292feeec8fec',
  'reversals.csv': '35696af5d3d732722617db23e9630e3cc60026846afe194821a5b083f528e29a',
  'suggestions.csv': '7471e698cdf3d664c869d40be2442c352cd9f143dce73f8312e0468452e30feb',
};

let db: Db;
let out: string;
/** Every result the step read whole (Db.all): its rows and the first words of its SQL. */
const wholeReads: { rows: number; sql: string }[] = [];
beforeAll(async () => {
  db = await streamedDb();
  const all = Db.prototype.all;
  vi.spyOn(Db.prototype, 'all').mockImplementation(async function (this: Db, sql: string, values?: Parameters<Db["all"]>[1]) {
    const rows = await all.call(this, sql, values);
    wholeReads.push({ rows: rows.length, sql: sql.replace(/\s+/g, ' ').trim().slice(0, 120) });
    return rows;
  });
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-streamed-'));
  await writeDiscrepancies(db, out);
  await writeReversals(db, out);
  await writeSuggestions(db, out);
  await writeLatency(db, out);
  await writeRejects(db, out);
  await writeReport(db, { outDir: out, asOf: STREAMED_AS_OF, summary: null });
  await writeMunicipalityOutputs(db, out, STREAMED_AS_OF, null);
  vi.restoreAllMocks();
}, 120_000);
afterAll(() => {
  db?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

function files(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

describe('the report step streamed', () => {
  // Checked on the code before (f98b4d6, this file copied into its tree): it failed, listing six whole reads — the
  // open discrepancies (5,538 rows here) for discrepancies.csv, the municipalities' CSVs and the sheets, the worklist
  // (4,424), suggestions.csv (3,000) and rejects.csv (2,990).
  it('reads no list of discrepancies whole: every read of more than one chunk goes through Db.chunks', () => {
    expect(wholeReads.length).toBeGreaterThan(0);
    expect(wholeReads.filter((r) => r.rows > 2_048)).toEqual([]);
  });

  it('writes every file byte for byte as the code before did', () => {
    const digests = Object.fromEntries(files(out).map((f) => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(out, f))).digest('hex')]));
    if (process.env.AFSTEM_PRINT_DIGESTS) console.log(JSON.stringify(digests, null, 2));
    const differ = Object.keys({ ...digests, ...EXPECTED }).filter((f) => digests[f] !== EXPECTED[f]);
    if (differ.length) {
      const keep = path.resolve('test-artifacts', 'streamed-outputs');
      fs.rmSync(keep, { recursive: true, force: true });
      fs.cpSync(out, keep, { recursive: true });
    }
    expect(differ).toEqual([]);
  });
});
