-- NLP tables: themes, proportion phrases and acronyms found in the stored texts.
-- Written by load/annotations.py (inside the core writer's transaction) and rewritten by
-- `findings retag`. Applied after schema.sql; safe to run again.
-- source is 'finding' | 'recommendation' | 'good_practice' | 'passage'; source_id is that row's
-- id (findings.finding_id, recommendations.recommendation_id, good_practice.good_practice_id,
-- passages.passage_id).
-- start_char / end_char are offsets into that row's text (Python string indices, end exclusive).

-- The taxonomy in use (transform/nlp/themes.yaml), refreshed by every retag.
CREATE TABLE IF NOT EXISTS themes (
    theme       VARCHAR PRIMARY KEY,
    label       VARCHAR NOT NULL,
    description VARCHAR NOT NULL
);

-- One row per text and theme it is about (transform/nlp/theme_classifier.py), with how sure
-- the tagger is and what carried the tag. matched_text / start_char / end_char locate the
-- evidence in the text: the rule match, the first evidence word, or the whole text.
CREATE TABLE IF NOT EXISTS text_themes (
    source       VARCHAR NOT NULL CHECK (source IN ('finding', 'recommendation', 'good_practice',
                                            'passage')),
    source_id    VARCHAR NOT NULL,
    report_id    VARCHAR NOT NULL,
    theme        VARCHAR NOT NULL,
    matched_text VARCHAR NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    confidence   DOUBLE,             -- 0..1; NULL only for rows tagged before version 5
    evidence     VARCHAR             -- 'rule: "..."' or 'words: "...", "..."'
);

-- The confidence below which a theme tag is left out of every view and query that reads
-- themes. Commands set it from --min-confidence (SET VARIABLE min_confidence = 0.7); unset, every
-- stored tag counts. A row without a confidence (tagged before version 5) always counts.
CREATE OR REPLACE MACRO theme_confident(confidence) AS
    coalesce(confidence, 1.0) >= coalesce(getvariable('min_confidence'), 0.0);

-- "just over half" etc. with the share interval from transform/nlp/proportions.yaml.
CREATE TABLE IF NOT EXISTS text_proportions (
    source     VARCHAR NOT NULL CHECK (source IN ('finding', 'recommendation', 'good_practice',
                                            'passage')),
    source_id  VARCHAR NOT NULL,
    report_id  VARCHAR NOT NULL,
    phrase     VARCHAR NOT NULL,
    share_low  DOUBLE NOT NULL,      -- 0..1
    share_high DOUBLE NOT NULL,      -- 0..1, >= share_low
    applies_to VARCHAR,              -- what the share is of, where the clause says ("timely")
    negated    BOOLEAN NOT NULL,     -- "did not include ... in over one-third"
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL
);

-- Acronyms with their meaning: the report's own glossary first, else the default glossary.
CREATE TABLE IF NOT EXISTS text_acronyms (
    source        VARCHAR NOT NULL CHECK (source IN ('finding', 'recommendation', 'good_practice',
                                            'passage')),
    source_id     VARCHAR NOT NULL,
    report_id     VARCHAR NOT NULL,
    acronym       VARCHAR NOT NULL,
    expansion     VARCHAR NOT NULL,
    from_glossary BOOLEAN NOT NULL,  -- true: the report's glossary; false: the default file
    start_char    INTEGER NOT NULL,
    end_char      INTEGER NOT NULL
);

CREATE OR REPLACE VIEW finding_themes AS
SELECT source_id AS finding_id, theme, matched_text, start_char, end_char, confidence, evidence
FROM text_themes
WHERE source = 'finding' AND theme_confident(confidence);

CREATE OR REPLACE VIEW finding_proportions AS
SELECT source_id AS finding_id, phrase, share_low, share_high, applies_to, negated,
       start_char, end_char
FROM text_proportions
WHERE source = 'finding';

-- One row per finding and theme it is about, with where the finding comes from.
CREATE OR REPLACE VIEW v_finding_themes AS
SELECT
    f.finding_id,
    t.theme,
    th.label                                                 AS theme_label,
    f.report_id,
    r.area,
    r.year,
    f.criterion,
    coalesce(c.title, sr.title)                              AS criterion_title,
    f.kind,
    f.seq,
    f.text,
    f.page,
    count(*)                                                 AS matches,
    string_agg(DISTINCT t.matched_text, '; ' ORDER BY t.matched_text) AS matched_texts,
    r.template,
    sr.rating                                                AS standard_rating,
    max(t.confidence)                                        AS confidence,
    string_agg(DISTINCT t.evidence, '; ' ORDER BY t.evidence) AS evidence
FROM text_themes t
JOIN findings f         ON f.finding_id = t.source_id
JOIN reports r          ON r.report_id = f.report_id
LEFT JOIN criterion_scores c ON c.report_id = f.report_id AND c.criterion = f.criterion
LEFT JOIN standard_ratings sr ON sr.report_id = f.report_id AND sr.code = f.criterion
LEFT JOIN themes th     ON th.theme = t.theme
WHERE t.source = 'finding' AND theme_confident(t.confidence)
GROUP BY ALL;

-- Per theme: how many reports mention it as a strength / as an area for improvement, and the
-- share of all loaded reports that is.
CREATE OR REPLACE VIEW v_theme_prevalence AS
WITH per_theme AS (
    SELECT
        t.theme,
        count(DISTINCT f.report_id) FILTER (WHERE f.kind = 'strength')    AS reports_strength,
        count(DISTINCT f.report_id) FILTER (WHERE f.kind = 'improvement') AS reports_improvement,
        count(DISTINCT f.report_id)                                       AS reports_any,
        count(DISTINCT f.finding_id)                                      AS findings
    FROM text_themes t
    JOIN findings f ON f.finding_id = t.source_id
    WHERE t.source = 'finding' AND theme_confident(t.confidence)
    GROUP BY t.theme
),
total AS (SELECT count(*) AS reports FROM reports)
SELECT
    th.theme,
    th.label,
    coalesce(p.reports_strength, 0)                                     AS reports_strength,
    coalesce(p.reports_improvement, 0)                                  AS reports_improvement,
    coalesce(p.reports_any, 0)                                          AS reports_any,
    coalesce(p.findings, 0)                                             AS findings,
    total.reports                                                       AS reports_total,
    coalesce(p.reports_strength, 0) / nullif(total.reports, 0)          AS share_strength,
    coalesce(p.reports_improvement, 0) / nullif(total.reports, 0)       AS share_improvement,
    coalesce(p.reports_any, 0) / nullif(total.reports, 0)               AS share_any
FROM themes th
CROSS JOIN total
LEFT JOIN per_theme p ON p.theme = th.theme
ORDER BY share_improvement DESC, th.theme;

-- Every stored text the NLP layer annotates (read by `findings retag`).
CREATE OR REPLACE VIEW v_annotated_texts AS
SELECT 'finding' AS source, finding_id AS source_id, report_id, text FROM findings
UNION ALL
SELECT 'recommendation', recommendation_id, report_id, text FROM recommendations
UNION ALL
SELECT 'good_practice', good_practice_id, report_id, text FROM good_practice
UNION ALL
SELECT 'passage', passage_id, report_id, text FROM passages WHERE kind <> 'heading';
