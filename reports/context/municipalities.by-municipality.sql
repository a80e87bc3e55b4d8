-- context/municipalities.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- a run's municipalities' reports take their rows from one query (src/report/build.ts prefetchMunicipalities).
SELECT CAST(code AS VARCHAR) AS __municipality, code, name FROM cfg_municipalities WHERE CAST(code AS VARCHAR) IN (SELECT unnest(string_split({{municipalities}}, ','))) ORDER BY code
