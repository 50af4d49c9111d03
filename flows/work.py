"""What a worker process does with one file: read it, parse it, annotate it.

Everything here returns plain picklable data and never raises: a bad file becomes a `Rejected`
value, so one file can never stop a batch and no traceback reaches the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transform.model import Report

PARSE_ERROR = "parse_error"


@dataclass
class Parsed:
    path: str
    sha256: str
    report: Report
    annotations: Any | None = None  # transform.nlp.ReportAnnotations


@dataclass
class Rejected:
    path: str
    sha256: str
    reason: str
    detail: str
    reader: str = ""  # the reader that read it before it was refused ("": refused unread)
    fallback: str = ""  # why pdfium did not read it, if pdfplumber did


def process_file(
    path: str,
    sha256: str,
    max_pages: int | None = None,
    time_limit: float | None = None,
    reader: str | None = None,
) -> Parsed | Rejected:
    """PDF -> Report (+ NLP annotations), or the reason it is not one.

    With `time_limit` (seconds), reading and parsing run in a child process that is killed on
    expiry (flows/isolate.py): a pathological file costs at most that long.
    """
    result = read_file(path, sha256, max_pages, time_limit, reader)
    if isinstance(result, Parsed):
        result = with_annotations(result)
    return result


def read_file(
    path: str,
    sha256: str,
    max_pages: int | None = None,
    time_limit: float | None = None,
    reader: str | None = None,
) -> Parsed | Rejected:
    """PDF -> Report without annotations (process_file's first half; safe in a thread)."""
    from extract.errors import UnreadablePDF
    from flows.isolate import FileTimeout, read_and_parse
    from transform.model import NotAReport

    try:
        report = read_and_parse(path, sha256, max_pages, time_limit, reader)
    except (UnreadablePDF, NotAReport, FileTimeout) as exc:
        return Rejected(path, sha256, exc.reason, exc.detail, getattr(exc, "reader", ""),
                        getattr(exc, "fallback", ""))
    except Exception as exc:  # noqa: BLE001 - any parser bug must only cost this one file
        return Rejected(path, sha256, PARSE_ERROR, describe(exc))
    return Parsed(path, sha256, report)


def with_annotations(parsed: Parsed) -> Parsed | Rejected:
    """The parsed report with its NLP annotations (process_file's second half)."""
    try:
        parsed.annotations = annotate(parsed.report)
    except Exception as exc:  # noqa: BLE001 - any bug must only cost this one file
        return Rejected(parsed.path, parsed.sha256, PARSE_ERROR, describe(exc))
    return parsed


def annotate(report: Report) -> Any:
    """Run the spaCy layer over the report's texts (None when that layer is not installed)."""
    try:
        from transform.nlp import annotate_report
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("transform.nlp"):
            return None
        raise
    return annotate_report(report)


def describe(exc: BaseException) -> str:
    """One line naming the exception, for the rejected_files table and the summary."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
