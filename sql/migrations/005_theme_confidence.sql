-- Schema version 4 -> 5: every theme tag gets a confidence and its evidence (issue 17: themes
-- from a learned model). Rows tagged before have no confidence (NULL counts as passing every
-- --min-confidence); load/migrate.py then gives them their rule match as evidence.
-- `findings retag` re-tags them with the model. sql/nlp.sql recreates the views with the new
-- columns (and creates the table, with them, in a database that had no NLP tables yet).
ALTER TABLE IF EXISTS text_themes ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE IF EXISTS text_themes ADD COLUMN IF NOT EXISTS evidence VARCHAR;
