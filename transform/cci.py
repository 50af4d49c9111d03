"""Core Case Inspection (2009-2012 programme) report: Document -> Report.

Structure is read from the report's own words and their order ("Strengths:", "(n)",
"Score: Comment:", "OVERALL SCORE for quality of ... work: 61%", "General Criterion:"), not
from positions or fonts, so the same parser holds for PDFs laid out by different tools.
Ruled tables are used where drawn, with a text fallback where the rules are missing.
"""

from __future__ import annotations

import re

from extract.document import Cell, Document
from transform.columns import text_table_rows
from transform.model import (
    AreaContext,
    Box,
    Criterion,
    Finding,
    GoodPractice,
    HeadlineScore,
    Recommendation,
    Report,
    Section,
    ServiceUserGroup,
    SourceFile,
)
from transform.numbers import leading_number
from transform.reading import (
    BULLETS,
    Reader,
    TextLine,
    glossary_entries,
    month,
    numbered_items,
    read_parts,
)
from transform.version import PARSER_VERSION

TEMPLATE_ID = "cci-2009"

_LEVEL = re.compile(r"\b(MINIMUM|MODERATE|SUBSTANTIAL|DRASTIC)\b")
_PCT = re.compile(r"(\d{1,3})\s*%")
_ITEM = re.compile(r"^\((\d{1,2})\)\s*(.*)$")
# "1. ASSESSMENT AND SENTENCE PLANNING" (or in title case): a short numbered heading line
_SECTION_HEAD = re.compile(
    r"^([1-9])(?:\.\s+([A-Z][A-Za-z ,&'/\-]{3,60})|\.?\s+([A-Z][A-Z ,&'/\-]{3,60}))$"
)
_CRITERION_HEAD = re.compile(r"^([1-9]\.[1-9])\.?\s+(\S.*)$")
_GENERAL = re.compile(r"^General\s+Criterion\s*:?\s*(.*)$", re.IGNORECASE)
_SCORE_HEAD = re.compile(r"^Score\s*:?\s*(Comment\s*:?)?\s*$", re.IGNORECASE)
_OVERALL = re.compile(r"^OVERALL\s+SCORE\b", re.IGNORECASE)
_COMMENTARY = re.compile(r"^COMMENTARY\b")
_STRENGTHS = re.compile(r"^Strengths\s*:?\s*$", re.IGNORECASE)
_IMPROVEMENTS = re.compile(r"^Areas\s+for\s+improvement\s*:?\s*$", re.IGNORECASE)
_EW = r"England\s*(?:/|and)\s*Wales"  # "England/Wales" (may wrap at the slash)
_APPENDIX = re.compile(r"^Appendix\s+(\d+[a-z]?)\b", re.IGNORECASE)


def _improvement(text: str) -> str | None:
    match = _LEVEL.search(text)
    return match.group(1).lower() if match else None


# ----------------------------------------------------------------------------- metadata
def _parse_cover(r: Reader, report: Report) -> None:
    first = r.document.pages[0].number
    cover = [tl for tl in r.lines if tl.page == first]
    texts = [tl.text for tl in cover]
    marker = next((i for i, t in enumerate(texts) if re.match(r"^Report on\b", t, re.I)), -1)
    if marker > 0:
        report.title = r.join(texts[:marker])
        report.field_pages["title"] = first
    isbn_at = next((i for i, t in enumerate(texts) if "ISBN" in t.upper()), -1)
    if marker >= 0:
        stop = isbn_at if isbn_at > marker else min(len(texts), marker + 3)
        area = r.join(texts[marker + 1 : stop])
        if ":" in texts[marker] and not texts[marker].rstrip().endswith(":"):
            area = texts[marker].split(":", 1)[1].strip() or area
        report.area = area or None
        report.field_pages["area"] = first
    if isbn_at >= 0:
        match = re.search(r"ISBN[:\s]*([\dXx][\d\-\u2010 Xx]{8,}[\dXx])", texts[isbn_at])
        if match:
            report.isbn = re.sub(r"[\u2010 ]", "-", match.group(1)).strip("-")
            report.field_pages["isbn"] = first
    for t in texts[isbn_at + 1 if isbn_at >= 0 else 0 :]:
        match = re.fullmatch(r"((?:19|20)\d{2})", t)
        if match:
            report.year = int(match.group(1))
            report.field_pages["year"] = first
            break


