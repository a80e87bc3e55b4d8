// The evaluation context the SQL models read: asOf, the configured municipalities, SLA settings,
// the banking-day calendar and the macros for local dates and deadlines.
import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';
import { lit, tsLiteral } from '../db.ts';
import type { Config } from '../config.ts';
import { CALENDAR_FIRST, CALENDAR_LAST, closingDaysBetween } from '../calendar.ts';
import { listModels, readQuery } from './graph.ts';
import { KIND_DA, STAGES } from '../vocabulary.ts';

/**
 * Days of the report's daily p90 trend (reports/stages/trend.sql: completed after asOf's Copenhagen date less these
 * days). The latency_trend mart keeps those days and one more (SQL variable trend_days), not the whole history.
 */
export const TREND_DAYS = 60;

export async function prepareContext(db: Db, config: Config, asOf: Date | string): Promise<void> {
  // Every model's output is sorted where order matters; letting DuckDB drop insertion order keeps 10M-row windows
  // and joins within the memory limit.
  await db.run(`SET preserve_insertion_order = false`);
  // Each model writes its joins with the rows to keep on the left and the relation looked up on the right, where
  // DuckDB builds the hash table. Its build-side flip judges by estimates that take every asOf filter to drop most
  // rows, and then built hash tables of 4M wide claims (measured: int_claims 7.0 s → 5.5 s at 10M fees without it).
  await db.run(`SET disabled_optimizers = 'build_side_probe_side'`);
  await db.run(`SET VARIABLE as_of = ${tsLiteral(asOf)}`);
  await db.run(`SET VARIABLE trend_days = ${TREND_DAYS}::INTEGER`);
  const ms = config.municipalities
    .map(
      (m) =>
        `(${lit(m.code)}, ${lit(m.name)}, ${lit(m.debtorSystem)}, ${lit(m.paymentSolution)}, ${m.paymentSolution !== 'none'}, ${m.wave}, DATE ${lit(m.goLive)}, ${m.borgerblikket})`,
    )
    .join(',\n');
  await db.run(`CREATE OR REPLACE TABLE cfg_municipalities AS
    SELECT * FROM (VALUES ${ms}) t(code, name, debtor_system, payment_solution, has_payment_solution, wave, go_live, borgerblikket)`);
  const sla = STAGES.map((s) => {
    const v = config.sla[s];
    return 'hours' in v ? `(${lit(s)}, ${v.hours}::DOUBLE, NULL::INTEGER)` : `(${lit(s)}, NULL::DOUBLE, ${v.businessDays}::INTEGER)`;
  }).join(', ');
  await db.run(`CREATE OR REPLACE TABLE cfg_sla AS SELECT * FROM (VALUES ${sla}) t(stage, hours, business_days)`);
  await ensureCalendar(db);
  // delivery id -> file path, to spell out lineage "<delivery_id>:<line>" as "<file>:<line>"
  const hasDeliveries = await db.value<number>(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'deliveries' AND NOT temporary`);
  await db.run(`CREATE OR REPLACE TEMP TABLE src_paths AS
    SELECT map(list(CAST(delivery_id AS VARCHAR)), list(path)) AS m
    FROM ${hasDeliveries ? 'deliveries' : '(SELECT NULL::INTEGER AS delivery_id, NULL::VARCHAR AS path WHERE false)'}`);
  await prepareDeliveries(db, config, Number(hasDeliveries) > 0);
  await ensureBusinessDeadlines(db, sla);
  await db.run(`SET VARIABLE cph_summer_from = [${summerTime(3)}]; SET VARIABLE cph_summer_to = [${summerTime(10)}]`);
  await db.exec(`
    CREATE OR REPLACE TEMP MACRO lineage_paths(lineage, paths) AS
      array_to_string(list_transform(string_split(lineage, '; '), x ->
        CASE WHEN regexp_full_match(x, '[0-9]+:[0-9]+')
             THEN coalesce(map_extract_value(paths, split_part(x, ':', 1)), split_part(x, ':', 1)) || ':' || split_part(x, ':', 2)
             ELSE x END), '; ');
    -- UTC -> Copenhagen wall time. From 1996 to 2200 by the EU rule (summer time, UTC+2, from 01:00 UTC on the last
    -- Sunday of March to 01:00 UTC on the last Sunday of October, else UTC+1), the two instants of each year read from
    -- the lists cph_summer_from/_to by the year (set below, on this connection): the created_at of the 1M bench's
    -- 412,000 fees in 20 ms instead of 74 ms with the same rule in date arithmetic per row (one thread, median of 5),
    -- which was 2.4x faster than ICU; as variables, not literals in the macro, the lists cost nothing to bind where a
    -- model reads a few rows (3,000 deadlines, 3 calls: 12 ms either way, 23 ms with the literals). A connection without
    -- them reads ICU. ICU's tz database continues that rule without end; before 1996 Denmark's history differs (summer
    -- time ended in September 1980-1995, war-time and 1916 summer time, none 1949-1979), so earlier instants go to ICU.
    -- test/calendar.test.ts compares the two on every minute around each change and every hour 1900-2201, and both
    -- with the tz database of luxon (Node's ICU).
    CREATE OR REPLACE MACRO cph_local_icu(ts) AS timezone('Europe/Copenhagen', timezone('UTC', ts))::TIMESTAMP;
    CREATE OR REPLACE MACRO cph_local(ts) AS CASE
      WHEN ts >= TIMESTAMP '1996-01-01' AND ts < TIMESTAMP '2201-01-01' AND getvariable('cph_summer_to') IS NOT NULL
      THEN ts + CASE
        WHEN ts >= getvariable('cph_summer_from')[year(ts) - 1995] AND ts < getvariable('cph_summer_to')[year(ts) - 1995]
        THEN INTERVAL 2 HOUR ELSE INTERVAL 1 HOUR END
      ELSE cph_local_icu(ts) END;
    CREATE OR REPLACE MACRO cph_date(ts) AS CAST(cph_local(ts) AS DATE);
    CREATE OR REPLACE MACRO sla_deadline(stage_name, start_ts) AS coalesce(
      start_ts + to_microseconds(CAST((SELECT hours FROM cfg_sla WHERE stage = stage_name) * 3600000000 AS BIGINT)),
      (SELECT b.deadline FROM sla_business_deadline b WHERE b.stage = stage_name AND b.local_date = cph_date(start_ts)));
  `);
  await prepareAge(db);
  // the macros of queries/macros/*.sql (Danish money and time text, the asOf idiom), which may use those above
  for (const file of listModels('macros')) await db.exec(readQuery(file));
}

/** 01:00 UTC on the last Sunday of `month` (March: summer time begins, October: it ends) of 1996-2200, as SQL literals. */
function summerTime(month: 3 | 10): string {
  const out: string[] = [];
  for (let y = 1996; y <= 2200; y++) {
    const d = new Date(Date.UTC(y, month - 1, 31));
    d.setUTCDate(31 - d.getUTCDay());
    out.push(`TIMESTAMP '${d.toISOString().slice(0, 10)} 01:00'`);
  }
  return out.join(', ');
}

/** Every local date's SLA deadline for the stages counted in banking days: midnight after the N-th banking day. */
const BUSINESS_DEADLINE_SQL = `CREATE OR REPLACE TABLE sla_business_deadline AS
  WITH idx AS (
    SELECT d, is_banking, sum(CASE WHEN is_banking THEN 1 ELSE 0 END) OVER (ORDER BY d) AS n_upto FROM cal_days
  ), nth AS (SELECT n_upto, d FROM idx WHERE is_banking)
  SELECT s.stage, i.d AS local_date,
         timezone('UTC', timezone('Europe/Copenhagen', (n.d + INTERVAL 1 DAY)::TIMESTAMP))::TIMESTAMP AS deadline
  FROM cfg_sla s JOIN idx i ON s.business_days IS NOT NULL
  JOIN nth n ON n.n_upto = i.n_upto + s.business_days`;

/**
 * sla_business_deadline (110,000 local dates per stage, by ICU's zone rules: about a second) is built again only when
 * what it is made of changed: the SLA settings, the closing days and its own SQL. A night with the same settings
 * reuses the table of the night before.
 */
async function ensureBusinessDeadlines(db: Db, sla: string): Promise<void> {
  const closing = closingDaysBetween(CALENDAR_FIRST, CALENDAR_LAST).join(',');
  await ensureBuilt(db, 'sla_business_deadline', [sla, closing, BUSINESS_DEADLINE_SQL], BUSINESS_DEADLINE_SQL);
}

/**
 * Runs `sql`, which builds the table `name` in the database file, unless the table is there and was built from the
 * same `parts` (their hash is kept beside it in ctx_built): the calendar tables cost a night nothing when the
 * calendar and the settings did not change.
 */
async function ensureBuilt(db: Db, name: string, parts: string[], sql: string): Promise<void> {
  const key = createHash('sha256').update(parts.join('\n')).digest('hex');
  const built = await db.value<string | null>(`
    SELECT max(b.key) FROM ctx_built b JOIN duckdb_tables() t ON t.table_name = b.name AND NOT t.temporary
      AND t.database_name = current_database() AND t.schema_name = 'main'
    WHERE b.name = ${lit(name)}`);
  if (built === key) return;
  if (!(await copiedFromSeed(db, name, key))) await db.run(sql);
  await db.run(`INSERT OR REPLACE INTO ctx_built VALUES (${lit(name)}, ${lit(key)})`);
}

/**
 * The test suite's hook (test/helpers/context-seed.ts), unset in production: AFSTEM_CONTEXT_SEED names a database file
 * in which the suite built these tables once. A table built there from the same parts (the same key) is copied instead
 * of built: the second or so of every new database's first evaluation, paid by hundreds of test databases.
 */
async function copiedFromSeed(db: Db, name: string, key: string): Promise<boolean> {
  const seed = process.env.AFSTEM_CONTEXT_SEED;
  if (!seed) return false;
  await db.run(`ATTACH ${lit(seed)} AS afstem_context_seed (READ_ONLY)`);
  try {
    const seeded = await db.value<string | null>(`SELECT max(key) FROM afstem_context_seed.ctx_built WHERE name = ${lit(name)}`);
    if (seeded !== key) return false;
    await db.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM afstem_context_seed.${name} ORDER BY ALL`);
    return true;
  } finally {
    await db.run('DETACH afstem_context_seed');
  }
}

