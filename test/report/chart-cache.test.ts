// The report's rendered charts kept in the database (src/report/chart-cache.ts, table chart_cache): a chart taken from
// the table is byte for byte the chart rendered, every report.html with the cache is what it was without it, a chart
// is rendered again when its rows, its spec file, the libraries, the chart code, Node or the time zone change, a
// read-only database (or one without the table) renders what it cannot find and writes nothing, and entries no
// report used for PRUNE_DAYS days are deleted.
// How these were checked to fail: on the code before (no src/report/chart-cache.ts) every test fails at its import;
// with the rows left out of chartKey the misses test failed (the changed rows came from the table, hits 1), with a
// space appended to each SVG taken from the table the report test failed on every digest, and with the prune's
// comparison turned around (>) the prune test failed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../src/db.ts';
import { openDatabase, MIGRATIONS } from '../../src/schema/migrate.ts';
import { ChartCache, PRUNE_DAYS } from '../../src/report/chart-cache.ts';
import { chartEnvironment, renderChart, REPORTS_DIR } from '../../src/report/charts.ts';
import { writeReport } from '../../src/report/build.ts';
import { writeMunicipalityOutputs } from '../../src/run/municipalities.ts';
import { STREAMED_AS_OF, streamedDb } from '../helpers/streamed-books.ts';

const SPEC = 'action/money-by-rule';
const rows = (labels: string[]) =>
  labels.map((label, i) => ({ label, rank: i, kroner: 100.5 * (i + 1), label_x: 100.5 * (i + 1), severity: 'kritisk', amount_text: `${100 * (i + 1)},50 kr.` }));
const DAY = 24 * 3600 * 1000;
const T0 = new Date('2026-12-07T05:00:00Z');
const at = (ms: number) => () => new Date(T0.getTime() + ms);

/** A database with the schema (chart_cache included), in memory. */
async function migrated(): Promise<Db> {
  return openDatabase(':memory:');
}

const count = async (db: Db) => Number(await db.value(`SELECT count(*) FROM chart_cache`));

