-- Schema version 3 -> 4: the full-text search index (issue 12). Adds the index tables
-- (sql/search.sql has the same definitions, its view and its macros, for new databases); then
-- load/migrate.py indexes every text already loaded, in the same transaction. Changes no row
-- already stored.
CREATE TABLE IF NOT EXISTS search_documents (
    source     VARCHAR NOT NULL,
    source_id  VARCHAR NOT NULL,
    report_id  VARCHAR NOT NULL,
    length     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS search_postings (
    source_id  VARCHAR NOT NULL,
    report_id  VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,
    pos        INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS search_vocabulary (
    word       VARCHAR NOT NULL,
    term       VARCHAR NOT NULL
);
