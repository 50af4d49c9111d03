-- Themes by rating band (2018+ reports): for each rating a standard received and each theme,
-- how many findings under standards with that rating are about the theme, out of all findings
-- under standards with that rating, and in how many reports. Do "Inadequate" standards'
-- areas for improvement talk about other things than "Outstanding" ones'?
-- @param kind VARCHAR = improvement: strength, improvement, or empty for both
WITH rated AS (
    SELECT f.finding_id, f.report_id, f.kind, s.rating
    FROM findings f
    JOIN standard_ratings s ON s.report_id = f.report_id AND s.code = f.criterion
    WHERE s.rating IS NOT NULL AND ($kind = '' OR f.kind = $kind)
),
band AS (
    SELECT rating, count(*) AS findings_in_band, count(DISTINCT report_id) AS reports_in_band
    FROM rated
    GROUP BY rating
),
hits AS (
    SELECT DISTINCT t.theme, r.rating, r.finding_id, r.report_id
    FROM rated r
    JOIN finding_themes t ON t.finding_id = r.finding_id
)
SELECT
    th.theme,
    th.label,
    b.rating,
    count(h.finding_id)                                   AS findings_with_theme,
    b.findings_in_band,
    round(count(h.finding_id) / b.findings_in_band, 3)    AS share_of_findings,
    count(DISTINCT h.report_id)                           AS reports_with_theme,
    b.reports_in_band
FROM themes th
CROSS JOIN band b
LEFT JOIN hits h ON h.theme = th.theme AND h.rating = b.rating
GROUP BY th.theme, th.label, b.rating, b.findings_in_band, b.reports_in_band
ORDER BY th.theme,
         CASE b.rating WHEN 'Outstanding' THEN 1 WHEN 'Good' THEN 2
                       WHEN 'Requires improvement' THEN 3 ELSE 4 END;
