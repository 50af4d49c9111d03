"""Youth offending / youth justice service inspection (2018+ framework): Document -> Report.

Both eras are one template: 2018–2020 "youth offending services" (3.4 Joint working, judged on
key questions) and 2021+ "youth justice services" (3.4 Out-of-court disposal policy and
provision, and 4.1 Resettlement policy and provision, rated but not counted in the score).
Like the CCI parser, structure comes from the report's own words and their order ("Ratings",
"Score 24/36", "2.1. Assessment", "Rating: Good", "% 'Yes'", "Strengths:", "• …",
"The <Area> Management Board should:", "2.1.1 … 86%", "a) … 71%"), never from one file's
positions, fonts or line breaks. Values are read as printed; the published rules (ratings
from percentages, the score from the ratings) are checked in quality.py, never applied here.
"""

from __future__ import annotations

import re

from extract.document import Document
from transform.model import (
    YJS_DOMAINS,
    ContextFact,
    Finding,
    GoodPractice,
    InspectionQuestion,
    Recommendation,
    Report,
    SourceFile,
    StandardRating,
)
from transform.numbers import parse_number
from transform.reading import (
    RATING_WORDS,
    Reader,
    TextLine,
    bulleted_items,
    glossary_entries,
    month,
    read_parts,
)
from transform.version import PARSER_VERSION

TEMPLATE_ID = "yjs-2018"

_RATING = re.compile(rf"\b({RATING_WORDS})\b", re.I)
_TITLE_LEAD = re.compile(
    r"\b((?:An\s+)?inspection\s+of\s+youth\s+(?:offending|justice)\s+(?:services|service|"
    r"work)\s+in)\b",
    re.I,
)
# what follows the area on a cover: the Inspectorate's name, a date, another sentence
_COVER_STOP = re.compile(
    r"Inspectorate|\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{4}\b|^An?\s|[.:]$",
    re.I,
)
_DOMAIN_HEAD = re.compile(
    r"^([1-4])\.?\s+(Organisational\s+delivery|Court\s+disposals|Out-of-court\s+disposals|"
    r"Resettlement)\s*$",
    re.I,
)
_STANDARD_HEAD = re.compile(r"^([1-4]\.[1-9])[.:]?\s+(\S.*)$")
_STANDARD_ROW = re.compile(rf"\b([1-4]\.[1-9])\.?\s+(\S.*?)\s+({RATING_WORDS})\b", re.I)
_SCORE = re.compile(r"\bScore\s*:?\s*(\d{1,2})\s*/\s*(\d{1,2})\b", re.I)
_OVERALL = re.compile(rf"\bOverall\s+rating\s*:?\s*({RATING_WORDS})\b", re.I)
_SECTION_RATING = re.compile(rf"^(?:Rating\s*:?\s*)?({RATING_WORDS})\.?$", re.I)
_STRENGTHS = re.compile(r"^Strengths\s*:?\s*$", re.I)
_IMPROVEMENTS = re.compile(r"^Areas\s+for\s+improvement\s*:?\s*$", re.I)
_KEY_QUESTIONS = re.compile(r"\bkey\s+questions?\b", re.I)
_PERCENT_HEADER = re.compile(r"%\s*[‘'’\"“]?\s*Yes", re.I)
_ANNEX = re.compile(r"^Annex(?:e)?\s+(\d+)\b", re.I)
_KEY_ID = re.compile(r"^([1-4]\.[1-9]\.[1-9])\.?\s+(.*)$")
_SUB_ID = re.compile(r"^\(?([a-z])[.)]\s+(.*)$")
_GROUP_HEAD = re.compile(r"^(.*?)\s*\bshould\s*:\s*$", re.I)
_RECOMMENDATION = re.compile(r"^(\d{1,2})[.)]\s+(.*)$")
# A heading that ends a block of bulleted findings (anything else continues the last bullet).
_BLOCK_END = re.compile(
    r"^(Strengths|Areas\s+for\s+improvement)\s*:?\s*$|^Good\s+practice\s+example|"
    r"^Rating\s*:|^Annex",
    re.I,
)
# "There are no areas for improvement." under the heading: a statement, not a finding
_NONE = re.compile(
    r"^(?:There\s+(?:are|were|is)\s+no\s+(?:\w+\s+)?(?:areas?\s+for\s+improvement|strengths?)\b"
    r"|No\s+(?:\w+\s+)?(?:areas?\s+for\s+improvement|strengths?)\b|None\.?$)",
    re.I,
)
_GOOD_PRACTICE = re.compile(r"^Good\s+practice\s+example\b", re.I)
_COUNT = (
    r"(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety)(?:[\s\-‐]+(one|two|three|four|five|six|seven|eight|nine))?"
)
_CASES = re.compile(
    _COUNT + r"\s+(?:[a-z\-‐]+\s+){0,3}?(sentences?|cases?|disposals?|orders?|licences?)\b",
    re.I,
)


