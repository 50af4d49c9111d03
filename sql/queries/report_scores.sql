-- One report's scores: the three headline scores with the national lowest / average / highest
-- printed beside them, the overall score of each section, and each criterion's score and
-- improvement level, each with the page it was read from.
-- @param report_id VARCHAR: the report's sha256 (reports.report_id)
SELECT 'headline' AS part,
       CASE domain WHEN 'safeguarding' THEN 1 WHEN 'risk_of_harm' THEN 2 ELSE 3 END AS ord,
       domain AS code,
       CASE domain WHEN 'safeguarding' THEN 'Safeguarding'
                   WHEN 'risk_of_harm' THEN 'Risk of Harm to others'
                   ELSE 'Likelihood of Reoffending' END AS title,
       score, improvement, national_lowest, national_average, national_highest, page
FROM headline_scores
WHERE report_id = $report_id
UNION ALL
SELECT 'section', section, section::VARCHAR, title, score, NULL, NULL, NULL, NULL, page
FROM section_scores
WHERE report_id = $report_id
UNION ALL
SELECT 'criterion', section, criterion, title, score, improvement, NULL, NULL, NULL, page
FROM criterion_scores
WHERE report_id = $report_id
ORDER BY part = 'criterion', part = 'section', ord, code;