def _parse_foreword(r: Reader, report: Report) -> None:
    start = r.find(r"^Foreword\b")
    at = r.find(r"\bHM\s+(Assistant\s+)?(Deputy\s+)?Chief\s+Inspector\b", max(start, 0))
    if at < 0:
        r.warnings.append("chief inspector not found")
        return
    name = re.split(r"\s*\bHM\s+(?:Assistant\s+)?(?:Deputy\s+)?Chief\b", r.lines[at].text)[0]
    if not name.strip() and at > 0:
        name = r.lines[at - 1].text
    report.chief_inspector = name.strip() or None
    report.field_pages["chief_inspector"] = r.lines[at].page
    for i in range(at, min(at + 4, len(r.lines))):
        found = month(r.lines[i].text)
        if found:
            report.published_month = found
            report.field_pages["published_month"] = r.lines[i].page
            break


_WELL_ENOUGH = re.compile(r"done\s+well\s+enough\s+(\d{1,3})\s*%\s+of\s+the\s+time", re.I)
_DOMAIN_WORD = re.compile(r"safeguarding|risk\s+of\s+harm|reoffend|likelihood", re.I)


def _parse_foreword_scores(r: Reader, report: Report) -> None:
    """The foreword restates the headline scores in words ("done well enough 64% of the time");
    kept apart from the table's so a data-quality check can compare the two."""
    start = r.find(r"^Foreword\b")
    if start < 0:
        return
    stop = r.find(r"^Acknowledgements\b|^Scoring\b", start + 1)
    block = r.lines[start + 1 : stop if stop > 0 else start + 60]
    text = r.join([tl.text for tl in block])
    previous = 0
    for match in _WELL_ENOUGH.finditer(text):
        words = list(_DOMAIN_WORD.finditer(text, previous, match.start()))
        domain = _domain(words[-1].group(0)) if words else None  # the nearest domain named
        if domain and domain not in report.foreword_scores:
            report.foreword_scores[domain] = int(match.group(1))
            report.field_pages.setdefault("foreword_scores", block[0].page)
        previous = match.end()


def _parse_people(r: Reader, report: Report) -> None:
    at = r.find(r"^Lead\s+Inspector\b")
    if at >= 0:
        name = re.sub(r"^Lead\s+Inspector\s*:?\s*", "", r.lines[at].text).strip()
        report.lead_inspector = name or None
        report.field_pages["lead_inspector"] = r.lines[at].page
    at = r.find(r"Fieldwork for this inspection was")
    if at >= 0:
        text = r.join([tl.text for tl in r.lines[at : at + 2]])
        report.fieldwork_month = month(text.split("undertaken", 1)[-1])
        report.field_pages["fieldwork_month"] = r.lines[at].page


# ----------------------------------------------------------------------------- headline scores
def _domain(label: str) -> str | None:
    low = label.lower()
    if "likelihood" in low or "reoffend" in low:
        return "likelihood_of_reoffending"
    if "risk of harm" in low:
        return "risk_of_harm"
    if "safeguarding" in low:
        return "safeguarding"
    return None


def _national_rows(r: Reader) -> dict[str, tuple[int, int, int]]:
    """Lowest / highest / average per domain from the foreword table (ruled or not)."""
    found: dict[str, tuple[int, int, int]] = {}
    start = max(r.find(r"^Foreword\b"), 0)
    end = r.find(r"^Acknowledgements\b|^Scoring\b", start + 1)
    pages = sorted({tl.page for tl in r.lines[start : end if end > 0 else start + 80]})
    for page in r.document.pages:
        if page.number not in pages:
            continue
        for table in page.tables:
            for row in table.rows:
                cells = [c for c in row if c is not None]
                values = [int(m) for c in cells for m in _PCT.findall(c.text)]
                label = " ".join(c.text for c in cells if not _PCT.search(c.text))
                domain = _domain(label)
                if domain and len(values) >= 3 and domain not in found:
                    found[domain] = (values[0], values[1], values[2])
    if len(found) < 3:  # text fallback: a line with a domain label and 3-4 percentages
        for tl in r.lines[start : end if end > 0 else start + 80]:
            values = [int(v) for v in _PCT.findall(tl.text)]
            domain = _domain(tl.text)
            if domain and len(values) >= 3 and domain not in found:
                found[domain] = (values[0], values[1], values[2])
    return found


