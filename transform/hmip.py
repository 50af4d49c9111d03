"""The generic HMI Probation layer: any report of the Inspectorate that no template claims.

Adult probation inspections (CRC and NPS divisions 2018-2021, Probation Delivery Units
2021-2025), thematic inspections, youth reports of frameworks not read field by field: they
share the Inspectorate's habits, and only those are read. A report is recognised from its own
words: a title line "An inspection of …" / "A thematic inspection of …" near its start, the
Inspectorate's name, and the parts a report has (foreword, recommendations, contents…), so a
news page or a council paper that mentions an inspection is not one. What it gives:

- the kind of publication and the area or unit, from the title's words; the published month;
- the overall rating where the report states it ("Overall, <X> was rated as 'Good'", an
  "Overall rating" row of a table), and every other stated rating as a name and a rating;
- bulleted "Strengths" / "Areas for improvement" (and close variants) as findings, criterion =
  the section they are listed in; numbered recommendations with the group's subject;
- every block of the body as a passage (heading path, kind, text, page).

Nothing is derived: no rating from percentages, no code a report does not print.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.blocks import document_blocks
from extract.document import Block, Document
from transform.model import (
    Finding,
    NamedRating,
    Passage,
    Recommendation,
    Report,
    SourceFile,
)
from transform.reading import RATING_WORDS, month
from transform.version import PARSER_VERSION

TEMPLATE_ID = "hmip-generic"
INSPECTORATE = re.compile(r"\b(HM|Her\s+Majesty['’]s|His\s+Majesty['’]s)\s+Inspectorate\s+of\s+"
                          r"Probation\b|\bHMI\s+Probation\b", re.I)
# the title line: a whole line (a heading or a cover line), not a sentence about a report
TITLE = re.compile(
    r"^(?:An?|The)\s+(?:[\w-]+\s+){0,4}?inspection\s+(?:of|into)\s+(\S.{2,200})$", re.I
)
# parts a published report has; a news page or a letter has few of them
_REPORT_PARTS = re.compile(
    r"^(?:\d+\.?\s+)?(Foreword|Contents|Recommendations?|Executive\s+summary|Introduction|"
    r"Summary|Overall\s+findings|Key\s+findings|Ratings|Background|Methodology|Conclusions?|"
    r"Acknowledgements|Findings|Annex(?:e)?\s+\d+.*|Appendix\s+\d+.*|Glossary|"
    r"Organisational\s+delivery|Context)\s*:?$",
    re.I,
)
_RATING_ONLY = re.compile(rf"^[‘'\"“]?({RATING_WORDS})[’'\"”]?\.?$", re.I)
# "<name> was rated as 'Good'", "we rated <name> as 'Good'": a rating in quotes, named before it
_RATED = re.compile(
    rf"(?P<name>[^,;.:‘’'\"“”()]{{3,120}}?)\s+(?:(?:was|were|is|are|has\s+been|have\s+been)\s+)?"
    rf"(?:(?:rated|judged)\s+)?as\s*:?\s*[‘'\"“](?P<rating>{RATING_WORDS})[’'\"”]",
    re.I,
)
_NAME_LEAD = re.compile(
    r"^(?:overall,?\s+|and\s+|we\s+(?:have\s+)?(?:rated|judged)\s+|in\s+[^,]+,\s+|while\s+)+",
    re.I,
)
_STRENGTHS = re.compile(
    r"^(?:Key\s+|Main\s+|Particular\s+)?strengths(?:\s+of\s+[^:]*)?\s*:?$|"
    r"^What\s+(?:is|was|are)\s+(?:working\s+well|done\s+well)\b.*:?$|"
    r"^(?:The\s+)?(?:organisation|service|PDU|CRC|NPS|YJS|YOS)\S*\s+strengths\s*:?$",
    re.I,
)
_IMPROVEMENTS = re.compile(
    r"^(?:Key\s+|Main\s+)?areas?\s+(?:for|of|requiring|needing|that\s+need)\s+"
    r"(?:improvement|development)\s*:?$|^What\s+(?:needs|requires)\s+(?:to\s+)?improv\w*.*:?$|"
    r"^Improvements?\s+(?:needed|required)\s*:?$",
    re.I,
)
# a PDF's bold lines that are not section headings: a rating box, a good-practice box's title,
# a table header
_NOT_A_SECTION = re.compile(
    rf"^(?:Rating\s*:?\s*)?[‘'\"“]?(?:{RATING_WORDS})[’'\"”]?\.?$|^Good\s+practice\s+example"
    r"|^.*%",  # a table's header row ("Key question | % 'Yes'") drawn without rules
    re.I,
)
_RECOMMENDATIONS = re.compile(r"^(?:\d+\.?\s+)?Recommendations?\s*:?$", re.I)
_GROUP_HEAD = re.compile(r"^(.*?)\s*\bshould\s*:\s*$", re.I)
_NUMBER = re.compile(r"^(\d{1,2})\.$")
_NONE = re.compile(r"^(?:There\s+(?:are|were|is)\s+no\b|No\s+\w+|None\.?$)", re.I)


# ----------------------------------------------------------------------------- recognition
def title_block(blocks: list[Block]) -> tuple[int, str] | None:
    """(index, title) of the report's title line among its first blocks, or None. A cover that
    sets the area apart ("An inspection of youth justice services in" / "Bolton") is one
    title: a line ending in a preposition is joined to the short line after it."""
    for k, block in enumerate(blocks[:25]):
        text = block.text.rstrip()
        if block.kind in ("heading", "paragraph") and len(text) <= 220 and TITLE.match(text) \
                and not text.endswith((".", "?", "!")):
            after = blocks[k + 1].text.strip() if k + 1 < len(blocks) else ""
            if re.search(r"\s(?:in|of|for|and|at):?$", text) and after and len(after) <= 80 \
                    and not after.endswith((".", "?", "!")) and not INSPECTORATE.search(after):
                text = f"{text} {after}"
            return k, " ".join(text.split())
    return None


def recognise(document: Document) -> bool:
    """A report of the Inspectorate: a title line "An … inspection of …" near the start, the
    Inspectorate's name in its opening, and at least two of the parts a report has."""
    blocks = document_blocks(document)
    found = title_block(blocks)
    if found is None:
        return False
    opening = " ".join(b.text for b in blocks[: found[0] + 40])
    if not INSPECTORATE.search(opening):
        return False
    parts = {
        _REPORT_PARTS.match(b.text).group(1).split()[0].lower()
        for b in blocks
        if b.kind == "heading" and _REPORT_PARTS.match(b.text)
    }
    return len(parts) >= 2