describe('a chart from the table', () => {
  it('is byte for byte the chart rendered, and is not rendered again', async () => {
    const db = await migrated();
    try {
      const fresh = await renderChart(SPEC, rows(['R01 Gebyr ikke overført', 'R04 Beløb afviger']));
      const first = new ChartCache(db);
      expect(await first.svg(SPEC, rows(['R01 Gebyr ikke overført', 'R04 Beløb afviger']))).toBe(fresh);
      expect([first.hits, first.rendered]).toEqual([0, 1]);
      await first.flush();
      expect(await count(db)).toBe(1);
      const second = new ChartCache(db);
      expect(await second.svg(SPEC, rows(['R01 Gebyr ikke overført', 'R04 Beløb afviger']))).toBe(fresh);
      expect([second.hits, second.rendered]).toEqual([1, 0]);
    } finally {
      db.close();
    }
  });

  it('is rendered again when the rows, the spec file, the libraries, the chart code, Node or the time zone change', async () => {
    const db = await migrated();
    try {
      const env = chartEnvironment();
      const before = new ChartCache(db);
      await before.svg(SPEC, rows(['R01 Gebyr ikke overført']));
      await before.flush();
      const specText = env.spec(SPEC);
      const changed = [
        { what: 'the rows', env, rows: rows(['R01 Gebyr ikke overført', 'R02 Fordring uden gebyr']) },
        { what: 'a number of the rows', env, rows: rows(['R01 Gebyr ikke overført']).map((r) => ({ ...r, kroner: 100.25 })) },
        { what: 'the spec file', env: { ...env, spec: () => specText.replace('"width"', ' "width"') }, rows: rows(['R01 Gebyr ikke overført']) },
        { what: 'vega\'s version', env: { ...env, libraries: env.libraries.replace(/\bvega@[^,]+/, 'vega@99.0.0') }, rows: rows(['R01 Gebyr ikke overført']) },
        { what: 'the chart code', env: { ...env, code: `${env.code}\n// changed` }, rows: rows(['R01 Gebyr ikke overført']) },
        { what: 'Node or the time zone', env: { ...env, runtime: `${env.runtime}, TZ=America/New_York` }, rows: rows(['R01 Gebyr ikke overført']) },
      ];
      for (const c of changed) {
        const cache = new ChartCache(db, { environment: c.env });
        await cache.svg(SPEC, c.rows);
        expect([c.what, cache.hits, cache.rendered]).toEqual([c.what, 0, 1]);
      }
      const same = new ChartCache(db, { environment: { ...env } });
      await same.svg(SPEC, rows(['R01 Gebyr ikke overført']));
      expect([same.hits, same.rendered]).toEqual([1, 0]);
    } finally {
      db.close();
    }
  });

  it('keys on the installed versions of vega and vega-lite', () => {
    const version = (name: string) =>
      (JSON.parse(fs.readFileSync(path.join(REPORTS_DIR, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const libraries = chartEnvironment().libraries.split(',');
    expect(libraries).toContain(`vega@${version('vega')}`);
    expect(libraries).toContain(`vega-lite@${version('vega-lite')}`);
    expect(libraries).toContain(`vega-scenegraph@${version('vega-scenegraph')}`);
  });
});

describe('a database that cannot keep charts', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-chart-cache-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('read-only: takes what the table holds, renders the rest and writes nothing', async () => {
    const file = path.join(dir, 'read-only.duckdb');
    const db = await openDatabase(file);
    const kept = new ChartCache(db);
    const svg = await kept.svg(SPEC, rows(['R16 Overdækning']));
    await kept.flush();
    db.close();
    const ro = await Db.open(file, { readOnly: true });
    try {
      const cache = new ChartCache(ro);
      expect(await cache.svg(SPEC, rows(['R16 Overdækning']))).toBe(svg);
      expect(await cache.svg(SPEC, rows(['R17 Dobbelt betaling']))).toBe(await renderChart(SPEC, rows(['R17 Dobbelt betaling'])));
      await cache.flush();
      expect([cache.hits, cache.rendered]).toEqual([1, 1]);
      expect(await count(ro)).toBe(1);
    } finally {
      ro.close();
    }
  });

  it('without the table (an older database, books made by hand): renders every chart and writes nothing', async () => {
    const db = await Db.open(':memory:');
    try {
      const cache = new ChartCache(db);
      expect(await cache.svg(SPEC, rows(['R16 Overdækning']))).toBe(await renderChart(SPEC, rows(['R16 Overdækning'])));
      await cache.flush();
      expect([cache.hits, cache.rendered]).toEqual([0, 1]);
      expect(Number(await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'chart_cache'`))).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('entries no report used for a while', () => {
  it(`are deleted after ${PRUNE_DAYS} days; a used one is kept`, async () => {
    const db = await migrated();
    // each cache on a connection of its own: the prune runs once per process and database handle
    const conn = () => db.connection();
    const usedAt = async () => Object.fromEntries((await db.all<{ r01: boolean; d: string }>(
      `SELECT svg LIKE '%R01%' AS r01, strftime(used_at, '%Y-%m-%d %H:%M') AS d FROM chart_cache`)).map((r) => [r.r01 ? 'used' : 'unused', r.d]));
    try {
      const day0 = new ChartCache(await conn(), { now: at(0) });
      await day0.svg(SPEC, rows(['R01 Gebyr ikke overført']));
      await day0.svg(SPEC, rows(['R02 Fordring uden gebyr']));
      await day0.flush();
      // used an hour later: not marked again (a rerun writes nothing); used on day 2: marked
      const later = new ChartCache(await conn(), { now: at(3600 * 1000) });
      await later.svg(SPEC, rows(['R01 Gebyr ikke overført']));
      await later.flush();
      expect(await usedAt()).toEqual({ used: '2026-12-07 05:00', unused: '2026-12-07 05:00' });
      const day2 = new ChartCache(await conn(), { now: at(2 * DAY) });
      await day2.svg(SPEC, rows(['R01 Gebyr ikke overført']));
      await day2.flush();
      expect(day2.hits).toBe(1);
      expect(await usedAt()).toEqual({ used: '2026-12-09 05:00', unused: '2026-12-07 05:00' });
      const day7 = new ChartCache(await conn(), { now: at(PRUNE_DAYS * DAY) });
      await day7.flush();
      expect(await count(db)).toBe(2);
      const day8 = new ChartCache(await conn(), { now: at((PRUNE_DAYS + 1) * DAY) });
      await day8.flush();
      expect(await usedAt()).toEqual({ used: '2026-12-09 05:00' });
    } finally {
      db.close();
    }
  });
});

// The digests of test/report/streamed-outputs.test.ts (the report step before the cache, on the same books).
const REPORTS: Record<string, string> = {
  'report.html': 'ea4f4c61942fec8881a56e0fdef99b29ce532d3d9ee4af811d05292feeec8fec',
  'municipalities/101/report.html': '667747d7e3cb1c6fe062c991e0f6e64a0587d6732563f66f791fb5efbe801f8b',
  'municipalities/561/report.html': '27f5b0e3fb6b2229707f75b5878cbde7efcf855f6fbded6bbe267049ccb09a4c',
  'municipalities/621/report.html': 'c733c9767e72ca28a73aaa0cd21c8a737d7177468e383e8ac9c3a69c0f561fcd',
};

describe('report.html with the charts from the table', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await streamedDb();
    // the chart_cache table alone: the other migrations would reshape the books this helper plants
    await db.exec(MIGRATIONS.find((m) => m.sql.includes('chart_cache'))!.sql);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-chart-cache-report-'));
  }, 120_000);
  afterAll(() => {
    db?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const digests = (out: string) => Object.fromEntries(Object.keys(REPORTS).map((f) =>
    [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(out, f))).digest('hex')]));

  it('is the same bytes when rendered, and again when every chart comes from the table', async () => {
    const runs: { hits: number; rendered: number }[] = [];
    for (const n of [1, 2]) {
      const out = path.join(dir, String(n));
      const charts = new ChartCache(db);
      await writeReport(db, { outDir: out, asOf: STREAMED_AS_OF, summary: null, charts });
      await charts.flush();
      runs.push({ hits: charts.hits, rendered: charts.rendered });
      await writeMunicipalityOutputs(db, out, STREAMED_AS_OF, null);
      expect(digests(out)).toEqual(REPORTS);
    }
    expect(runs[0].hits).toBe(0);
    expect(runs[0].rendered).toBeGreaterThan(1);
    expect(runs[1]).toEqual({ hits: runs[0].rendered, rendered: 0 });
    // the overall report's charts and the municipalities' money charts
    expect(await count(db)).toBeGreaterThan(runs[0].rendered);
  }, 120_000);
});
