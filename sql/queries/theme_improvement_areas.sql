-- Areas where a theme is an area for improvement: one row per area and criterion with such a
-- finding, the criterion's score, and the area's three headline scores against the national
-- average of the time (the national figures printed in that same report). 2018+ reports have
-- no scores: their standard's rating is in standard_rating.
-- @param theme VARCHAR = management_oversight: theme id (see `findings themes`)
SELECT
    f.area,
    f.year,
    f.region,
    f.criterion,
    any_value(f.criterion_title)                                   AS criterion_title,
    count(DISTINCT f.finding_id)                                   AS findings,
    any_value(f.criterion_score)                                   AS criterion_score,
    any_value(f.criterion_improvement)                             AS criterion_improvement,
    any_value(f.safeguarding_score)                                AS safeguarding,
    any_value(f.safeguarding_score - f.safeguarding_national_average)
                                                                   AS safeguarding_vs_national,
    any_value(f.risk_of_harm_score)                                AS risk_of_harm,
    any_value(f.risk_of_harm_score - f.risk_of_harm_national_average)
                                                                   AS risk_of_harm_vs_national,
    any_value(f.likelihood_of_reoffending_score)                   AS likelihood_of_reoffending,
    any_value(f.likelihood_of_reoffending_score - f.likelihood_of_reoffending_national_average)
                                                                   AS likelihood_vs_national,
    string_agg(DISTINCT f.page::VARCHAR, ', ')                     AS pages,
    any_value(f.file_name)                                         AS file_name,
    any_value(f.template)                                          AS template,
    any_value(f.standard_rating)                                   AS standard_rating
FROM v_findings f
JOIN finding_themes t ON t.finding_id = f.finding_id
WHERE f.kind = 'improvement'
  AND t.theme = $theme
GROUP BY f.report_id, f.area, f.year, f.region, f.criterion
ORDER BY f.area, f.year, f.criterion;
