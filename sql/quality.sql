-- Data-quality checks per loaded report (transform/quality.py): one row per check and report.
-- A report that fails a check is still loaded, flagged here, never silently. Applied by
-- load.db.apply_schema() after schema.sql; safe to run again.

CREATE TABLE IF NOT EXISTS data_quality (
    report_id  VARCHAR NOT NULL,             -- sha256 of the PDF bytes
    check_name VARCHAR NOT NULL,             -- e.g. 'foreword_matches_scoring'
    passed     BOOLEAN NOT NULL,
    detail     VARCHAR,                      -- what was compared, in a sentence
    checked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, check_name)
);

-- Reports with at least one failed check, the failures spelled out (`findings status` shows it).
CREATE OR REPLACE VIEW flagged_reports AS
SELECT
    r.report_id,
    r.file_name,
    r.area,
    r.year,
    count(*)                                             AS failed_checks,
    list(q.check_name ORDER BY q.check_name)             AS failed,
    string_agg(q.check_name || ': ' || coalesce(q.detail, ''), ' | ' ORDER BY q.check_name)
                                                         AS details
FROM reports r
JOIN data_quality q USING (report_id)
WHERE NOT q.passed
GROUP BY r.report_id, r.file_name, r.area, r.year;
