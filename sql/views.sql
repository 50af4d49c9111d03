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

-- Every finding with where it came from and how the area scored.
CREATE OR REPLACE VIEW v_findings AS
SELECT
    f.finding_id,
    f.report_id,
    r.area,
    r.year,
    ac.region,
    f.criterion,
    c.title        AS criterion_title,
    c.section,
    s.title        AS section_title,
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
    r.file_name
FROM findings f
JOIN reports r               ON r.report_id = f.report_id
LEFT JOIN criterion_scores c ON c.report_id = f.report_id AND c.criterion = f.criterion
LEFT JOIN section_scores s   ON s.report_id = f.report_id AND s.section = c.section
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
    r.ingested_at
FROM reports r
LEFT JOIN v_headline h    ON h.report_id = r.report_id
LEFT JOIN area_context ac ON ac.report_id = r.report_id;
