"""spaCy layer: themes, proportions and acronyms on every finding, recommendation, example
of good practice and passage of a generic report, configured by the data files next to this
module (themes.yaml, proportions.yaml, glossary.yaml).

    annotate_report(report)            -> ReportAnnotations for all texts of a parsed Report
    annotate_texts(items, glossary)    -> the same for any texts
    annotate_reports({id: (items, glossary)}) -> many reports in one run (`findings retag`)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from transform.model import Report, finding_id, good_practice_id, passage_id, recommendation_id
from transform.nlp.annotations import (
    SOURCE_TEXT,
    AcronymMatch,
    ProportionMatch,
    ReportAnnotations,
    TextToTag,
    ThemeMatch,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

# docs per component step of nlp.pipe: each component runs over a batch before the next one
BATCH_SIZE = 256

__all__ = [
    "AcronymMatch",
    "ProportionMatch",
    "ReportAnnotations",
    "TextToTag",
    "ThemeMatch",
    "annotate_report",
    "annotate_reports",
    "annotate_texts",
    "report_inputs",
    "report_texts",
]


def report_texts(report: Report) -> list[TextToTag]:
    """Every text of a report that gets annotated, with the ids the database uses."""
    rid = report.report_id
    items = [
        TextToTag("finding", finding_id(rid, code, f.kind, f.seq), f.text)
        for code, f in report.coded_findings()  # CCI criteria and 2018+ standards alike
    ]
    items += [TextToTag("recommendation", recommendation_id(rid, r.seq), r.text)
              for r in report.recommendations]
    items += [TextToTag("good_practice", good_practice_id(rid, n), g.text)
              for n, g in enumerate(report.good_practice, start=1)]
    # a generic report's whole body (headings are names, not statements: left untagged)
    items += [TextToTag("passage", passage_id(rid, p.seq), p.text)
              for p in report.passages if p.kind != "heading"]
    return items


def report_inputs(report: Report) -> tuple[list[TextToTag], dict[str, str]]:
    """What annotating a report reads: its texts, and its own glossary (term -> definition)."""
    return report_texts(report), {g.term: g.definition for g in report.glossary}


def annotate_report(report: Report) -> ReportAnnotations:
    result = annotate_texts(*report_inputs(report))
    result.report_id = report.report_id
    return result


def annotate_texts(items: Iterable[TextToTag], glossary: dict[str, str] | None = None,
                   nlp=None) -> ReportAnnotations:
    """Annotate a batch with nlp.pipe; `glossary` is the report's own (term -> definition)."""
    result = annotate_reports({"": (items, glossary)}, nlp=nlp)[""]
    result.report_id = None
    return result


def annotate_reports(reports: dict[str, tuple[Iterable[TextToTag], dict[str, str] | None]],
                     nlp=None) -> dict[str, ReportAnnotations]:
    """report_id -> annotations of many reports' texts, each report with its own glossary.

    One nlp.pipe run over all texts (`findings retag` passes the whole database): the
    components then work through long batches, which is faster than a run per report.
    """
    from transform.nlp.acronyms import glossary_acronyms
    from transform.nlp.pipeline import get_nlp, theme_rows

    nlp = nlp or get_nlp()
    taxonomy = theme_rows(nlp)
    work = [(ReportAnnotations(report_id, taxonomy=taxonomy), list(items),
             glossary_acronyms(glossary or {}))
            for report_id, (items, glossary) in reports.items()]

    def docs() -> Iterator[Doc]:
        for _, items, own in work:
            for item in items:
                doc = nlp.make_doc(item.text)
                doc.user_data["glossary_acronyms"] = own
                doc.user_data[SOURCE_TEXT] = item.text  # doc.text would rebuild it per call
                yield doc

    texts = [(result, item) for result, items, _ in work for item in items]
    for (result, item), doc in zip(texts, nlp.pipe(docs(), batch_size=BATCH_SIZE), strict=True):
        _collect(result, item, doc)
    return {result.report_id: result for result, _, _ in work}


def _collect(result: ReportAnnotations, item: TextToTag, doc: Doc) -> None:
    """Copy a doc's spans into plain records (no spaCy objects leave this package)."""
    src, sid, text = item.source, item.source_id, item.text
    # a span's text is text[start_char:end_char] (the tokenizer keeps every character);
    # slicing is cheaper than span.text, which builds a Token object per token
    for s in doc.spans["themes"]:
        start, end = s.start_char, s.end_char
        result.themes.append(ThemeMatch(src, sid, s.label_, text[start:end], start, end,
                                        s._.confidence, s._.evidence or ""))
    for s in doc.spans["proportions"]:
        start, end, ext = s.start_char, s.end_char, s._
        result.proportions.append(ProportionMatch(
            src, sid, text[start:end], ext.share_low, ext.share_high, ext.applies_to,
            bool(ext.negated), start, end))
    for s in doc.spans["acronyms"]:
        ext = s._
        result.acronyms.append(AcronymMatch(src, sid, s.label_, ext.expansion,
                                            bool(ext.from_glossary), s.start_char, s.end_char))
