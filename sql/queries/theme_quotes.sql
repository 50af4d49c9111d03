-- Theme quotes: every finding about a theme, word for word, with its citation (area, year,
-- region, criterion, kind, the item's number, page and report file), the words that matched,
-- the tagger's confidence and its evidence.
-- Both frameworks: template says which; standard_rating is the 2018+ standard's rating.
-- @param theme VARCHAR = : one theme id, or empty for every theme
-- @param kind VARCHAR = : strength or improvement, or empty for both
-- @param template VARCHAR = : only reports of this template (cci-2009, yjs-2018), or empty for all
SELECT
    v.theme,
    v.theme_label,
    v.kind,
    v.area,
    v.year,
    ac.region,
    v.criterion,
    v.criterion_title,
    v.seq,
    v.page,
    r.file_name,
    v.matched_texts,
    v.confidence,
    v.evidence,
    (SELECT string_agg(p.phrase, '; ' ORDER BY p.start_char)
     FROM finding_proportions p WHERE p.finding_id = v.finding_id) AS proportion_phrases,
    v.text,
    v.finding_id,
    v.report_id,
    v.template,
    v.standard_rating
FROM v_finding_themes v
JOIN reports r            ON r.report_id = v.report_id
LEFT JOIN area_context ac ON ac.report_id = v.report_id
WHERE ($theme = '' OR v.theme = $theme)
  AND ($kind = '' OR v.kind = $kind)
  AND ($template = '' OR v.template = $template)
ORDER BY v.theme, v.kind DESC, v.area, v.year, v.criterion, v.seq;
