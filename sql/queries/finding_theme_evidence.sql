-- Why one finding carries each of its themes: the tagger's confidence and the evidence (the
-- rule match, or the words that most mark the theme), most confident first.
-- @param finding_id VARCHAR: the finding's id (findings.finding_id), e.g. 2fab52fc1b8178fd:1.1:I3
SELECT
    t.theme,
    th.label AS theme_label,
    t.confidence,
    t.evidence,
    t.matched_text
FROM text_themes t
LEFT JOIN themes th ON th.theme = t.theme
WHERE t.source = 'finding' AND t.source_id = $finding_id
ORDER BY t.confidence DESC NULLS LAST, t.theme;
