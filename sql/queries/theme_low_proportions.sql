-- Findings on a theme that state a proportion below a bound ("less than half of cases"): the
-- phrase, the share interval it stands for and where it is. Negated phrases ("did not ... in
-- over one-third") are left out: their share is of the cases where something was NOT done.
-- @param theme VARCHAR = : theme id, or empty for any theme
-- @param below DOUBLE = 0.5: the interval's upper end must be below this share
SELECT DISTINCT
    t.theme,
    f.area,
    f.year,
    f.criterion,
    f.kind,
    p.phrase,
    p.share_low,
    p.share_high,
    p.applies_to,
    f.page,
    f.file_name,
    f.finding_id,
    f.text
FROM finding_proportions p
JOIN v_findings f     ON f.finding_id = p.finding_id
JOIN finding_themes t ON t.finding_id = p.finding_id
WHERE p.share_high < $below
  AND NOT p.negated
  AND ($theme = '' OR t.theme = $theme)
ORDER BY p.share_high, f.area, f.year, f.criterion, f.finding_id;
