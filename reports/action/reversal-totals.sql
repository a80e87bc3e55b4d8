-- How many reversal proposals there are and the excess they return.
SELECT count(*) AS n, coalesce(sum(excess_amount), 0)::DECIMAL(38,2)::VARCHAR AS excess FROM reversals WHERE ({{municipality}} = '' OR municipality = {{municipality}})