/**
 * The deliveries watched for stopping (RULES.md §7, FORMATS.md §6): `cfg_deliveries(kind)`, the variable
 * `max_gap_banking_days`, and `src_deliveries(municipality, kind, export_date)`: every delivery in effect of the
 * delivery registry (loaded, replaced or rejected whole: a file with an identity; unknown, ignored and unreadable files
 * are never registered), empty before anything was ever loaded.
 */
async function prepareDeliveries(db: Db, config: Config, registry: boolean): Promise<void> {
  // the watched kinds with their Danish names (GLOSSARY.md), for the words of the report and the go-live reason
  const kinds = [...new Set(config.deliveries.kinds)].map((k) => `(${lit(k)}, ${lit((KIND_DA as Record<string, string>)[k] ?? k)})`).join(', ');
  await db.run(`CREATE OR REPLACE TABLE cfg_deliveries AS
    SELECT CAST(kind AS VARCHAR) AS kind, CAST(name_da AS VARCHAR) AS name_da
    FROM (VALUES ${kinds || '(NULL, NULL)'}) t(kind, name_da) WHERE kind IS NOT NULL`);
  await db.run(`SET VARIABLE max_gap_banking_days = ${config.deliveries.maxGapBankingDays}::INTEGER`);
  await db.run(`CREATE OR REPLACE TEMP TABLE src_deliveries AS
    SELECT CAST(municipality AS VARCHAR) AS municipality, CAST(kind AS VARCHAR) AS kind, CAST(export_date AS DATE) AS export_date
    FROM ${registry ? 'main.deliveries WHERE active' : '(SELECT NULL AS municipality, NULL AS kind, NULL AS export_date WHERE false)'}`);
}

