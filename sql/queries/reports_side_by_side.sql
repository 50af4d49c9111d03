-- Reports compared side by side: one row per measure (headline scores with the national
-- average and improvement level, section and criterion scores, counts of findings), one
-- column per report ("Area year").
-- 2018+ reports show their overall rating, score and each standard's rating.
-- @param areas VARCHAR = : comma-separated area names (any spelling: matched on area_key), or empty for all
-- @param year INTEGER = 0: only reports of this year (0 for any year)
-- @pivot report value
WITH chosen AS (
    SELECT report_id, area || ' ' || coalesce(year::VARCHAR, '?') AS report
    FROM reports
    WHERE ($areas = ''
           OR list_contains(list_transform(string_split($areas, ','),
                                           lambda a: normalise_area(a)), area_key))
      AND ($year = 0 OR year = $year)
),
measures AS (
    SELECT c.report, 10 + d.n AS ord, d.label || ' score' AS measure, h.score::VARCHAR AS value
    FROM chosen c
    JOIN headline_scores h ON h.report_id = c.report_id
    JOIN (VALUES (1, 'safeguarding', 'Safeguarding'), (2, 'risk_of_harm', 'Risk of Harm'),
                 (3, 'likelihood_of_reoffending', 'Likelihood of Reoffending')) d(n, domain, label)
      ON d.domain = h.domain
    UNION ALL
    SELECT c.report, 20 + d.n, d.label || ' national average', h.national_average::VARCHAR
    FROM chosen c
    JOIN headline_scores h ON h.report_id = c.report_id
    JOIN (VALUES (1, 'safeguarding', 'Safeguarding'), (2, 'risk_of_harm', 'Risk of Harm'),
                 (3, 'likelihood_of_reoffending', 'Likelihood of Reoffending')) d(n, domain, label)
      ON d.domain = h.domain
    UNION ALL
    SELECT c.report, 30 + d.n, d.label || ' improvement', h.improvement
    FROM chosen c
    JOIN headline_scores h ON h.report_id = c.report_id
    JOIN (VALUES (1, 'safeguarding', 'Safeguarding'), (2, 'risk_of_harm', 'Risk of Harm'),
                 (3, 'likelihood_of_reoffending', 'Likelihood of Reoffending')) d(n, domain, label)
      ON d.domain = h.domain
    UNION ALL
    SELECT c.report, 40 + s.section, 'Section ' || s.section || ' overall', s.score::VARCHAR
    FROM chosen c JOIN section_scores s ON s.report_id = c.report_id
    UNION ALL
    SELECT c.report, 100, 'Criterion ' || k.criterion || ' score',
           k.score::VARCHAR || coalesce(' (' || k.improvement || ')', '')
    FROM chosen c JOIN criterion_scores k ON k.report_id = c.report_id
    UNION ALL
    SELECT c.report, 50, 'Overall rating',
           r.overall_rating || coalesce(' (' || r.rating_score || '/' || r.rating_score_max || ')', '')
    FROM chosen c JOIN reports r ON r.report_id = c.report_id
    WHERE r.overall_rating IS NOT NULL
    UNION ALL
    SELECT c.report, 110, 'Standard ' || s.code || ' ' || coalesce(s.title, ''), s.rating
    FROM chosen c JOIN standard_ratings s ON s.report_id = c.report_id
    UNION ALL
    SELECT c.report, 200, 'Strengths',
           (SELECT count(*) FROM findings f
            WHERE f.report_id = c.report_id AND f.kind = 'strength')::VARCHAR
    FROM chosen c
    UNION ALL
    SELECT c.report, 201, 'Areas for improvement',
           (SELECT count(*) FROM findings f
            WHERE f.report_id = c.report_id AND f.kind = 'improvement')::VARCHAR
    FROM chosen c
    UNION ALL
    SELECT c.report, 202, 'Recommendations',
           (SELECT count(*) FROM recommendations x WHERE x.report_id = c.report_id)::VARCHAR
    FROM chosen c
)
SELECT measure, report, value
FROM measures
ORDER BY ord, measure, report;
