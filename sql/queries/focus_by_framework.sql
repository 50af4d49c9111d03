-- The three things both frameworks judge — helping the child desist from offending, keeping the
-- child safe, keeping other people safe — per framework: how many reports, which years, and the
-- spread of their figures (v_focus_scores: CCI headline scores; 2018+ key-question % 'Yes',
-- one figure per key question). The frameworks measure differently: compare rows of one
-- framework with each other, and read across frameworks only as "then" beside "now".
SELECT
    focus,
    template,
    count(DISTINCT report_id)   AS reports,
    min(year)                   AS first_year,
    max(year)                   AS last_year,
    count(*)                    AS figures,
    round(avg(value), 1)        AS mean_percent,
    min(value)                  AS lowest,
    max(value)                  AS highest
FROM v_focus_scores
GROUP BY focus, template
ORDER BY focus, template;