/**
 * cal_days(d, is_banking): every local date CALENDAR_FIRST..CALENDAR_LAST (1900–2200, ~110k rows) in date order.
 * The days are generated in SQL; only the bank closing days of src/calendar.ts (~13 a year) travel as a literal.
 */
async function ensureCalendar(db: Db): Promise<void> {
  const closing = closingDaysBetween(CALENDAR_FIRST, CALENDAR_LAST).map((d) => `'${d}'`);
  const sql = `CREATE OR REPLACE TABLE cal_days AS
    WITH closing AS (SELECT unnest([${closing.join(',')}]::DATE[]) AS d)
    SELECT r.d::DATE AS d, isodow(r.d) <= 5 AND c.d IS NULL AS is_banking
    FROM range(DATE '${CALENDAR_FIRST}', DATE '${CALENDAR_LAST}' + INTERVAL 1 DAY, INTERVAL 1 DAY) r(d)
    LEFT JOIN closing c ON c.d = r.d::DATE
    ORDER BY d`;
  await ensureBuilt(db, 'cal_days', [sql], sql);
}

/**
 * The age of a discrepancy (RULES.md §5): `age_banking_days(ts)` = the number of banking days d with
 * cph_date(ts) < d <= asOf's date, where asOf's date is the Copenhagen date of the last instant before asOf (§1).
 * A running count of banking days over cal_days, looked up at both ends: n(asOf's date) - n(cph_date(ts)). Dates
 * outside the calendar are clamped to its ends (the range is read from cal_days, not assumed), so an instant before
 * the calendar counts from its first day. NULL for a NULL instant; never below 0.
 */
