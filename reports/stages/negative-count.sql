-- How many items end before they begin.
SELECT count(*) AS n FROM latency_negative WHERE ({{municipality}} = '' OR municipality = {{municipality}})
