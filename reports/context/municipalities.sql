-- The configured municipalities, for labels such as "101 København".
SELECT code, name FROM cfg_municipalities ORDER BY code