def _rating(text: str) -> str | None:
    """'requires  improvement' -> 'Requires improvement' (the printed rating, tidied)."""
    match = _RATING.search(text)
    if not match:
        return None
    word = " ".join(match.group(1).split()).lower()
    return word[0].upper() + word[1:]


def _title_key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


# ----------------------------------------------------------------------------- metadata
def _parse_cover(r: Reader, report: Report) -> None:
    """Title and area from "An inspection of youth … services in" and the area after it (on
    the same line or the next ones, up to the Inspectorate's name or a date), and the month."""
    first = r.document.pages[0].number
    cover = [tl for tl in r.lines if tl.page == first]
    at = next((k for k, tl in enumerate(cover) if _TITLE_LEAD.search(tl.text)), -1)
    if at >= 0:
        lead = _TITLE_LEAD.search(cover[at].text)
        pieces = [cover[at].text[lead.end() :].strip()]
        for tl in cover[at + 1 : at + 4]:
            # a name wrapped over lines: "Cheshire West and" / "Chester", "… West" / "and …"
            wrapped = tl.text[:1].islower() or tl.text[:1] == "&" or bool(
                re.search(r"\b(?:and|upon|on|of|the|&)$|-$", pieces[-1], re.I)
            )
            if _COVER_STOP.search(tl.text) or (pieces[-1] and not wrapped):
                break
            pieces.append(tl.text)
        area = " ".join(" ".join(pieces).split()).strip(" ,.:")
        if area:
            words = " ".join(lead.group(1).split())
            report.area = area
            report.title = f"{words[0].upper()}{words[1:]} {area}"
            report.field_pages.update(title=first, area=first)
    if report.area is None:
        r.warnings.append("title and area not found on the cover")
    text = r.join_lines(cover)
    published = month(text.split("Probation", 1)[-1]) or month(text)
    if published:
        report.published_month = published
        report.year = published.year
        report.field_pages.update(published_month=first, year=first)
    else:
        r.warnings.append("publication month not found on the cover")


def _parse_people(r: Reader, report: Report) -> None:
    at = r.find(r"\bled\s+by\b")
    if at >= 0:
        text = r.join_lines(r.lines[at : at + 2])
        match = re.search(
            r"\bled\s+by\s+(?:HM\s+Inspectors?\s+|(?:the\s+)?lead\s+inspector,?\s+)?"
            r"([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3})",
            text,
        )
        if match:
            report.lead_inspector = match.group(1)
            report.field_pages["lead_inspector"] = r.lines[at].page
    if report.lead_inspector is None:
        r.warnings.append("lead inspector not found")
    # the foreword's signature: the name, then "HM Chief Inspector of Probation" on its own
    # line (or after the name on the same line), not a mention of the office in prose
    at = r.find(r"^(.{0,60}?)\s*\bHM\s+(?:Acting\s+)?Chief\s+Inspector\s+of\s+Probation\s*$")
    if at >= 0:
        name = re.split(r"\s*\bHM\s+(?:Acting\s+)?Chief\s+Inspector", r.lines[at].text)[0]
        if not name.strip() and at > 0:
            name = r.lines[at - 1].text
        report.chief_inspector = name.strip() or None
        report.field_pages["chief_inspector"] = r.lines[at].page
    else:
        r.warnings.append("chief inspector not found")


