"""Why a file could not be read (a PDF or a web page): one short reason code plus one human
sentence.

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
    # a web page (extract/html.py)
    "empty_html",  # markup, but no text in its body
    "malformed_html",  # no markup at all, binary data, or markup the parser cannot take
    "html_too_large",  # far beyond one report page
)


class UnreadablePDF(Exception):
    """The file cannot be turned into a Document (before any report template is tried); the
    name is older than web pages, which raise it too."""

    def __init__(self, reason: str, detail: str, reader: str = "", fallback: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.reader = reader  # the reader that read it before refusing ("": refused unread)
        self.fallback = fallback  # why pdfium did not read it, if pdfplumber did

    def __reduce__(self):  # keep every attribute when a worker process pickles the error
        return (self.__class__, (self.reason, self.detail, self.reader, self.fallback))
