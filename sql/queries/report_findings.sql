-- One report's strengths and areas for improvement, in the report's order, with the themes and
-- proportion phrases found in each and the page it starts on (CCI criteria or 2018+ standards).
-- @param report_id VARCHAR: the report's sha256 (reports.report_id)
SELECT
    f.criterion,
    coalesce(c.title, sr.title) AS criterion_title,
    sr.rating AS standard_rating,
    f.kind,
    f.seq,
    f.page,
    (SELECT string_agg(DISTINCT t.theme, ', ' ORDER BY t.theme)
     FROM finding_themes t WHERE t.finding_id = f.finding_id)        AS themes,
    (SELECT string_agg(p.phrase, '; ' ORDER BY p.start_char)
     FROM finding_proportions p WHERE p.finding_id = f.finding_id)   AS proportion_phrases,
    f.text,
    f.finding_id
FROM findings f
LEFT JOIN criterion_scores c ON c.report_id = f.report_id AND c.criterion = f.criterion
LEFT JOIN standard_ratings sr ON sr.report_id = f.report_id AND sr.code = f.criterion
WHERE f.report_id = $report_id
ORDER BY f.criterion, f.kind DESC, f.seq;
