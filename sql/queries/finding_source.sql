-- Where one finding came from: its report's file (path and sha256), area, year, criterion
-- (CCI) or standard (2018+, as `template` says), kind, number, page and the boxes it occupies
-- on the page(s), for checking it in the PDF (a web page: source_kind 'html', no page or boxes).
-- @param finding_id VARCHAR: the finding's id (findings.finding_id), e.g. 2fab52fc1b8178fd:1.1:I3
SELECT
    f.finding_id,
    f.report_id,
    r.source_path,
    r.file_name,
    r.area,
    r.year,
    f.criterion,
    f.kind,
    f.seq,
    f.page,
    f.boxes,
    f.text,
    r.template,
    r.source_kind
FROM findings f
JOIN reports r ON r.report_id = f.report_id
WHERE f.finding_id = $finding_id;