# ----------------------------------------------------------------------------- parsing
def publication_kind(title: str) -> str:
    """The kind of publication, from the title's own words."""
    t = " ".join(title.lower().split())
    if "thematic" in t:
        return "thematic inspection"
    if re.search(r"youth\s+justice\s+work\s+with\s+children\s+and\s+victims", t):
        return "youth justice inspection (2025 framework)"
    if re.search(r"\byouth\b", t):
        return "youth justice inspection"
    if re.search(r"\bPDU\b|probation\s+delivery\s+unit", title, re.I):
        return "probation delivery unit inspection"
    if re.search(r"community\s+rehabilitation\s+company|\bCRC\b|national\s+probation\s+service|"
                 r"\bNPS\b", title, re.I):
        return "adult probation inspection (CRC/NPS)"
    if re.search(r"\bprobation\b", t):
        return "probation inspection"
    return "inspection"


def unit_from_title(title: str) -> str | None:
    """The area or unit the title names, as printed: what follows its last "in" ("… probation
    services in Sunderland PDU", "… in: Stockton and Hartlepool PDU"), else what follows
    "inspection of" when that is a name ("… of Durham Tees Valley Community Rehabilitation
    Company"); None for a thematic inspection or a subject in lower case."""
    if "thematic" in title.lower():
        return None
    pieces = re.split(r"\s+in:?\s+", title)
    if len(pieces) > 1:
        unit = pieces[-1]
    else:
        match = re.search(r"\binspection\s+(?:of|into)\s+(?:the\s+)?(.+)$", title, re.I)
        unit = match.group(1) if match else ""
    unit = " ".join(unit.split()).strip(" .,:;")
    return unit if unit[:1].isupper() else None


def parse(document: Document, template_id: str = TEMPLATE_ID) -> Report:
    blocks = _below_title(document_blocks(document))
    source = SourceFile(
        document.path, document.sha256, len(document.pages), document.size_bytes,
        reader=document.reader, fallback=document.fallback, kind=document.kind,
    )
    report = Report(source, template_id, PARSER_VERSION)
    report.passages = [
        Passage(b.section, b.kind, seq, b.text, b.page) for seq, b in enumerate(blocks, start=1)
    ]
    found = title_block(blocks)
    if found is not None:
        at, title = found
        report.title = " ".join(title.split())
        report.publication = publication_kind(report.title)
        report.area = unit_from_title(report.title)
        report.field_pages.update(title=blocks[at].page, area=blocks[at].page)
        opening = " ".join(b.text for b in blocks[: at + 6])
        after = INSPECTORATE.split(opening, maxsplit=1)
        published = month(after[-1]) if len(after) > 1 else None
        published = published or month(opening)
        if published:
            report.published_month, report.year = published, published.year
            report.field_pages.update(published_month=blocks[at].page, year=blocks[at].page)
        else:
            report.warnings.append("publication month not found near the title")
    _read_ratings(blocks, report)
    _read_findings(blocks, report)
    _read_recommendations(blocks, report)
    report.text_chars = sum(len(b.text) for b in blocks)
    return report


