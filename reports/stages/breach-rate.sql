-- Breach rate per municipality and stage, the {{heatmap_cap}} worst municipalities (by their overall rate) first.
WITH m AS (
  SELECT municipality, sum(breached) AS b, sum(within_sla) AS w FROM latency WHERE municipality <> 'ALL' AND ({{municipality}} = '' OR municipality = {{municipality}}) GROUP BY municipality
), ranked AS (
  SELECT municipality, b, w, row_number() OVER (ORDER BY b / (b + w) DESC, b DESC, municipality) AS rank
  FROM m WHERE b + w > 0
)
SELECT l.municipality, r.rank, r.b AS total_breached, r.w + r.b AS total, l.stage, l.breached, l.within_sla,
       l.breached / nullif(l.within_sla + l.breached, 0) AS breach_rate,
       (SELECT count(*) FROM ranked) AS ranked_count
FROM latency l JOIN ranked r ON r.municipality = l.municipality
WHERE r.rank <= {{heatmap_cap}}
ORDER BY r.rank, l.stage
