"""Which kind of report is this document? A registry of report templates.

Each template module (cci.py for 2009-2012, yjs.py for 2018+) exposes TEMPLATE_ID,
recognise(document) -> bool (cheap, first pages) and parse(document) -> Report. A new report
format is one new module added to _templates().
"""

from __future__ import annotations

from types import ModuleType

from extract.document import Document
from transform.model import NotAReport, Report

PARSER_VERSION = "cci-parser 1.0"
# What a document is checked against, for the rejection message (same order as _templates()).
FAMILIES = (
    "Core Case Inspection of youth offending work (2009-2012)",
    "inspection of youth offending / youth justice services (2018+ framework)",
)


def _templates() -> list[ModuleType]:
    from transform import cci, yjs

    return [cci, yjs]


def template_for(document: Document) -> ModuleType | None:
    """The first template that recognises the document, or None."""
    for module in _templates():
        if module.recognise(document):
            return module
    return None


def parse_document(document: Document) -> Report:
    """Parse with the matching template, or raise NotAReport saying what was seen instead."""
    module = template_for(document)
    if module is None:
        first = next((p.lines[0].text for p in document.pages if p.lines), "")
        raise NotAReport(
            reason="not_an_inspection_report",
            detail=(
                "not an inspection report of a known family (checked: "
                + "; ".join(FAMILIES)
                + "): its first pages present it as neither"
                + f" (first line seen: {first[:80]!r})"
            ),
        )
    return module.parse(document)