def _below_title(blocks: list[Block]) -> list[Block]:
    """The blocks with the title taken off the front of their heading paths: a page whose
    title is its top heading puts the whole report under it, which says nothing (a cover
    title set on two lines, the area apart, is two such headings)."""
    found = title_block(blocks)
    if found is None:
        return blocks
    at, title = found
    heads = {blocks[at].text}
    if title != blocks[at].text and at + 1 < len(blocks):
        heads.add(blocks[at + 1].text)
    out = []
    for block in blocks:
        path = block.section.split(" > ") if block.section else []
        while path and path[0] in heads:
            path.pop(0)
        out.append(replace(block, section=" > ".join(path)))
    return out


def _rating(text: str) -> str:
    word = " ".join(text.split()).lower()
    return word[0].upper() + word[1:]


def _tidy_name(name: str) -> str:
    name = " ".join(_NAME_LEAD.sub("", " ".join(name.split())).split())
    return name[:1].upper() + name[1:]


def _read_ratings(blocks: list[Block], report: Report) -> None:
    """Ratings tables (a name cell and a rating cell) and sentences naming a rating."""
    seen: dict[str, str] = {}

    def add(name: str, rating: str, block: Block) -> None:
        key = name.lower().removeprefix("the ")
        if re.match(r"^overall(\s+rating)?$", key) or key.startswith("overall rating"):
            if report.overall_rating is None:
                report.overall_rating = rating  # type: ignore[assignment]
                report.field_pages["overall_rating"] = block.page
            elif report.overall_rating != rating:
                report.warnings.append(f"overall rating stated as both {report.overall_rating}"
                                       f" and {rating}")
            return
        if key in seen:
            if seen[key] != rating:
                report.warnings.append(f"{name!r} stated as both {seen[key]} and {rating}")
            return
        seen[key] = rating
        report.ratings.append(NamedRating(name, rating, block.section or None, block.page))  # type: ignore[arg-type]

    for block in blocks:
        if block.kind == "table_row":
            cells = [c for c in block.cells if c]
            if len(cells) >= 2 and _RATING_ONLY.match(cells[-1]) and not _RATING_ONLY.match(
                cells[0]
            ):
                add(" ".join(cells[:-1]), _rating(_RATING_ONLY.match(cells[-1]).group(1)), block)
        elif block.kind in ("paragraph", "list_item"):
            for sentence in re.split(r"(?<=[.!?])\s+", block.text):
                if not re.search(r"\brated\b|\bjudged\b", sentence, re.I):
                    continue
                for match in _RATED.finditer(sentence):
                    name = _tidy_name(match.group("name"))
                    if not name:
                        continue
                    # "Overall, <the service> was rated as 'Good'": the overall rating
                    if sentence[: match.start()].strip(" ,").lower() == "overall":
                        add("overall", _rating(match.group("rating")), block)
                        report.field_pages.setdefault("service_name", block.page)
                    else:
                        add(name, _rating(match.group("rating")), block)


def _read_findings(blocks: list[Block], report: Report) -> None:
    """List items under a "Strengths" / "Areas for improvement" label, up to the next label or
    heading; criterion = the section the label sits in."""
    kind: str | None = None
    section = ""
    where = ""  # the path of the last heading that names a section (not a rating, a label)
    label_depth = 0
    counts: dict[tuple[str, str], int] = {}
    for block in blocks:
        text = block.text.strip()
        label = ("strength" if _STRENGTHS.match(text) else
                 "improvement" if _IMPROVEMENTS.match(text) else None)
        if block.kind == "heading" and not label and not _NOT_A_SECTION.match(text):
            where = block.section
        if label and block.kind in ("heading", "paragraph"):
            kind, label_depth = label, block.depth
            # a label set as a heading (a PDF's bold line) belongs to the section above it
            section = where if block.kind == "heading" else block.section
            continue
        if kind is None:
            continue
        if block.kind == "heading" or (block.kind == "paragraph" and not _NONE.match(text)
                                       and block.depth <= label_depth):
            kind = None
            continue
        if block.kind != "list_item" or block.marker != "•":
            continue
        key = (section, kind)
        counts[key] = counts.get(key, 0) + 1
        report.section_findings.append(
            (section or "(no heading)", Finding(kind, counts[key], text, block.page))  # type: ignore[arg-type]
        )


def _read_recommendations(blocks: list[Block], report: Report) -> None:
    """Numbered items of the Recommendations part, with the subject of the group above them
    ("The Sunderland PDU should:" -> "The Sunderland PDU")."""
    inside = False
    level = 0
    responsible: str | None = None
    for block in blocks:
        group = _GROUP_HEAD.match(block.text)
        if inside and group and block.kind != "list_item":  # a PDF may set it as a heading
            responsible = " ".join(group.group(1).split()) or None
            continue
        if block.kind == "heading":
            level_here = block.section.count(" > ") + 1 if block.section else 0
            if _RECOMMENDATIONS.match(block.text):
                inside, level, responsible = True, level_here, None
                continue
            if inside and level_here <= level:
                inside = False
            continue
        if not inside:
            continue
        number = _NUMBER.match(block.marker) if block.kind == "list_item" else None
        if number:  # seq is the order in the report: groups may each number from 1
            seq = len(report.recommendations) + 1
            report.recommendations.append(Recommendation(seq, block.text, responsible, block.page))