def _parse_headline(r: Reader, report: Report) -> None:
    start = r.find(r"^Scoring\b")
    if start < 0:
        start = r.find(r"score\s*:\s*$")
    stop = r.find(r"^Recommendations\b", max(start, 0))
    scores: dict[str, tuple[int, str | None, int]] = {}
    domain: str | None = None
    i = max(start, 0)
    end = stop if stop > 0 else len(r.lines)
    while i < end:
        text = r.lines[i].text
        if re.search(r"\bscore\s*:\s*$", text, re.I) and not _SCORE_HEAD.match(text):
            domain = _domain(text)
        elif _SCORE_HEAD.match(text) and domain and domain not in scores:
            window = r.lines[i + 1 : i + 4]
            joined = " ".join(tl.text for tl in window)
            pct = _PCT.search(joined)
            if pct:
                scores[domain] = (int(pct.group(1)), _improvement(joined), window[0].page)
        i += 1
    national = _national_rows(r)
    for name in ("safeguarding", "risk_of_harm", "likelihood_of_reoffending"):
        score, level, page = scores.get(name, (None, None, None))
        low, high, avg = national.get(name, (None, None, None))
        if score is None:
            r.warnings.append(f"headline score for {name} not found")
        report.headline.append(HeadlineScore(name, score, level, low, high, avg, page))


# ----------------------------------------------------------------------------- recommendations
def _items(lines: list[TextLine]) -> list[tuple[int, list[TextLine]]]:
    """Split lines into "(n)" numbered items; lines before the first item are dropped."""
    return numbered_items(lines, _ITEM)


def _item_text(r: Reader, lines: list[TextLine]) -> str:
    texts = [tl.text for tl in lines]
    texts[0] = _ITEM.match(texts[0]).group(2) if _ITEM.match(texts[0]) else texts[0]
    return r.join(texts)


def _parse_recommendations(r: Reader, report: Report) -> None:
    part = r.part(
        r"^Recommendations\b",
        r"^Next steps\b|^Service users|^Sharing good practice",
        missing="recommendations not found",
    )
    if part is None:
        return
    block = part.lines
    # a short line ending in ':' just before an item ("Furthermore:") is a lead-in, not text
    kept = [
        tl
        for k, tl in enumerate(block)
        if not (
            tl.text.endswith(":")
            and k + 1 < len(block)
            and _ITEM.match(block[k + 1].text)
            and len(tl.text) < 40
        )
    ]
    for seq, lines in _items(kept):
        text = _item_text(r, lines)
        responsible = None
        match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*\.?\s*$", text)
        if match:
            text, responsible = match.group(1).strip(), " ".join(match.group(2).split())
        report.recommendations.append(
            Recommendation(seq, text, responsible, lines[0].page, [tl.box() for tl in lines])
        )


# ----------------------------------------------------------------------------- service users
def _parse_service_users(r: Reader, report: Report) -> None:
    part = r.part(
        r"^Service users",
        r"^Sharing good practice|^[1-9]\.?\s+[A-Z]{4}",
        missing="service users' perspective not found",
    )
    if part is None:
        return
    block = part.lines
    victims_at = next(
        (k for k, tl in enumerate(block) if re.match(r"^Victims?\s*:?$", tl.text, re.I)),
        len(block),
    )
    young = _group(r, "children_and_young_people", block[:victims_at])
    victims = _group(r, "victims", block[victims_at + 1 :])
    report.service_users.extend([young, victims])


def _group(r: Reader, name: str, lines: list[TextLine]) -> ServiceUserGroup:
    group = ServiceUserGroup(name, None, [], lines[0].page if lines else None)
    points: list[list[str]] = []
    for tl in lines:
        text = tl.text
        if text[:1] in BULLETS and text[1:2].isspace():
            points.append([text[1:].strip()])
        elif points:
            points[-1].append(text)
        elif group.respondents is None:
            if re.match(r"^No\b.*\b(questionnaires?|responses?)\b.*\breceived", text, re.I):
                group.respondents = 0
            elif re.search(r"\b(completed|returned|responded)\b", text):
                group.respondents = leading_number(text)
    group.points = [r.join(p) for p in points]
    return group


# ----------------------------------------------------------------------------- good practice
_GP_LABEL = re.compile(r"^(.*?)\s*General\s+Criterion\s*:?\s*([1-9]\.[1-9])\b", re.I)


