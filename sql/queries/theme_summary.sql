-- Theme summary: per theme, how many reports and areas mention it as a strength and as an area
-- for improvement, the share of all loaded reports that is, and the proportion phrases its
-- findings use most ("just over half (4); most (3)"), with the median share they state
-- (negated phrases such as "did not ... in over one-third" are left out of the median).
-- Areas are counted by area_key, so one area under two spellings or frameworks counts once.
-- @param theme VARCHAR = : one theme id, or empty for every theme
-- @param template VARCHAR = : only reports of this template (cci-2009, yjs-2018), or empty for all
WITH total AS (
    SELECT count(*) AS reports FROM reports WHERE $template = '' OR template = $template
),
mentions AS (
    SELECT DISTINCT t.theme, f.finding_id, f.report_id, f.kind,
           coalesce(r.area_key, r.area) AS area
    FROM finding_themes t
    JOIN findings f ON f.finding_id = t.finding_id
    JOIN reports r  ON r.report_id = f.report_id
    WHERE $template = '' OR r.template = $template
),
counts AS (
    SELECT
        theme,
        count(DISTINCT report_id) FILTER (WHERE kind = 'strength')    AS reports_strength,
        count(DISTINCT area) FILTER (WHERE kind = 'strength')         AS areas_strength,
        count(*) FILTER (WHERE kind = 'strength')                     AS findings_strength,
        count(DISTINCT report_id) FILTER (WHERE kind = 'improvement') AS reports_improvement,
        count(DISTINCT area) FILTER (WHERE kind = 'improvement')      AS areas_improvement,
        count(*) FILTER (WHERE kind = 'improvement')                  AS findings_improvement
    FROM mentions
    GROUP BY theme
),
phrases AS (
    SELECT m.theme, m.kind, lower(p.phrase) AS phrase, count(*) AS n
    FROM mentions m
    JOIN finding_proportions p ON p.finding_id = m.finding_id
    GROUP BY ALL
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY theme, kind ORDER BY n DESC, phrase) AS rank
    FROM phrases
),
typical AS (
    SELECT
        theme,
        string_agg(phrase || ' (' || n || ')', '; ' ORDER BY rank)
            FILTER (WHERE kind = 'strength' AND rank <= 3)    AS typical_phrases_strength,
        string_agg(phrase || ' (' || n || ')', '; ' ORDER BY rank)
            FILTER (WHERE kind = 'improvement' AND rank <= 3) AS typical_phrases_improvement
    FROM ranked
    GROUP BY theme
),
shares AS (
    SELECT
        m.theme,
        median((p.share_low + p.share_high) / 2) FILTER (WHERE m.kind = 'strength')
            AS median_share_strength,
        median((p.share_low + p.share_high) / 2) FILTER (WHERE m.kind = 'improvement')
            AS median_share_improvement
    FROM mentions m
    JOIN finding_proportions p ON p.finding_id = m.finding_id
    WHERE NOT p.negated
    GROUP BY m.theme
)
SELECT
    th.theme,
    th.label,
    coalesce(c.reports_strength, 0)                                    AS reports_strength,
    coalesce(c.areas_strength, 0)                                      AS areas_strength,
    coalesce(c.findings_strength, 0)                                   AS findings_strength,
    round(coalesce(c.reports_strength, 0) / nullif(total.reports, 0), 3)
                                                                       AS share_reports_strength,
    coalesce(c.reports_improvement, 0)                                 AS reports_improvement,
    coalesce(c.areas_improvement, 0)                                   AS areas_improvement,
    coalesce(c.findings_improvement, 0)                                AS findings_improvement,
    round(coalesce(c.reports_improvement, 0) / nullif(total.reports, 0), 3)
                                                                       AS share_reports_improvement,
    total.reports                                                      AS reports_total,
    ty.typical_phrases_strength,
    round(s.median_share_strength, 3)                                  AS median_share_strength,
    ty.typical_phrases_improvement,
    round(s.median_share_improvement, 3)                               AS median_share_improvement,
    th.description
FROM themes th
CROSS JOIN total
LEFT JOIN counts c   ON c.theme = th.theme
LEFT JOIN typical ty ON ty.theme = th.theme
LEFT JOIN shares s   ON s.theme = th.theme
WHERE $theme = '' OR th.theme = $theme
ORDER BY share_reports_improvement DESC, findings_improvement DESC, th.theme;