# ----------------------------------------------------------------------------- ratings
def _parse_ratings(r: Reader, report: Report) -> None:
    part = r.part(
        r"^Ratings\s*$",
        r"^(Executive\s+summary|Recommendations|Background|Contents)\s*$",
        missing="ratings table not found",
    )
    if part is None:
        return
    text = " ".join(tl.text for tl in part.lines)
    page_of = _page_finder(part.lines)
    score = _SCORE.search(text)
    if score:
        report.rating_score, report.rating_score_max = int(score.group(1)), int(score.group(2))
        report.field_pages["rating_score"] = page_of(score.group(0))
    overall = _OVERALL.search(text)
    # the service's name heads the table; its cell may wrap around the "Score" cell
    head = text[: overall.start()] if overall else text[: score.end()] if score else ""
    name = " ".join(_SCORE.sub(" ", head).split())
    if name and not _RATING.search(name) and len(name) < 120:
        report.service_name = name
        report.field_pages["service_name"] = part.heading.page
    if overall:
        report.overall_rating = _rating(overall.group(1))
        report.field_pages["overall_rating"] = page_of(overall.group(0))
    for match in _STANDARD_ROW.finditer(text):
        code = match.group(1)
        report.standards.append(
            StandardRating(
                code=code,
                title=" ".join(match.group(2).split()),
                rating=_rating(match.group(3)),
                in_score=_in_score(code),
                page=page_of(match.group(0)),
            )
        )
    if not report.standards:
        r.warnings.append("no rated standards in the ratings table")


def _in_score(code: str) -> bool:
    """The framework counts domains 1-3; resettlement (4.1) is rated but not scored, as the
    ratings table's note says where it is printed."""
    return int(code.split(".")[0]) <= 3


def _page_finder(lines: list[TextLine]):
    """page_of(snippet): the page of the line where `snippet` starts (the first line's page)."""

    def page_of(snippet: str) -> int:
        head = snippet.split()[0] if snippet.split() else ""
        for tl in lines:
            if head and head in tl.text:
                return tl.page
        return lines[0].page if lines else 0

    return page_of


# ----------------------------------------------------------------------------- recommendations
def _parse_recommendations(r: Reader, report: Report) -> None:
    start = max(r.find(r"^Ratings\s*$"), 0)
    part = r.part(
        r"^Recommendations\s*$",
        r"^(Background|Contextual\s+facts)\s*$|" + _DOMAIN_HEAD.pattern,
        missing="recommendations not found",
        start=start,
    )
    if part is None:
        return
    responsible: str | None = None
    items: list[tuple[str | None, list[TextLine]]] = []
    preamble: list[TextLine] = []
    for tl in part.lines:
        group = _GROUP_HEAD.match(tl.text)
        item = _RECOMMENDATION.match(tl.text)
        if group and not item:
            # a heading wrapped over lines: its first lines follow the last sentence's end
            before = items[-1][1] if items else preamble
            ends = [k for k, x in enumerate(before) if x.text.endswith((".", ";", ":"))]
            cut = ends[-1] + 1 if ends else (0 if not items else len(before))
            lead = before[cut:] + [tl]
            del before[cut:]
            responsible = _responsible(r.join_lines(lead), report.area)
        elif item:
            items.append((responsible, [tl.relabel(item.group(2))]))
        elif items:
            items[-1][1].append(tl)
        else:
            preamble.append(tl)
    for seq, (who, lines) in enumerate(items, start=1):
        report.recommendations.append(
            Recommendation(seq, r.join_lines(lines), who, lines[0].page, [x.box() for x in lines])
        )


def _responsible(heading: str, area: str | None) -> str:
    """'The Bedford Management Board should:' -> 'The Management Board'.

    The area's own name is taken out of bodies named after it, so they group across areas; a
    body that is not "The <area> …" (a police force: 'Bedfordshire Police') keeps its name.
    """
    subject = " ".join(re.sub(r"\s+should\s*:\s*$", "", heading, flags=re.I).split())
    if area and re.match(r"^The\s", subject) and not re.search(
        r"\b(Police|Constabulary)\b", subject
    ):
        subject = re.sub(rf"\s+{re.escape(area)}\b", "", subject, count=1, flags=re.I)
    return subject


# ----------------------------------------------------------------------------- context
_FACT = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(%?)\s+(.+?)\s+in\s+(.+?)\s*$")
_SHARE = re.compile(
    r"([A-Za-z][A-Za-z \-–‐]*?(?:\d+\s*[–\-‐]\s*\d+\s+years)?)\s*:\s*(\d+(?:\.\d+)?)\s*%"
)


