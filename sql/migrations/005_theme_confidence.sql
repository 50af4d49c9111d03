-- Schema version 4 -> 5: every theme tag gets a confidence and its evidence (issue 17: themes
-- from a learned model). Rows tagged before have no confidence (NULL counts as passing every
-- --min-confidence); their evidence is the rule match that made them. `findings retag`
-- re-tags them with the model. sql/nlp.sql then recreates the views with the new columns.
ALTER TABLE text_themes ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE text_themes ADD COLUMN IF NOT EXISTS evidence VARCHAR;
UPDATE text_themes SET evidence = 'rule: "' || matched_text || '"' WHERE evidence IS NULL;
