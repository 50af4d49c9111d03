-- One 2018+ report's ratings table: the overall rating and score, then each standard with its
-- domain, rating, whether it counts in the score, the rating its own section states, and its
-- key questions' % 'Yes' (lowest first decides the rating), each with its page. A report of the
-- generic layer (2025 framework, adult probation) gives its overall rating and every rating it
-- states by name (part 'named', no code).
-- @param report_id VARCHAR: the report's sha256 (reports.report_id)
SELECT
    0                                            AS ord,
    'overall'                                    AS part,
    NULL::VARCHAR                                AS code,
    r.service_name                               AS title,
    NULL::VARCHAR                                AS domain,
    r.overall_rating                             AS rating,
    r.rating_score || '/' || r.rating_score_max  AS score,
    NULL::BOOLEAN                                AS in_score,
    NULL::VARCHAR                                AS section_rating,
    NULL::VARCHAR                                AS key_questions,
    r.overall_rating_page                        AS page
FROM reports r
WHERE r.report_id = $report_id AND r.overall_rating IS NOT NULL
UNION ALL
SELECT
    1,
    'standard',
    s.code,
    s.title,
    s.domain,
    s.rating,
    NULL,
    s.in_score,
    s.section_rating,
    (SELECT string_agg(q.question_id || ' ' || coalesce(q.percent_yes, q.body_percent) || '%',
                       '; ' ORDER BY q.question_id)
     FROM inspection_questions q
     WHERE q.report_id = s.report_id AND q.standard = s.code AND q.parent_id IS NULL),
    s.page
FROM standard_ratings s
WHERE s.report_id = $report_id
UNION ALL
SELECT 2, 'named', NULL, n.name, NULL, n.rating, NULL, NULL, NULL, NULL, n.page
FROM report_ratings n
WHERE n.report_id = $report_id
ORDER BY ord, code;
