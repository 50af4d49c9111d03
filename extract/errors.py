"""Why a file could not be read as a PDF: one short reason code plus one human sentence.

The reason codes are stable (flows and the rejected_files table group by them); the detail is
what a person reading a batch summary needs to act on the file.
"""

from __future__ import annotations

REASONS: tuple[str, ...] = (
    "empty_file",
    "not_a_pdf",
    "corrupt_pdf",
    "encrypted",
    "no_text_layer",
    "no_usable_text",
    "too_many_pages",
)


class UnreadablePDF(Exception):
    """The file cannot be turned into a Document (before any report template is tried)."""

    def __init__(self, reason: str, detail: str, reader: str = "", fallback: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.reader = reader  # the reader that read it before refusing ("": refused unread)
        self.fallback = fallback  # why pdfium did not read it, if pdfplumber did

    def __reduce__(self):  # keep every attribute when a worker process pickles the error
        return (self.__class__, (self.reason, self.detail, self.reader, self.fallback))
