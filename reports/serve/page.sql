-- One page of a query of the report ({{query}}: a file of reports/ run through the user's scope), in its order:
-- {{limit}} rows from {{offset}}.
SELECT * FROM ({{query}}) q LIMIT {{limit}} OFFSET {{offset}}
