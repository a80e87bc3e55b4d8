-- The configured municipalities, for labels such as "101 København"; only its own in a municipality's report.
SELECT code, name FROM cfg_municipalities WHERE {{municipality}} = '' OR code = {{municipality}} ORDER BY code
