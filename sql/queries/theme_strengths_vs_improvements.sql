-- Strengths against areas for improvement, per theme: how many findings of each kind mention
-- the theme, in how many reports, and the strengths' share of all its findings.
SELECT
    th.theme,
    th.label,
    count(DISTINCT f.finding_id) FILTER (WHERE f.kind = 'strength')    AS strengths,
    count(DISTINCT f.finding_id) FILTER (WHERE f.kind = 'improvement') AS improvements,
    count(DISTINCT f.report_id) FILTER (WHERE f.kind = 'strength')     AS reports_strength,
    count(DISTINCT f.report_id) FILTER (WHERE f.kind = 'improvement')  AS reports_improvement,
    round(count(DISTINCT f.finding_id) FILTER (WHERE f.kind = 'strength')
          / nullif(count(DISTINCT f.finding_id), 0), 3)                AS strength_share
FROM themes th
LEFT JOIN finding_themes t ON t.theme = th.theme
LEFT JOIN findings f       ON f.finding_id = t.finding_id
GROUP BY th.theme, th.label
ORDER BY improvements DESC, th.theme;
