-- Macros for what the rules and models would otherwise spell out by hand. Created as TEMP macros by
-- src/pipeline/context.ts (prepareContext), after the calendar macros (cph_local), before any model runs.
--   da_money(x)   an amount as Danish text: decimal comma, as DuckDB prints the value ('1234,50', '-0,01');
--                 x is a DECIMAL (cast it, e.g. da_money((a - b)::DECIMAL(18,2)), to fix its scale)
--   da_time(ts)   a UTC instant as Copenhagen wall time to the minute, 'dd-mm-yyyy hh:mm' (the detail texts)
--   da_kr(x)      an amount as Danish text with '.' between thousands and a decimal comma ('1.675,00', '-0,01')
--   da_day(d)     a date in Danish words, '26. november', with the year when it is not asOf's year ('26. november 2025')
--   da_count(n)   a count as Danish text with thousands separated by '.' ('40.000')
--   by_as_of(ts)  the instant if it happened by asOf, else NULL: a reversal, payment or cancellation recorded with
--                 a later timestamp has not happened yet as of asOf (RULES.md §1)
CREATE OR REPLACE TEMP MACRO da_money(x) AS replace(x::VARCHAR, '.', ',');
CREATE OR REPLACE TEMP MACRO da_time(ts) AS strftime(cph_local(ts), '%d-%m-%Y %H:%M');
CREATE OR REPLACE TEMP MACRO da_count(n) AS replace(format('{:,}', n::BIGINT), ',', '.');
CREATE OR REPLACE TEMP MACRO by_as_of(ts) AS CASE WHEN ts <= getvariable('as_of') THEN ts END;
CREATE OR REPLACE TEMP MACRO da_kr(x) AS
  CASE WHEN x < 0 THEN '-' ELSE '' END
  || replace(format('{:,}', CAST(abs(x) * 100 AS HUGEINT) // 100), ',', '.')
  || ',' || lpad(CAST(CAST(abs(x) * 100 AS HUGEINT) % 100 AS VARCHAR), 2, '0');
CREATE OR REPLACE TEMP MACRO da_day(d) AS
  day(d) || '. ' || ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober',
                     'november', 'december'][month(d)]
  || CASE WHEN year(d) <> year(getvariable('as_of_date')) THEN ' ' || year(d) ELSE '' END;
