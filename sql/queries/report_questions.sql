-- One 2018+ report's inspection questions: each key question with its % 'Yes' (annex and the
-- standard's own table) and its lettered sub-questions under it, in the report's order.
-- @param report_id VARCHAR: the report's sha256 (reports.report_id)
SELECT
    q.standard,
    q.question_id,
    q.parent_id,
    q.parent_id IS NULL AS key_question,
    q.text,
    q.percent_yes,
    q.body_percent,
    q.page
FROM inspection_questions q
WHERE q.report_id = $report_id
ORDER BY q.standard, coalesce(q.parent_id, q.question_id), q.parent_id NULLS FIRST, q.question_id;
