"""Which kind of report is this document? A registry of report templates.

Each template module (cci.py for 2009-2012, yjs.py for 2018+, yjs2025.py for the 2025 youth
framework, hmip.py for any other report of the Inspectorate) exposes TEMPLATE_ID,
recognise(document) -> bool (cheap, first pages) and parse(document) -> Report. A new report
format is one new module added to _templates(), before the generic layer, which comes last:
it claims only what no template of its own does.
"""

from __future__ import annotations

from types import ModuleType

from extract.document import Document
from transform.model import NotAReport, Report
from transform.version import PARSER_VERSION

__all__ = ["FAMILIES", "PARSER_VERSION", "parse_document", "template_for"]
# What a document is checked against, for the rejection message (same order as _templates()).
FAMILIES = (
    "Core Case Inspection of youth offending work (2009-2012)",
    "inspection of youth offending / youth justice services (2018+ framework)",
    "inspection of youth justice work with children and victims (2025 framework)",
    "any other HM Inspectorate of Probation inspection report (adult probation, thematic)",
)


def _templates() -> list[ModuleType]:
    from transform import cci, hmip, yjs, yjs2025

    return [cci, yjs, yjs2025, hmip]


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
        if not first and document.blocks:
            first = document.blocks[0].text
        raise NotAReport(
            reason="not_an_inspection_report",
            detail=(
                "not an inspection report of a known family (checked: "
                + "; ".join(FAMILIES)
                + "): its first pages present it as none of them"
                + f" (first line seen: {first[:80]!r})"
            ),
        )
    return module.parse(document)