def _parse_good_practice(r: Reader, report: Report) -> None:
    part = r.part(
        r"^Sharing good practice", _SECTION_HEAD, missing="good practice section not found"
    )
    if part is None:
        return
    # the table's pages: the heading's up to the next section's (the heading's alone if none)
    spanned = [part.heading, *part.lines] if part.next_heading else [part.heading]
    pages = sorted({tl.page for tl in spanned})
    rows: list[tuple[int, list[Cell], list[Cell]]] = []
    for page in r.document.pages:
        if page.number not in pages:
            continue
        for table in page.tables:
            for row in table.rows:
                cells = [c for c in row if c is not None and c.lines]
                if len(cells) < 2:
                    if cells and rows and len(rows[-1][2]):  # a row continued on the next page
                        rows[-1][2].append(cells[-1])
                    continue
                label, body = cells[0], cells[-1]
                if not _GP_LABEL.match(r.join(label.lines)) and rows:
                    rows[-1][2].append(body)
                    continue
                rows.append((page.number, [label], [body]))
    if not rows:
        rows = _good_practice_from_text(r, part.lines)
    for page, labels, bodies in rows:
        label = r.join([t for c in labels for t in c.lines])
        match = _GP_LABEL.match(label)
        area, criterion = (match.group(1).strip(), match.group(2)) if match else (label, None)
        text = r.join([t for c in bodies for t in c.lines])
        boxes = [Box(page, c.x0, c.top, c.x1, c.bottom) for c in bodies]
        report.good_practice.append(GoodPractice(area, criterion, text, page, boxes))


def _good_practice_from_text(r: Reader, block: list[TextLine]) -> list:
    """No ruled table: read label | text rows from the lines (see transform/columns.py)."""
    rows = text_table_rows([(tl.page, tl.line) for tl in block])
    result = []
    for row in rows:
        if not _GP_LABEL.match(r.join(row.left)):
            if result and not row.left:
                result[-1][2][0].lines.extend(row.right)
            continue
        body = Cell(list(row.right), 0, 0, 0, 0)
        if row.boxes:
            first, last = row.boxes[0], row.boxes[-1]
            body = Cell(list(row.right), first.x0, first.top, last.x1, last.bottom)
        result.append((row.page, [Cell(list(row.left), 0, 0, 0, 0)], [body]))
    return result


# ----------------------------------------------------------------------------- criteria
def _parse_criteria(r: Reader, report: Report) -> None:
    start = r.find(_SECTION_HEAD, max(r.find(r"^Sharing good practice"), 0))
    if start < 0:
        r.warnings.append("no criteria sections found")
        return
    stop = r.find(_APPENDIX, start)
    section: Section | None = None
    criterion: Criterion | None = None
    mode = ""
    buffer: list[TextLine] = []
    kind = ""

    def flush() -> None:
        nonlocal buffer
        if criterion is None or not buffer:
            buffer = []
            return
        if mode == "title":
            criterion.title = r.join([tl.text for tl in buffer]).rstrip(":").strip()
        elif mode == "general":
            criterion.general_criterion = r.join([tl.text for tl in buffer])
        elif mode == "item":
            seq = int(_ITEM.match(buffer[0].text).group(1))
            finding = Finding(
                kind, seq, _item_text(r, buffer), buffer[0].page, [tl.box() for tl in buffer]
            )
            (criterion.strengths if kind == "strength" else criterion.improvements).append(finding)
        buffer = []

    lines = r.lines[start : stop if stop > 0 else None]
    i = 0
    while i < len(lines):
        tl = lines[i]
        text = tl.text
        head = _SECTION_HEAD.match(text)
        crit = _CRITERION_HEAD.match(text)
        if head and not crit:
            flush()
            mode, criterion = "", None
            heading = (head.group(2) or head.group(3)).strip()
            section = Section(int(head.group(1)), heading.title(), None, tl.page)
            report.sections.append(section)
        elif crit and section is not None and crit.group(1).startswith(f"{section.n}."):
            flush()
            criterion = Criterion(crit.group(1), section.n, "", "", None, None, tl.page)
            report.criteria.append(criterion)
            mode, buffer = "title", [tl.relabel(crit.group(2))]
            if text.endswith(":"):
                flush()
                mode = ""
        elif _GENERAL.match(text) and criterion is not None:
            flush()
            mode = "general"
            rest = _GENERAL.match(text).group(1)
            if rest:
                buffer = [tl.relabel(rest)]
        elif _SCORE_HEAD.match(text) and criterion is not None:
            flush()
            mode = "score"
        elif mode == "score" and criterion is not None and criterion.score is None:
            pct = _PCT.search(text)
            if pct:
                criterion.score = int(pct.group(1))
            criterion.improvement = criterion.improvement or _improvement(text)
            if criterion.improvement is None and i + 1 < len(lines):
                criterion.improvement = _improvement(lines[i + 1].text)
        elif _STRENGTHS.match(text) or _IMPROVEMENTS.match(text):
            flush()
            kind = "strength" if _STRENGTHS.match(text) else "improvement"
            mode = "list"
        elif mode in ("list", "item") and _ITEM.match(text):
            flush()
            mode, buffer = "item", [tl]
        elif _OVERALL.match(text):
            flush()
            mode = "overall"
            window = " ".join(x.text for x in lines[i : i + 3])
            match = re.search(r"quality\s+of\s+(.+?)\s+work\s*:?\s*(\d{1,3})\s*%", window, re.I)
            if section is not None and match:
                section.title = r.join([match.group(1)])
                section.overall = int(match.group(2))
                section.page = tl.page
        elif _COMMENTARY.match(text):
            flush()
            mode = "commentary"
        elif mode in ("title", "general", "item"):
            buffer.append(tl)
        i += 1
    flush()


