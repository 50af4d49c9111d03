-- Schema version 6 -> 7: web pages and the generic HMI Probation layer (issue 18).
-- reports learns where a report was read from (source_kind: 'pdf' or 'html') and the kind of
-- publication (generic layer); a web page has no physical pages, so the page columns of the
-- texts become nullable; passages (the whole body of a generic report) and report_ratings
-- (ratings a report states by name) are new (sql/schema.sql has the same definitions for new
-- databases). load/migrate.py then lets the NLP tables take source 'passage' (their CHECK
-- cannot be altered in place: each is recreated with its rows, keeping every column it has).
-- Changes no value already stored.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS source_kind VARCHAR DEFAULT 'pdf';
ALTER TABLE reports ADD COLUMN IF NOT EXISTS publication VARCHAR;
UPDATE reports SET source_kind = 'pdf' WHERE source_kind IS NULL;

ALTER TABLE findings ALTER COLUMN page DROP NOT NULL;
ALTER TABLE recommendations ALTER COLUMN page DROP NOT NULL;
ALTER TABLE good_practice ALTER COLUMN page DROP NOT NULL;
ALTER TABLE inspection_questions ALTER COLUMN page DROP NOT NULL;
ALTER TABLE context_facts ALTER COLUMN page DROP NOT NULL;

CREATE TABLE IF NOT EXISTS passages (
    passage_id VARCHAR PRIMARY KEY,
    report_id  VARCHAR NOT NULL,
    section    VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('heading', 'paragraph', 'list_item', 'table_row')),
    seq        INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    page       INTEGER
);

CREATE TABLE IF NOT EXISTS report_ratings (
    report_id VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    name      VARCHAR NOT NULL,
    rating    VARCHAR NOT NULL CHECK (rating IN ('Outstanding', 'Good', 'Requires improvement',
                                                 'Inadequate')),
    section   VARCHAR,
    page      INTEGER,
    PRIMARY KEY (report_id, seq)
);