def _parse_context(r: Reader, report: Report) -> None:
    part = r.part(
        r"^Contextual\s+facts\s*$", _DOMAIN_HEAD.pattern + r"|^Annex", start=r.find(r"^Background")
    )
    if part is None:
        return
    category = ""
    for tl in part.lines:
        fact = _FACT.match(tl.text)
        if fact:
            value = float(fact.group(1).replace(",", ""))
            unit = fact.group(2) or None
            label, place = " ".join(fact.group(3).split()), fact.group(4)
            previous = report.context_facts[-1] if report.context_facts else None
            if (
                previous is not None
                and previous.label == label
                and previous.comparator_value is None
                and place != report.area
            ):
                previous.comparator_label, previous.comparator_value = place, value
            else:
                report.context_facts.append(ContextFact(label, value, None, None, unit, tl.page))
            continue
        shares = list(_SHARE.finditer(tl.text))
        if not shares:
            category = tl.text.rstrip(":")
            continue
        lead = tl.text[: shares[0].start()].strip()
        for k, share in enumerate(shares):
            name = " ".join(share.group(1).split())
            if k == 0 and not lead:  # "Age 10–14 years: 15%": the category leads the first name
                lead, _, name = name.partition(" ")
            label = f"{category}: {lead} {name}".strip(": ").strip()
            report.context_facts.append(
                ContextFact(label, float(share.group(2)), None, None, "%", tl.page)
            )


# ----------------------------------------------------------------------------- domains
def _body_range(r: Reader) -> tuple[int, int]:
    """Where the domain sections run: from domain 1's heading after the ratings to the annexes."""
    after = max(r.find(r"^(Contextual\s+facts|Background)\s*$"), r.find(r"^Recommendations\s*$"))
    start = r.find(_DOMAIN_HEAD, max(after, 0))
    if start < 0:
        start = r.find(_DOMAIN_HEAD, max(r.find(r"^Ratings\s*$") + 1, 0) + 20)
    stop = r.find(_ANNEX, max(start, 0))
    return start, stop if stop > 0 else len(r.lines)


def _parse_domains(r: Reader, report: Report) -> None:
    start, stop = _body_range(r)
    if start < 0:
        r.warnings.append("no domain sections found")
        return
    by_code = {s.code: s for s in report.standards}
    heads: list[tuple[int, StandardRating | None, int | None]] = []  # line, standard, domain
    for i in range(start, stop):
        text = r.lines[i].text
        domain = _DOMAIN_HEAD.match(text)
        head = _STANDARD_HEAD.match(text)
        if domain:
            heads.append((i, None, int(domain.group(1))))
        elif head and _is_standard_heading(head, by_code):
            code = head.group(1)
            if code not in by_code:  # a standard the ratings table did not list
                title = head.group(2).strip()
                by_code[code] = StandardRating(code, title, None, _in_score(code), None)
                report.standards.append(by_code[code])
                r.warnings.append(f"standard {code} is not in the ratings table")
            heads.append((i, by_code[code], None))
    heads.append((stop, None, None))
    for (begin, standard, domain), (end, _, _) in zip(heads, heads[1:], strict=False):
        block = r.lines[begin + 1 : end]
        if standard is not None:
            _parse_standard(r, report, standard, block)
        elif domain is not None:
            _parse_cases(r, report, domain, block)


def _is_standard_heading(head: re.Match[str], by_code: dict[str, StandardRating]) -> bool:
    """'2.1. Assessment' is a standard's heading; '2.1 per cent of …' in prose is not."""
    code, rest = head.group(1), head.group(2)
    known = by_code.get(code)
    if known is not None:
        return _title_key(rest).startswith(_title_key(known.title))
    return len(rest) <= 60 and not rest.rstrip().endswith((".", ",", "%"))


