-- Schema version 5 -> 6: which reader produced a file's values, and why pdfium did not
-- (issue 19). New columns only; files recorded before stay NULL (not known).
ALTER TABLE report_files ADD COLUMN IF NOT EXISTS reader VARCHAR;
ALTER TABLE report_files ADD COLUMN IF NOT EXISTS reader_fallback VARCHAR;
ALTER TABLE rejected_files ADD COLUMN IF NOT EXISTS reader VARCHAR;
ALTER TABLE rejected_files ADD COLUMN IF NOT EXISTS reader_fallback VARCHAR;
