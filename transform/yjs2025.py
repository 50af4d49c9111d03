"""The 2025 youth justice framework (inspections from spring 2025), recognised by name.

Reports are titled "An inspection of youth justice work with children and victims in <Area>".
What is known of the framework's structure (docs/schema.md): an overall rating, the two broad
areas rated (the quality of work with children, the quality of work with victims), practice
discussed as assessing, planning and delivery, and revised organisational-delivery standards
with Appropriate Adult arrangements new. No published report was available to fix the layout
of its ratings or the codes of its standards, so this template reads what the generic layer
reads (transform/hmip.py) — ratings by the names the report gives them, findings by their
section, recommendations, passages — and invents no code, score or band.
"""

from __future__ import annotations

import re

from extract.blocks import document_blocks
from extract.document import Document
from transform import hmip
from transform.model import Report

TEMPLATE_ID = "yjs-2025"
_TITLE = re.compile(r"\binspection\s+of\s+youth\s+justice\s+work\s+with\s+children\s+and\s+"
                    r"victims\b", re.I)


def recognise(document: Document) -> bool:
    """The framework's own title, on a report the generic layer recognises."""
    found = hmip.title_block(document_blocks(document))
    return found is not None and bool(_TITLE.search(found[1])) and hmip.recognise(document)


def parse(document: Document) -> Report:
    report = hmip.parse(document, TEMPLATE_ID)
    named = {r.name.lower() for r in report.ratings}
    for area in ("work with children", "work with victims"):
        if not any(area in name for name in named):
            report.warnings.append(f"no rating stated for the quality of {area}")
    if report.overall_rating is None:
        report.warnings.append("no overall rating stated")
    return report
