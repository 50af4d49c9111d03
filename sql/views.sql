-- Views for researchers: the core tables joined the way most questions need them.
-- Re-created on every schema apply, so they always match the tables.

-- Headline scores side by side, one row per report.
CREATE OR REPLACE VIEW v_headline AS
SELECT
    report_id,
    max(score)            FILTER (WHERE domain = 'safeguarding')              AS safeguarding_score,
    max(improvement)      FILTER (WHERE domain = 'safeguarding')              AS safeguarding_improvement,
    max(national_average) FILTER (WHERE domain = 'safeguarding')              AS safeguarding_national_average,
    max(score)            FILTER (WHERE domain = 'risk_of_harm')              AS risk_of_harm_score,
    max(improvement)      FILTER (WHERE domain = 'risk_of_harm')              AS risk_of_harm_improvement,
    max(national_average) FILTER (WHERE domain = 'risk_of_harm')              AS risk_of_harm_national_average,
    max(score)            FILTER (WHERE domain = 'likelihood_of_reoffending') AS likelihood_of_reoffending_score,
    max(improvement)      FILTER (WHERE domain = 'likelihood_of_reoffending') AS likelihood_of_reoffending_improvement,
    max(national_average) FILTER (WHERE domain = 'likelihood_of_reoffending') AS likelihood_of_reoffending_national_average
FROM headline_scores
GROUP BY report_id;

-- Every finding with where it came from and how the area scored. Both frameworks: for a
-- 2018+ report `criterion` is the standard's code, criterion_title its title, section the
-- domain number and section_title the domain's name; its standard's rating is
-- standard_rating (the CCI score columns stay NULL, and the other way round).
CREATE OR REPLACE VIEW v_findings AS
SELECT
    f.finding_id,
    f.report_id,
    r.area,
    r.year,
    ac.region,
    f.criterion,
    coalesce(c.title, sr.title) AS criterion_title,
    coalesce(c.section, CASE WHEN sr.code IS NOT NULL
                             THEN try_cast(split_part(sr.code, '.', 1) AS INTEGER) END)
                   AS section,
    coalesce(s.title, CASE sr.domain
                          WHEN 'organisational_delivery' THEN 'Organisational delivery'
                          WHEN 'court_disposals' THEN 'Court disposals'
                          WHEN 'out_of_court_disposals' THEN 'Out-of-court disposals'
                          WHEN 'resettlement' THEN 'Resettlement' END)
                   AS section_title,
    f.kind,
    f.seq,
    f.text,
    f.page,
    c.score        AS criterion_score,
    c.improvement  AS criterion_improvement,
    s.score        AS section_score,
    h.safeguarding_score,
    h.safeguarding_improvement,
    h.safeguarding_national_average,
    h.risk_of_harm_score,
    h.risk_of_harm_improvement,
    h.risk_of_harm_national_average,
    h.likelihood_of_reoffending_score,
    h.likelihood_of_reoffending_improvement,
    h.likelihood_of_reoffending_national_average,
    r.file_name,
    r.template,
    r.area_key,
    sr.rating      AS standard_rating,
    sr.domain      AS standard_domain,
    r.overall_rating,
    -- the generic HMI Probation layer (criterion = the section the finding is listed in)
    r.template IN ('hmip-generic', 'yjs-2025') AS generic_layer,
    r.publication,
    r.source_kind
FROM findings f
JOIN reports r               ON r.report_id = f.report_id
LEFT JOIN criterion_scores c ON c.report_id = f.report_id AND c.criterion = f.criterion
LEFT JOIN section_scores s   ON s.report_id = f.report_id AND s.section = c.section
LEFT JOIN standard_ratings sr ON sr.report_id = f.report_id AND sr.code = f.criterion
LEFT JOIN area_context ac    ON ac.report_id = f.report_id
LEFT JOIN v_headline h       ON h.report_id = f.report_id;

