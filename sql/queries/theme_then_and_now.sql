-- Then (Core Case Inspections, 2009-2012) and now (the 2018+ framework), per theme: the share of
-- each framework's reports with at least one area for improvement on the theme, and with at
-- least one strength on it. Shares are of the reports of that framework loaded, so the two
-- programmes compare even though their sizes differ; the frameworks word their findings
-- differently, so read a change of share as a change of emphasis, not a measured trend.
-- @param theme VARCHAR = : one theme id (see `findings themes`), empty for all
WITH totals AS (
    SELECT template, count(*) AS reports, min(year) AS first_year, max(year) AS last_year
    FROM reports GROUP BY template
),
tagged AS (
    SELECT r.template, t.theme, f.kind, count(DISTINCT f.report_id) AS reports
    FROM finding_themes t
    JOIN findings f ON f.finding_id = t.finding_id
    JOIN reports r  ON r.report_id = f.report_id
    WHERE $theme = '' OR t.theme = $theme
    GROUP BY ALL
)
SELECT
    th.theme,
    th.label,
    tot.template,
    tot.first_year || '-' || tot.last_year                                AS years,
    tot.reports,
    round(coalesce(max(tg.reports) FILTER (WHERE tg.kind = 'improvement'), 0)
          / tot.reports, 3)                                               AS share_improvement,
    round(coalesce(max(tg.reports) FILTER (WHERE tg.kind = 'strength'), 0)
          / tot.reports, 3)                                               AS share_strength
FROM themes th
CROSS JOIN totals tot
LEFT JOIN tagged tg ON tg.theme = th.theme AND tg.template = tot.template
WHERE $theme = '' OR th.theme = $theme
GROUP BY th.theme, th.label, tot.template, tot.first_year, tot.last_year, tot.reports
ORDER BY th.theme, tot.template;
