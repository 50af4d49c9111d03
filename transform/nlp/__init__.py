"""spaCy layer: themes, proportions and acronyms on every finding, recommendation and example
of good practice, configured by the data files next to this module (themes.yaml,
proportions.yaml, glossary.yaml).

    annotate_report(report)            -> ReportAnnotations for all texts of a parsed Report
    annotate_texts(items, glossary)    -> the same for any texts (used by `findings retag`)
"""

from __future__ import annotations

from collections.abc import Iterable

from transform.model import Report, finding_id, good_practice_id, recommendation_id
from transform.nlp.annotations import (
    AcronymMatch,
    ProportionMatch,
    ReportAnnotations,
    TextToTag,
    ThemeMatch,
)

__all__ = [
    "AcronymMatch",
    "ProportionMatch",
    "ReportAnnotations",
    "TextToTag",
    "ThemeMatch",
    "annotate_report",
    "annotate_texts",
    "report_texts",
]


def report_texts(report: Report) -> list[TextToTag]:
    """Every text of a report that gets annotated, with the ids the database uses."""
    rid = report.report_id
    items = [
        TextToTag("finding", finding_id(rid, c.code, f.kind, f.seq), f.text)
        for c in report.criteria
        for f in c.findings
    ]
    items += [TextToTag("recommendation", recommendation_id(rid, r.seq), r.text)
              for r in report.recommendations]
    items += [TextToTag("good_practice", good_practice_id(rid, n), g.text)
              for n, g in enumerate(report.good_practice, start=1)]
    return items


def annotate_report(report: Report) -> ReportAnnotations:
    glossary = {g.term: g.definition for g in report.glossary}
    result = annotate_texts(report_texts(report), glossary)
    result.report_id = report.report_id
    return result


def annotate_texts(items: Iterable[TextToTag], glossary: dict[str, str] | None = None,
                   nlp=None) -> ReportAnnotations:
    """Annotate a batch with nlp.pipe; `glossary` is the report's own (term -> definition)."""
    from transform.nlp.acronyms import glossary_acronyms
    from transform.nlp.pipeline import get_nlp

    nlp = nlp or get_nlp()
    items = list(items)
    own = glossary_acronyms(glossary or {})
    docs = []
    for item in items:
        doc = nlp.make_doc(item.text)
        doc.user_data["glossary_acronyms"] = own
        docs.append(doc)
    result = ReportAnnotations()
    for item, doc in zip(items, nlp.pipe(docs, batch_size=256), strict=True):
        src, sid = item.source, item.source_id
        result.themes += [
            ThemeMatch(src, sid, s.label_, s.text, s.start_char, s.end_char)
            for s in doc.spans["themes"]
        ]
        result.proportions += [
            ProportionMatch(src, sid, s.text, s._.share_low, s._.share_high, s._.applies_to,
                            bool(s._.negated), s.start_char, s.end_char)
            for s in doc.spans["proportions"]
        ]
        result.acronyms += [
            AcronymMatch(src, sid, s.label_, s._.expansion, bool(s._.from_glossary),
                         s.start_char, s.end_char)
            for s in doc.spans["acronyms"]
        ]
    return result
