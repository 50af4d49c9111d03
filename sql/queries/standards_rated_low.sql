-- Standards of the 2018+ framework most often rated Inadequate or Requires improvement: per
-- standard, how many reports rated it, how many rated it each way, and the share rated below
-- Good. Titles are as printed (3.4 changed from "Joint working" to "Out-of-court disposal policy
-- and provision" in 2021, so it appears once per title).
-- @param since INTEGER = 0: only reports of this year or later (0 for all)
SELECT
    s.code,
    s.title,
    count(*)                                                          AS reports_rated,
    count(*) FILTER (WHERE s.rating = 'Inadequate')                   AS inadequate,
    count(*) FILTER (WHERE s.rating = 'Requires improvement')         AS requires_improvement,
    count(*) FILTER (WHERE s.rating = 'Good')                         AS good,
    count(*) FILTER (WHERE s.rating = 'Outstanding')                  AS outstanding,
    round(count(*) FILTER (WHERE s.rating IN ('Inadequate', 'Requires improvement'))
          / count(*), 3)                                              AS share_below_good
FROM standard_ratings s
JOIN reports r ON r.report_id = s.report_id
WHERE s.rating IS NOT NULL AND ($since = 0 OR r.year >= $since)
GROUP BY s.code, s.title
ORDER BY share_below_good DESC, inadequate DESC, s.code, s.title;
