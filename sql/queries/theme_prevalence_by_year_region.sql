-- Theme prevalence by year, region and framework (template): of the reports of each year, region
-- and template, how many have at least one finding of the given kind on the theme, and what
-- share of them that is (2018+ reports state no region: NULL).
-- @param kind VARCHAR = improvement: strength or improvement
-- @param theme VARCHAR = : one theme id, or empty for every theme
WITH checked AS (
    SELECT CASE WHEN $kind IN ('strength', 'improvement') THEN $kind
                ELSE error('kind must be strength or improvement, not ' || $kind) END AS kind
),
placed AS (
    SELECT r.report_id, r.year, ac.region, r.template
    FROM reports r
    LEFT JOIN area_context ac ON ac.report_id = r.report_id
),
sizes AS (
    SELECT year, region, template, count(*) AS reports FROM placed GROUP BY year, region, template
),
mentions AS (
    SELECT DISTINCT t.theme, p.report_id, p.year, p.region, p.template
    FROM finding_themes t
    JOIN findings f ON f.finding_id = t.finding_id
    JOIN placed p   ON p.report_id = f.report_id
    WHERE f.kind = (SELECT kind FROM checked)
)
SELECT
    th.theme,
    th.label,
    s.year,
    s.region,
    s.template,
    s.reports,
    count(m.report_id)                       AS reports_with_theme,
    round(count(m.report_id) / s.reports, 3) AS share
FROM themes th
CROSS JOIN sizes s
LEFT JOIN mentions m
       ON m.theme = th.theme
      AND m.year IS NOT DISTINCT FROM s.year
      AND m.region IS NOT DISTINCT FROM s.region
      AND m.template = s.template
WHERE $theme = '' OR th.theme = $theme
GROUP BY th.theme, th.label, s.year, s.region, s.template, s.reports
ORDER BY th.theme, s.year, s.region, s.template;