async function prepareAge(db: Db): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE cal_banking_index AS
      SELECT d, sum(CASE WHEN is_banking THEN 1 ELSE 0 END) OVER (ORDER BY d)::INTEGER AS n_upto FROM cal_days
      UNION ALL
      SELECT min(d) - 1, 0 FROM cal_days;
    SET VARIABLE cal_first = (SELECT min(d) FROM cal_banking_index);
    SET VARIABLE cal_last = (SELECT max(d) FROM cal_banking_index);
    SET VARIABLE as_of_date = cph_date(getvariable('as_of') - INTERVAL 1 MICROSECOND);
    SET VARIABLE as_of_banking_n = (SELECT n_upto FROM cal_banking_index
      WHERE d = least(greatest(getvariable('as_of_date'), getvariable('cal_first')), getvariable('cal_last')));
    -- the banking days in order with their running number (the same count as n_upto): "+ N banking days" from a
    -- local date d is the banking day numbered n_upto(d) + N (RULES.md §6, queries/intermediate/int_suggest_*.sql)
    CREATE OR REPLACE TEMP TABLE cal_banking_days AS
      SELECT d, sum(1) OVER (ORDER BY d)::INTEGER AS n FROM cal_days WHERE is_banking;
    -- RULES.md §7: the number of banking days d with day < d <= asOf's date (0 when day is asOf's date or later)
    CREATE OR REPLACE TEMP MACRO banking_days_after(day) AS CASE WHEN day IS NOT NULL THEN greatest(0,
      getvariable('as_of_banking_n') - (SELECT i.n_upto FROM cal_banking_index i
        WHERE i.d = least(greatest(day, getvariable('cal_first')), getvariable('cal_last')))) END;
    CREATE OR REPLACE TEMP MACRO age_banking_days(ts) AS CASE WHEN ts IS NOT NULL THEN greatest(0,
      getvariable('as_of_banking_n') - (SELECT i.n_upto FROM cal_banking_index i
        WHERE i.d = least(greatest(cph_date(ts), getvariable('cal_first')), getvariable('cal_last')))) END;
  `);
}
