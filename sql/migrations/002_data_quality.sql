-- Schema version 1 -> 2: per-report data-quality checks (sql/quality.sql has the same table
-- for new databases). Adds a table; changes no existing row.
CREATE TABLE IF NOT EXISTS data_quality (
    report_id  VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    passed     BOOLEAN NOT NULL,
    detail     VARCHAR,
    checked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, check_name)
);