def _parse_standard(r: Reader, report: Report, standard: StandardRating, block: list) -> None:
    statement: list[TextLine] = []
    k = 0
    while k < len(block) and not _SECTION_RATING.match(block[k].text):
        if _STRENGTHS.match(block[k].text) or _KEY_QUESTIONS.search(block[k].text):
            break
        statement.append(block[k])
        k += 1
    if k < len(block) and _SECTION_RATING.match(block[k].text):
        standard.section_rating = _rating(block[k].text)
        standard.section_page = block[k].page
        k += 1
    else:
        r.warnings.append(f"standard {standard.code}: no rating line in its section")
    if statement:
        standard.statement = r.join_lines(statement)
    _parse_key_questions(r, report, standard, block[k:])
    kind = ""
    listed: dict[str, list[TextLine]] = {"strength": [], "improvement": []}
    examples: list[list[TextLine]] = []
    for tl in block[k:]:
        if _STRENGTHS.match(tl.text):
            kind = "strength"
        elif _IMPROVEMENTS.match(tl.text):
            kind = "improvement"
        elif _GOOD_PRACTICE.match(tl.text):
            kind = "example"
            examples.append([])
        elif _BLOCK_END.match(tl.text):
            kind = ""
        elif kind == "example":
            box = examples[-1]
            if box and tl.line.x0 < box[0].line.x0 - 3:  # the box ended; prose goes on
                kind = ""
            else:
                box.append(tl)
        elif kind:
            listed[kind].append(tl)
    domain = YJS_DOMAINS.get(int(standard.code[0]), "").replace("_", " ").capitalize()
    for box in filter(None, examples):
        report.good_practice.append(
            GoodPractice(
                domain.replace("Out of court", "Out-of-court"),
                standard.code,
                r.join_lines(box),
                box[0].page,
                [tl.box() for tl in box],
            )
        )
    for kind, lines in listed.items():
        target = standard.strengths if kind == "strength" else standard.improvements
        items = [item for item in bulleted_items(lines) if not _NONE.match(item[0].text)]
        for seq, item in enumerate(items, start=1):
            target.append(
                Finding(kind, seq, r.join_lines(item), item[0].page, [x.box() for x in item])
            )


def _parse_key_questions(r: Reader, report: Report, standard: StandardRating, block: list) -> None:
    """The standard's key-question table: "Does assessment … desistance? 86%" rows."""
    at = next((k for k, tl in enumerate(block) if _KEY_QUESTIONS.search(tl.text)), -1)
    if at < 0:
        return
    n = 0
    buffer: list[TextLine] = []
    for tl in block[at + 1 :]:
        text = tl.text
        if not buffer and _PERCENT_HEADER.search(text) and len(text) < 40:
            continue  # the table's "Key question | % 'Yes'" header on a line of its own
        if _STRENGTHS.match(text) or _IMPROVEMENTS.match(text) or len(buffer) >= 4:
            break
        if not buffer and n and not re.match(r"^[A-Z][a-z]*\b.*", text):
            break
        buffer.append(tl)
        question, percent = _question_row(r, buffer)
        if percent is None or not question.endswith("?"):
            continue  # a wrapped row: its question mark or its figure is still to come
        n += 1
        report.questions.append(
            InspectionQuestion(
                question_id=f"{standard.code}.{n}",
                parent_id=None,
                standard=standard.code,
                text=question,
                percent_yes=percent,
                page=buffer[0].page,
                body_percent=percent,
            )
        )
        buffer = []


_PERCENT = re.compile(r"\s*\b(\d{1,3})\s*%(?=\s|$)")


def _question_row(r: Reader, lines: list[TextLine]) -> tuple[str, int | None]:
    """A table row's question and its "% 'Yes'" figure, wherever the row's cell put it: after
    the question mark, or level with the first line of a wrapped question."""
    percents = [m for tl in lines for m in _PERCENT.finditer(tl.text)]
    text = r.join([_PERCENT.sub("", tl.text).strip() for tl in lines])
    return " ".join(text.split()), int(percents[-1].group(1)) if percents else None


def _question_complete(r: Reader, lines: list[TextLine]) -> bool:
    """A row is whole once its question has its question mark and a percentage is seen."""
    text, percent = _question_row(r, lines)
    return percent is not None and text.endswith("?")


def _parse_cases(r: Reader, report: Report, domain: int, block: list[TextLine]) -> None:
    """"We took a detailed look at nine community sentences and five custodial sentences" -> 14."""
    if domain not in (2, 3):
        return
    text = r.join_lines(block[:8])
    sentences = re.split(r"(?<=\.)\s+", text)
    looked = re.compile(r"\b(inspected|look\s+at|examined)\b", re.I)
    sentence = next((s for s in sentences if looked.search(s)), "")
    counts = []
    for match in _CASES.finditer(sentence):
        words = " ".join(g for g in match.groups()[:2] if g)
        count = parse_number(words)
        if count is not None:
            counts.append((count, match.group(3).lower()))
    if not counts:
        r.warnings.append(f"number of cases inspected not found for domain {domain}")
        return
    total = counts[0][0] if counts[0][1].startswith("case") else sum(c for c, _ in counts)
    if domain == 2:
        report.court_cases = total
        report.field_pages["court_cases"] = block[0].page
    else:
        report.out_of_court_cases = total
        report.field_pages["out_of_court_cases"] = block[0].page


