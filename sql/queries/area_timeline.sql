-- One area through the years, across both inspection frameworks: every report of the area
-- (matched on area_key, so "Stoke-on-Trent" finds "Stoke on Trent"), oldest first, with its
-- overall rating and score (2018+) and its figures on the three shared foci (v_focus_scores:
-- CCI headline scores with their improvement level; 2018+ key-question % 'Yes'). The two
-- frameworks measure differently: read a trend within one measure, not across them.
-- @param area VARCHAR: area name in any spelling, e.g. Stoke-on-Trent or City of York
SELECT
    r.year,
    r.template,
    r.area,
    'overall'                         AS focus,
    'overall_rating'                  AS measure,
    r.rating_score                    AS value,
    r.overall_rating                  AS rating,
    NULL::VARCHAR                     AS question_id,
    r.overall_rating_page             AS page,
    r.report_id
FROM reports r
WHERE r.area_key = normalise_area($area) AND r.overall_rating IS NOT NULL
UNION ALL
SELECT
    v.year,
    v.template,
    v.area,
    v.focus,
    v.measure,
    v.value,
    h.improvement,
    v.question_id,
    v.page,
    v.report_id
FROM v_focus_scores v
LEFT JOIN headline_scores h
       ON v.measure = 'cci_headline_score' AND h.report_id = v.report_id
      AND h.domain = CASE v.focus WHEN 'desistance' THEN 'likelihood_of_reoffending'
                                  WHEN 'child_safety' THEN 'safeguarding'
                                  ELSE 'risk_of_harm' END
WHERE v.area_key = normalise_area($area)
ORDER BY year, report_id,
         CASE focus WHEN 'overall' THEN 0 WHEN 'desistance' THEN 1 WHEN 'child_safety' THEN 2
                    ELSE 3 END,
         question_id NULLS FIRST;
