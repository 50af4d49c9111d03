-- Schema version 2 -> 3: the 2018+ inspection framework (issue 10). Adds the new columns of
-- `reports` (NULL for the CCI reports already loaded), backfills `area_key` from `area` with
-- normalise_area() (sql/functions.sql, created before any migration runs), and adds the tables
-- standard_ratings, inspection_questions and context_facts (sql/schema.sql has the same
-- definitions for new databases). Changes no value already stored.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS area_key VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS service_name VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS overall_rating VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS rating_score INTEGER;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS rating_score_max INTEGER;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS court_cases INTEGER;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS out_of_court_cases INTEGER;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS service_name_page INTEGER;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS overall_rating_page INTEGER;

UPDATE reports SET area_key = normalise_area(area) WHERE area_key IS NULL;

-- One row per rated standard ("2.1 Assessment: Good"). rating is read from the Ratings table;
-- section_rating is the "Rating:" printed in the standard's own section (checks compare them).
CREATE TABLE IF NOT EXISTS standard_ratings (
    report_id      VARCHAR NOT NULL,
    code           VARCHAR NOT NULL,             -- '1.1' .. '4.1'
    title          VARCHAR,
    domain         VARCHAR NOT NULL CHECK (domain IN ('organisational_delivery', 'court_disposals',
                                                      'out_of_court_disposals', 'resettlement',
                                                      'other')),
    rating         VARCHAR CHECK (rating IN ('Outstanding', 'Good', 'Requires improvement',
                                             'Inadequate')),
    in_score       BOOLEAN NOT NULL,             -- counted in the score (4.1 is not)
    page           INTEGER,                      -- page of the Ratings table
    statement      VARCHAR,                      -- the standard's own sentence
    section_rating VARCHAR CHECK (section_rating IN ('Outstanding', 'Good',
                                                     'Requires improvement', 'Inadequate')),
    section_page   INTEGER,                      -- page the standard's section starts on
    PRIMARY KEY (report_id, code)
);

-- Key questions ('2.1.1', parent_id NULL) and annex sub-questions ('2.1.1a') with % 'Yes'.
CREATE TABLE IF NOT EXISTS inspection_questions (
    report_id    VARCHAR NOT NULL,
    question_id  VARCHAR NOT NULL,
    parent_id    VARCHAR,                        -- the key question of a sub-question
    standard     VARCHAR NOT NULL,               -- '2.1'
    text         VARCHAR NOT NULL,               -- without number or letter
    percent_yes  INTEGER,                        -- annex figure where the report has one
    page         INTEGER NOT NULL,
    body_percent INTEGER,                        -- key questions: the standard's own table
    PRIMARY KEY (report_id, question_id)
);

-- Contextual facts about the area, with the England and Wales figure where one is printed.
CREATE TABLE IF NOT EXISTS context_facts (
    report_id        VARCHAR NOT NULL,
    seq              INTEGER NOT NULL,           -- 1-based order in the report
    label            VARCHAR NOT NULL,
    value            DOUBLE,
    comparator_label VARCHAR,                    -- 'England and Wales'
    comparator_value DOUBLE,
    unit             VARCHAR,                    -- '%' or NULL (a count or a rate)
    page             INTEGER NOT NULL,
    PRIMARY KEY (report_id, seq)
);