# ----------------------------------------------------------------------------- annex
def _parse_annex_questions(r: Reader, report: Report) -> None:
    """Annexe 2: every key question ("2.1.1 … 86%") and its sub-questions ("a) … 71%")."""
    after = max(_body_range(r)[0], 0)  # not the contents page's entry
    start = r.find(r"^Annex(?:e)?\s+\d+\s*:?\s*Inspection\s+results", after)
    if start < 0:
        start = r.find(r"^Annex(?:e)?\s+\d+\s*:?\s*.*\bresults\b", after)
    if start < 0:
        return
    stop = r.find(_ANNEX, start + 1)
    items: list[tuple[str, str | None, list[TextLine]]] = []
    parent: str | None = None
    for tl in r.lines[start + 1 : stop if stop > 0 else None]:
        key, sub = _KEY_ID.match(tl.text), _SUB_ID.match(tl.text)
        if key:
            parent = key.group(1)
            items.append((parent, None, [tl.relabel(key.group(2))]))
        elif sub and parent:
            items.append((parent + sub.group(1), parent, [tl.relabel(sub.group(2))]))
        elif items and not _question_complete(r, items[-1][2]):
            items[-1][2].append(tl)  # a wrapped question; anything else is a heading
    annex: list[InspectionQuestion] = []
    for question_id, parent_id, lines in items:
        text, percent = _question_row(r, lines)
        if percent is None:
            r.warnings.append(f"annex question {question_id}: no percentage")
            continue
        standard, page = question_id[:3], lines[0].page
        annex.append(InspectionQuestion(question_id, parent_id, standard, text, percent, page))
    if not annex:
        return
    body = {q.question_id: q for q in report.questions}
    merged: list[InspectionQuestion] = []
    for question in annex:
        printed = body.pop(question.question_id, None)
        if printed is not None:
            question.body_percent = printed.body_percent
        merged.append(question)
    for leftover in body.values():  # a key question of the body that the annex leaves out
        r.warnings.append(f"key question {leftover.question_id} is not in the annex")
        merged.append(leftover)
    report.questions = merged


# ----------------------------------------------------------------------------- glossary
def _parse_glossary(r: Reader, report: Report) -> None:
    """The glossary annexe: term | definition, as a ruled table or two columns of lines."""
    part = r.part(
        r"^Annex(?:e)?\s+\d+\s*:?\s*Glossary\b|^Glossary\s*$",
        _ANNEX,
        start=max(_body_range(r)[0], 0),
    )
    if part is not None:
        report.glossary.extend(glossary_entries(r, part))


# ----------------------------------------------------------------------------- entry point
def recognise(document: Document) -> bool:
    """A 2018+ area inspection names itself on its cover ("An inspection of youth offending /
    justice services in <Area>"), is HM Inspectorate of Probation's, and rates the service
    ("Overall rating", "Score n/36") in its first pages — which a thematic report or another
    inspectorate's youth report does not."""
    head = " ".join(" ".join(p.text for p in document.pages[:3]).split()).lower()
    opening = " ".join(" ".join(p.text for p in document.pages[:8]).split()).lower()
    named = re.search(r"inspection\s+of\s+youth\s+(offending|justice)\s+serv", head)
    rated = re.search(r"\boverall\s+rating\b|\bscore\s*:?\s*\d{1,2}\s*/\s*36\b", opening)
    return bool(named and rated) and "inspectorate of probation" in opening


def parse(document: Document) -> Report:
    """Read every part; a part that is missing or unexpected becomes a warning, not a failure."""
    source = SourceFile(
        document.path, document.sha256, len(document.pages), document.size_bytes,
        reader=document.reader, fallback=document.fallback, kind=document.kind,
    )
    report = Report(source, TEMPLATE_ID, PARSER_VERSION)
    r = Reader(document)
    read_parts(r, report, (
        _parse_cover,
        _parse_people,
        _parse_ratings,
        _parse_recommendations,
        _parse_context,
        _parse_domains,
        _parse_annex_questions,
        _parse_glossary,
    ))
    return report