-- One row per report: who, when, the headline and section scores, and how much it says.
CREATE OR REPLACE VIEW v_report_summary AS
SELECT
    r.report_id,
    r.area,
    r.year,
    ac.region,
    r.isbn,
    r.published_month,
    r.fieldwork_month,
    r.lead_inspector,
    r.template,
    h.safeguarding_score,
    h.safeguarding_improvement,
    h.risk_of_harm_score,
    h.risk_of_harm_improvement,
    h.likelihood_of_reoffending_score,
    h.likelihood_of_reoffending_improvement,
    (SELECT score FROM section_scores s WHERE s.report_id = r.report_id AND s.section = 1)
        AS section_1_score,
    (SELECT score FROM section_scores s WHERE s.report_id = r.report_id AND s.section = 2)
        AS section_2_score,
    (SELECT score FROM section_scores s WHERE s.report_id = r.report_id AND s.section = 3)
        AS section_3_score,
    (SELECT count(*) FROM findings f WHERE f.report_id = r.report_id AND f.kind = 'strength')
        AS strengths,
    (SELECT count(*) FROM findings f WHERE f.report_id = r.report_id AND f.kind = 'improvement')
        AS improvements,
    (SELECT count(*) FROM recommendations x WHERE x.report_id = r.report_id) AS recommendations,
    (SELECT count(*) FROM good_practice x WHERE x.report_id = r.report_id)   AS good_practice,
    r.pages,
    r.file_name,
    r.parser_version,
    r.ingested_at,
    r.area_key,
    r.service_name,
    r.overall_rating,
    r.rating_score,
    r.rating_score_max,
    r.template IN ('hmip-generic', 'yjs-2025') AS generic_layer,
    r.publication,
    r.source_kind,
    (SELECT count(*) FROM passages p WHERE p.report_id = r.report_id) AS passages
FROM reports r
LEFT JOIN v_headline h    ON h.report_id = r.report_id
LEFT JOIN area_context ac ON ac.report_id = r.report_id;

-- The three things both frameworks measure, side by side: helping the child desist from
-- offending, keeping the child safe, keeping other people safe. focus is 'desistance',
-- 'child_safety' or 'others_safety'; value is a percent. CCI reports give their headline
-- scores (measure 'cci_headline_score': Likelihood of Reoffending, Safeguarding, Risk of Harm
-- to others); 2018+ reports give the % 'Yes' of each key question of standards 2.1-2.4 and
-- 3.1-3.3 (measure '<court|out_of_court>_<assessment|planning|implementation_and_delivery|
-- reviewing>', question_id e.g. '2.1.1'), classified by the question's own wording. The two
-- frameworks score differently (docs/schema.md): compare within a measure, not across them.
CREATE OR REPLACE VIEW v_focus_scores AS
WITH cci AS (
    SELECT
        h.report_id,
        CASE h.domain WHEN 'likelihood_of_reoffending' THEN 'desistance'
                      WHEN 'safeguarding' THEN 'child_safety'
                      WHEN 'risk_of_harm' THEN 'others_safety' END AS focus,
        'cci_headline_score'                                     AS measure,
        h.score                                                  AS value,
        NULL::VARCHAR                                            AS question_id,
        h.page
    FROM headline_scores h
),
key_questions AS (
    SELECT
        q.report_id,
        CASE WHEN q.text ILIKE '%desistance%' THEN 'desistance'
             WHEN q.text ILIKE '%child safe%' OR q.text ILIKE '%safety of the child%'
                 THEN 'child_safety'
             WHEN q.text ILIKE '%other people%' THEN 'others_safety' END AS focus,
        CASE split_part(q.standard, '.', 1) WHEN '2' THEN 'court_' WHEN '3' THEN 'out_of_court_'
        END || CASE split_part(q.standard, '.', 2)
                   WHEN '1' THEN 'assessment' WHEN '2' THEN 'planning'
                   WHEN '3' THEN 'implementation_and_delivery' WHEN '4' THEN 'reviewing' END
                                                                 AS measure,
        coalesce(q.percent_yes, q.body_percent)                  AS value,
        q.question_id,
        q.page
    FROM inspection_questions q
    WHERE q.parent_id IS NULL
      AND q.standard IN ('2.1', '2.2', '2.3', '2.4', '3.1', '3.2', '3.3')
)
SELECT r.report_id, r.area, r.year, r.template, x.focus, x.measure, x.value,
       r.area_key, x.question_id, x.page
FROM (SELECT * FROM cci UNION ALL SELECT * FROM key_questions) x
JOIN reports r ON r.report_id = x.report_id
WHERE x.focus IS NOT NULL AND x.measure IS NOT NULL;
