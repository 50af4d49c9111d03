-- Each area's headline scores against the national band of the time: the lowest, average and
-- highest score nationally as printed in the same report, and where the area sits in it.
-- @param domain VARCHAR = : safeguarding, risk_of_harm or likelihood_of_reoffending; empty for all
SELECT
    r.area,
    r.year,
    h.domain,
    h.score,
    h.improvement,
    h.national_lowest,
    h.national_average,
    h.national_highest,
    h.score - h.national_average AS vs_national_average,
    h.page,
    r.file_name
FROM headline_scores h
JOIN reports r ON r.report_id = h.report_id
WHERE $domain = '' OR h.domain = $domain
ORDER BY h.domain, r.area, r.year;
