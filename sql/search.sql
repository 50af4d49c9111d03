-- Full-text search: an index kept in the database, ranked by BM25 computed in plain SQL.
--
-- Nothing here needs DuckDB's fts extension (it is downloaded at run time). The index is written
-- by load/search_index.py in the same transaction as a report's rows, and rebuilt by
-- `findings retag`; word forms are joined by a stemmer there (Porter's algorithm), and every word
-- seen is kept with its stem in search_vocabulary so SQL can stem a query the same way.
--
--   SELECT * FROM search('victims "management oversight"') LIMIT 10;     -- ranked, with citation
--   SELECT * FROM search_rank([['victim'], ['manag', 'oversight']]);     -- stems given directly

-- One row per searchable text (every row of v_search_texts).
CREATE TABLE IF NOT EXISTS search_documents (
    source     VARCHAR NOT NULL,   -- finding | recommendation | good_practice | service_users |
                                   -- passage (a generic report's body)
    source_id  VARCHAR NOT NULL,   -- finding_id, recommendation_id, good_practice_id, or
                                   -- <16 hex of report_id>:U<C|V><seq> for a service users' point
    report_id  VARCHAR NOT NULL,
    length     INTEGER NOT NULL    -- words in the text (BM25 length normalisation)
);

-- One row per word of every text: its stem and 0-based position (phrases need positions).
CREATE TABLE IF NOT EXISTS search_postings (
    source_id  VARCHAR NOT NULL,
    report_id  VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,   -- stem, e.g. 'victim' for "Victims", 'exploit' for "exploitation"
    pos        INTEGER NOT NULL
);

-- Every lower-cased word seen in a text, with its stem (shared by all reports).
CREATE TABLE IF NOT EXISTS search_vocabulary (
    word       VARCHAR NOT NULL,
    term       VARCHAR NOT NULL
);

-- Every searchable text (what the index is built from). Texts come from the shared tables, so
-- any report family whose findings and recommendations land in them is searchable.
CREATE OR REPLACE VIEW v_search_sources AS
    SELECT 'finding' AS source, finding_id AS source_id, report_id, criterion, kind, seq, text,
           page
    FROM findings
    UNION ALL
    SELECT 'recommendation', recommendation_id, report_id, NULL, NULL, seq, text, page
    FROM recommendations
    UNION ALL
    SELECT 'good_practice', good_practice_id, report_id, criterion, NULL, seq, text, page
    FROM good_practice
    UNION ALL
    SELECT 'service_users',
           left(report_id, 16) || ':U'
               || CASE respondent_group WHEN 'victims' THEN 'V' ELSE 'C' END || seq,
           report_id, NULL, respondent_group, seq, text, page
    FROM service_user_feedback
    WHERE text IS NOT NULL
    UNION ALL
    SELECT 'passage', passage_id, report_id, section, kind, seq, text, page
    FROM passages
    WHERE kind <> 'heading';

-- Every searchable text with its citation.
CREATE OR REPLACE VIEW v_search_texts AS
SELECT t.source, t.source_id, t.report_id, r.area, r.year, r.template, c.region, t.criterion,
       t.kind, t.seq, t.text, t.page, r.file_name
FROM v_search_sources t
JOIN reports r USING (report_id)
LEFT JOIN area_context c USING (report_id);

-- Words a query drops unless they are inside a quoted phrase (too common to rank by).
CREATE OR REPLACE MACRO search_stopwords() AS [
    'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'have', 'in', 'is',
    'it', 'its', 'of', 'on', 'or', 'that', 'the', 'their', 'there', 'these', 'this', 'to', 'was',
    'were', 'which', 'with'
];

-- BM25 over the index. `units` is a list of query units, each a list of stems: one stem is a
-- word, several are a phrase (consecutive words in that order). A unit's term frequency is how
-- often it occurs in a text, its document frequency how many texts contain it. Returns one row
-- per text matching at least one unit: `matched` units and the BM25 `score` (k1 = 1.2,
-- b = 0.75). Order by matched DESC, score DESC to put texts with every unit first.
CREATE OR REPLACE MACRO search_rank(units, k1 := 1.2, b := 0.75) AS TABLE
WITH unit_list AS (
    SELECT unnest(units) AS unit, generate_subscripts(units, 1) AS unit_no
),
parts AS (
    SELECT unit_no, len(unit) AS width, unnest(unit) AS term, generate_subscripts(unit, 1) AS i
    FROM unit_list
),
occurrences AS (   -- where each unit starts in each text
    SELECT p.source_id, parts.unit_no, p.pos - parts.i AS start
    FROM search_postings p
    JOIN parts ON p.term = parts.term
    GROUP BY p.source_id, parts.unit_no, p.pos - parts.i
    HAVING count(DISTINCT parts.i) = max(parts.width)
),
tf AS (
    SELECT source_id, unit_no, count(*) AS tf FROM occurrences GROUP BY ALL
),
df AS (
    SELECT unit_no, count(*) AS df FROM tf GROUP BY unit_no
),
stats AS (
    SELECT count(*) AS n, avg(length) AS avgdl FROM search_documents
)
SELECT d.source, d.source_id, d.report_id,
       count(*) AS matched,
       sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
           * tf.tf * (k1 + 1) / (tf.tf + k1 * (1 - b + b * d.length / stats.avgdl))) AS score
FROM tf
JOIN df USING (unit_no)
JOIN search_documents d USING (source_id)
CROSS JOIN stats
GROUP BY d.source, d.source_id, d.report_id;

-- A query string as units of stems, the way `findings search` reads it: "quoted words" are one
-- phrase unit, other words one unit each (stop words dropped); each word is looked up in
-- search_vocabulary (a word no text contains stays as written, and so matches nothing).
CREATE OR REPLACE MACRO search_units(q) AS (
    WITH tokens AS (
        SELECT unnest(regexp_extract_all(q, '"[^"]*"|[^\s"]+')) AS token,
               generate_subscripts(regexp_extract_all(q, '"[^"]*"|[^\s"]+'), 1) AS unit_no
    ),
    words AS (
        SELECT unit_no, starts_with(token, '"') AS phrase,
               unnest(regexp_extract_all(
                   replace(lower(token), '’', ''''), '[\p{L}\p{N}]+(?:''[\p{L}\p{N}]+)*')) AS word,
               generate_subscripts(regexp_extract_all(
                   replace(lower(token), '’', ''''), '[\p{L}\p{N}]+(?:''[\p{L}\p{N}]+)*'), 1) AS i
        FROM tokens
    ),
    stems AS (
        SELECT w.unit_no, w.i, w.phrase, w.word, coalesce(v.term, w.word) AS term
        FROM words w
        LEFT JOIN search_vocabulary v USING (word)
    ),
    units AS (
        SELECT unit_no, list(term ORDER BY i) AS unit
        FROM stems
        WHERE phrase OR NOT list_contains(search_stopwords(), word)
        GROUP BY unit_no
    )
    SELECT coalesce(list(unit ORDER BY unit_no), []) FROM units
);

-- Search from SQL: every matching text with its citation, best first.
--   SELECT area, year, source, score, text FROM search('county lines') LIMIT 5;
CREATE OR REPLACE MACRO search(q) AS TABLE
SELECT t.*, r.matched, r.score
FROM search_rank(search_units(q)) r
JOIN v_search_texts t USING (source, source_id)
ORDER BY r.matched DESC, r.score DESC, t.report_id, t.source_id;
