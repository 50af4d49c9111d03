-- Core tables of the findings database: one row per fact read from a report.
-- Every row carries report_id (= sha256 of the PDF bytes) and the physical 1-based page it was
-- read from. Applied by load.db.apply_schema(); safe to run again (IF NOT EXISTS everywhere).
-- Documented column by column in docs/schema.md.

CREATE TABLE IF NOT EXISTS schema_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per loaded report (per distinct PDF bytes).
CREATE TABLE IF NOT EXISTS reports (
    report_id            VARCHAR PRIMARY KEY,   -- sha256 of the PDF bytes
    file_name            VARCHAR NOT NULL,      -- file name the report was first loaded from
    source_path          VARCHAR NOT NULL,      -- full path it was first loaded from
    size_bytes           BIGINT,
    pages                INTEGER,
    template             VARCHAR NOT NULL,      -- which report template parsed it, e.g. 'cci-2009'
    title                VARCHAR,
    area                 VARCHAR,
    year                 INTEGER,
    isbn                 VARCHAR,
    chief_inspector      VARCHAR,
    published_month      DATE,                  -- the foreword's month, first day of month
    fieldwork_month      DATE,                  -- month of the inspection fieldwork
    lead_inspector       VARCHAR,
    title_page           INTEGER,
    area_page            INTEGER,
    year_page            INTEGER,
    isbn_page            INTEGER,
    chief_inspector_page INTEGER,
    published_month_page INTEGER,
    fieldwork_month_page INTEGER,
    lead_inspector_page  INTEGER,
    parser_version       VARCHAR NOT NULL,
    warnings             VARCHAR[],             -- parser notes (values it could not read)
    ingested_at          TIMESTAMP NOT NULL,
    -- normalise_area(area) (sql/functions.sql): joins one area across frameworks and spellings
    area_key             VARCHAR,
    -- the 2018+ framework (template 'yjs-2018'); NULL for CCI reports
    service_name         VARCHAR,               -- 'Bedford Youth Offending Service'
    overall_rating       VARCHAR,               -- as printed: 'Outstanding' .. 'Inadequate'
    rating_score         INTEGER,               -- 'Score 24/36' -> 24
    rating_score_max     INTEGER,               -- -> 36
    court_cases          INTEGER,               -- court disposal cases inspected
    out_of_court_cases   INTEGER,               -- out-of-court disposal cases inspected
    service_name_page    INTEGER,
    overall_rating_page  INTEGER,
    -- where it was read from, and the generic layer's kind of publication (issue 18)
    source_kind          VARCHAR DEFAULT 'pdf',  -- 'pdf' | 'html' (a web page: pages are NULL)
    publication          VARCHAR                -- 'probation delivery unit inspection', ...
);

-- The three headline scores with the national context table.
CREATE TABLE IF NOT EXISTS headline_scores (
    report_id        VARCHAR NOT NULL,
    domain           VARCHAR NOT NULL
        CHECK (domain IN ('safeguarding', 'risk_of_harm', 'likelihood_of_reoffending')),
    score            INTEGER,                    -- percent
    improvement      VARCHAR
        CHECK (improvement IN ('minimum', 'moderate', 'substantial', 'drastic')),
    national_lowest  INTEGER,
    national_highest INTEGER,
    national_average INTEGER,
    page             INTEGER,
    PRIMARY KEY (report_id, domain)
);

-- "OVERALL SCORE for quality of ... work" per section (1..3).
CREATE TABLE IF NOT EXISTS section_scores (
    report_id VARCHAR NOT NULL,
    section   INTEGER NOT NULL,
    title     VARCHAR,
    score     INTEGER,
    page      INTEGER,
    PRIMARY KEY (report_id, section)
);

-- One row per criterion ("1.1" .. "3.2") with its score and improvement level.
CREATE TABLE IF NOT EXISTS criterion_scores (
    report_id         VARCHAR NOT NULL,
    criterion         VARCHAR NOT NULL,
    section           INTEGER NOT NULL,
    title             VARCHAR,
    general_criterion VARCHAR,
    score             INTEGER,
    improvement       VARCHAR
        CHECK (improvement IN ('minimum', 'moderate', 'substantial', 'drastic')),
    page              INTEGER,
    PRIMARY KEY (report_id, criterion)
);

-- Numbered Strengths and Areas for improvement under each criterion.
CREATE TABLE IF NOT EXISTS findings (
    finding_id VARCHAR PRIMARY KEY,              -- transform.model.finding_id()
    report_id  VARCHAR NOT NULL,
    criterion  VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('strength', 'improvement')),
    seq        INTEGER NOT NULL,                 -- the item's own number in the report
    text       VARCHAR NOT NULL,
    page       INTEGER,                          -- page the item starts on (NULL: web page)
    boxes      JSON                              -- [{page, x0, top, x1, bottom}, ...]
);

CREATE TABLE IF NOT EXISTS recommendations (
    recommendation_id VARCHAR PRIMARY KEY,
    report_id         VARCHAR NOT NULL,
    seq               INTEGER NOT NULL,
    text              VARCHAR NOT NULL,
    responsible       VARCHAR,
    page              INTEGER,                   -- NULL for a web page
    boxes             JSON
);