# ----------------------------------------------------------------------------- context
def _parse_context(r: Reader, report: Report) -> None:
    part = r.part(r"^Appendix\s+2\b", _APPENDIX) or r.part(
        r"Contextual information", _APPENDIX, missing="contextual information not found"
    )
    if part is None:
        return
    block = part.lines
    text = r.join([tl.text for tl in block])
    ctx = AreaContext(page=block[0].page if block else None)

    def grab(pattern: str, cast=str, group: int = 1):
        match = re.search(pattern, text, re.I)
        if not match:
            return None
        value = match.group(group).replace(",", "")
        try:
            return cast(value)
        except ValueError:
            return None

    ctx.region = grab(r"located in the (.+?) region\b") or grab(r"located in (Wales)\b")
    ctx.population = grab(r"population of ([\d,]+)", int)
    ctx.census_year = grab(r"Census,? (\d{4})", int)
    ctx.pct_aged_10_17 = grab(r"([\d.]+)% of which were aged 10", float)
    ctx.pct_aged_10_17_national = grab(
        r"aged 10 to 17 years old\..*?average for " + _EW + r",? which was ([\d.]+)%",
        float,
    )
    ctx.pct_white_british = grab(r"white British \(([\d.]+)%\)", float)
    ctx.pct_bme = grab(r"minority ethnic heritage \(([\d.]+)%\)", float)
    ctx.pct_bme_national = grab(
        r"minority ethnic heritage \([\d.]+%\).*?average for " + _EW + r" of ([\d.]+)%",
        float,
    )
    ctx.offences_per_1000 = grab(r"at (\d+) per 1,?000", int)
    ctx.offences_per_1000_national = grab(
        r"per 1,?000, were .*?average for " + _EW + r" of (\d+)", int
    )
    ctx.yjb_score = grab(r"YOS (\d+) out of a maximum of", int) or grab(
        r"(\d+) out of a maximum of", int
    )
    ctx.yjb_max = grab(r"out of a maximum of (\d+)", int)
    ctx.yjb_judgement = grab(r"judged by the YJB to be ([a-z ]+?)\s*\.")
    ctx.yjb_judgement_date = grab(r"was dated (\d{1,2} \w+ \d{4})")
    report.context = ctx


# ----------------------------------------------------------------------------- glossary
def _parse_glossary(r: Reader, report: Report) -> None:
    part = r.part(
        r"^Appendix\s+\d+[a-z]?\s*:?\s*Glossary|^Glossary\s*$",
        _APPENDIX,
        missing="glossary not found",
    )
    if part is None:
        return
    report.glossary.extend(glossary_entries(r, part))


# ----------------------------------------------------------------------------- entry point
def recognise(document: Document) -> bool:
    """A CCI report names itself on its first pages and has scored criteria."""
    head = " ".join(p.text for p in document.pages[:3]).lower()
    return "core case inspection" in head and "youth offending" in head


def parse(document: Document) -> Report:
    return parse_cci(document)


def parse_cci(document: Document, parser_version: str = "") -> Report:
    """Read every part of a CCI report; missing parts become warnings, never exceptions."""
    source = SourceFile(
        document.path, document.sha256, len(document.pages), document.size_bytes,
        reader=document.reader, fallback=document.fallback, kind=document.kind,
    )
    report = Report(source, TEMPLATE_ID, parser_version or PARSER_VERSION)
    r = Reader(document)
    read_parts(r, report, (
        _parse_cover,
        _parse_foreword,
        _parse_foreword_scores,
        _parse_people,
        _parse_headline,
        _parse_recommendations,
        _parse_service_users,
        _parse_good_practice,
        _parse_criteria,
        _parse_context,
        _parse_glossary,
    ))
    return report