CREATE TABLE IF NOT EXISTS good_practice (
    good_practice_id VARCHAR PRIMARY KEY,
    report_id        VARCHAR NOT NULL,
    seq              INTEGER NOT NULL,           -- 1-based position in the good-practice table
    section_title    VARCHAR,
    criterion        VARCHAR,
    text             VARCHAR NOT NULL,
    page             INTEGER,                    -- NULL for a web page
    boxes            JSON
);

-- One row per point of a respondent group; a group with no points is one row with NULL seq/text.
CREATE TABLE IF NOT EXISTS service_user_feedback (
    report_id        VARCHAR NOT NULL,
    respondent_group VARCHAR NOT NULL
        CHECK (respondent_group IN ('children_and_young_people', 'victims')),
    respondents      INTEGER,
    seq              INTEGER,
    text             VARCHAR,
    page             INTEGER
);

CREATE TABLE IF NOT EXISTS area_context (
    report_id                  VARCHAR PRIMARY KEY,
    region                     VARCHAR,
    population                 INTEGER,
    census_year                INTEGER,
    pct_aged_10_17             DOUBLE,
    pct_aged_10_17_national    DOUBLE,
    pct_bme                    DOUBLE,
    pct_bme_national           DOUBLE,
    pct_white_british          DOUBLE,
    offences_per_1000          INTEGER,
    offences_per_1000_national INTEGER,
    yjb_score                  INTEGER,
    yjb_max                    INTEGER,
    yjb_judgement              VARCHAR,
    yjb_judgement_date         VARCHAR,
    page                       INTEGER
);

CREATE TABLE IF NOT EXISTS glossary (
    report_id  VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,
    definition VARCHAR,
    page       INTEGER
);

-- ---- the 2018+ framework (template 'yjs-2018'): ratings, questions, contextual facts

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
    page         INTEGER,                        -- NULL for a web page
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
    page             INTEGER,                    -- NULL for a web page
    PRIMARY KEY (report_id, seq)
);

-- ---- the generic HMI Probation layer (templates 'hmip-generic', 'yjs-2025')

-- The whole body of a report no template reads field by field, block by block: section is
-- the heading path (' > '-joined), page NULL for a web page.
CREATE TABLE IF NOT EXISTS passages (
    passage_id VARCHAR PRIMARY KEY,              -- <16 hex of report_id>:P<seq>
    report_id  VARCHAR NOT NULL,
    section    VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('heading', 'paragraph', 'list_item', 'table_row')),
    seq        INTEGER NOT NULL,                 -- order in the report
    text       VARCHAR NOT NULL,
    page       INTEGER
);

-- Every rating a report states by name, besides its overall rating (reports.overall_rating):
-- "the quality of work with victims" 'Good'. No code or score is made up for it.
CREATE TABLE IF NOT EXISTS report_ratings (
    report_id VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    name      VARCHAR NOT NULL,                  -- as the report names it
    rating    VARCHAR NOT NULL CHECK (rating IN ('Outstanding', 'Good', 'Requires improvement',
                                                 'Inadequate')),
    section   VARCHAR,                           -- heading path where it is stated
    page      INTEGER,
    PRIMARY KEY (report_id, seq)
);

-- Every path seen for the same bytes (a report loaded once, all its names kept).
-- reader: 'pdfium' or 'pdfplumber' read the path's bytes (NULL: this path was never read,
-- e.g. the same bytes were loaded from another path); reader_fallback: why pdfium did not.
CREATE TABLE IF NOT EXISTS report_files (
    sha256          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    first_seen      TIMESTAMP NOT NULL,
    reader          VARCHAR,
    reader_fallback VARCHAR,
    PRIMARY KEY (sha256, path)
);

-- Files that could not be loaded, with a reason code and a sentence; latest attempt per path.
-- reader / reader_fallback as in report_files (NULL when the file was refused unread).
CREATE TABLE IF NOT EXISTS rejected_files (
    sha256          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    detail          VARCHAR,
    seen_at         TIMESTAMP NOT NULL,
    reader          VARCHAR,
    reader_fallback VARCHAR,
    PRIMARY KEY (sha256, path)
);

-- A corrected re-publication (same ISBN, different bytes) replaced an older report.
CREATE TABLE IF NOT EXISTS report_replacements (
    old_report_id VARCHAR NOT NULL,
    new_report_id VARCHAR NOT NULL,
    isbn          VARCHAR NOT NULL,
    old_path      VARCHAR,
    new_path      VARCHAR,
    replaced_at   TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id         VARCHAR PRIMARY KEY,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP,
    loaded         INTEGER,
    skipped        INTEGER,
    rejected       INTEGER,
    replaced       INTEGER,
    files_seen     INTEGER,
    workers        INTEGER,
    parser_version VARCHAR,
    paths          VARCHAR[],                    -- the paths the run was asked to ingest
    flow_run_id    VARCHAR                       -- Prefect flow run id, when run as a flow
);
