"""Fetch new reports (PDFs and web pages) from a remote source into the inbox, safely and once.

A *source* is a URL of an HTML index page that links to PDFs, a plain-text list of report URLs
(one a line, `#` comments allowed: PDFs, or the Inspectorate's report web pages ending .html /
.htm), or one report's own web page (an HTML page that links to no PDF is taken as the report
itself). Publishers' servers are slow, flaky and sometimes hand out an HTML error page with a
200 status, so every download is:

- bounded: connect/read timeouts, a total time limit per file and a size limit;
- retried with exponential backoff on transient failures (timeouts, connection errors, 5xx, 429);
- checked: a PDF's content type must not be HTML/text and its body must start with the `%PDF-`
  magic bytes; a web page's body must start with markup; either must be exactly as long as the
  server's Content-Length said;
- atomic: streamed to a hidden temp file in the inbox, then renamed, so the ingest flow never
  sees half a file;
- conditional: the ETag / Last-Modified of each URL are kept in a small JSON state file, and the
  next fetch sends If-None-Match / If-Modified-Since so unchanged files are not fetched again. A
  URL whose server gives neither validator is not fetched again once it has been stored.

One bad URL never stops the others: it is reported in `FetchSummary.skipped` with a reason.
This module knows HTTP and files only; it knows nothing about reports, Prefect or DuckDB.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urljoin, urlsplit

import httpx

log = logging.getLogger(__name__)
T = TypeVar("T")

STATE_FILE_NAME = ".findings-sources.json"
PDF_MAGIC = b"%PDF-"
PAGE_SUFFIXES = (".html", ".htm")  # a report's web page, named as such in a list of URLs
USER_AGENT = "inspection-findings/0.1 (+report fetcher)"
# Statuses worth trying again: the server may recover; anything else 4xx will not.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchLimits:
    """How long and how big a single download may get, and how hard to retry."""

    timeout_s: float = 30.0  # connect and per-read timeout
    total_s: float = 300.0  # whole download of one file
    max_bytes: int = 100 * 1024 * 1024
    retries: int = 3  # further attempts after the first
    backoff_s: float = 1.0  # first wait; doubles each retry


@dataclass
class SkippedURL:
    url: str
    reason: str


@dataclass
class FetchSummary:
    """What one fetch did, per URL."""

    source_url: str
    downloaded: list[Path] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)  # 304 or stored before, no validators
    unchanged: list[str] = field(default_factory=list)  # 200 but same bytes as stored before
    skipped: list[SkippedURL] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "source_url": self.source_url,
            "downloaded": [str(p) for p in self.downloaded],
            "not_modified": list(self.not_modified),
            "unchanged": list(self.unchanged),
            "skipped": [{"url": s.url, "reason": s.reason} for s in self.skipped],
        }


class FetchError(Exception):
    """A download that failed for a reason worth telling the user; `retry` says if transient."""

    def __init__(self, reason: str, *, retry: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


# --------------------------------------------------------------------------- state file


class SourceState:
    """ETag / Last-Modified / stored file per URL, kept in a JSON file next to the PDFs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, str]] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = dict(data.get("urls", {}))
            except (OSError, ValueError, AttributeError) as exc:
                # A damaged state file only costs re-downloads (deduplicated by hash below).
                log.warning("ignoring unreadable source state %s: %s", path, exc)

    def get(self, url: str) -> dict[str, str] | None:
        return self.entries.get(url)

    def record(self, url: str, **values: str | None) -> None:
        entry = {k: v for k, v in values.items() if v}
        entry["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.entries[url] = entry

    def save(self) -> None:
        payload = json.dumps({"version": 1, "urls": self.entries}, indent=2, sort_keys=True)
        _atomic_write_bytes(self.path, payload.encode("utf-8"))


# --------------------------------------------------------------------------- listing


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def parse_index(body: str, base_url: str, content_type: str = "") -> list[str]:
    """Report URLs listed by an index: links ending in .pdf in HTML (a site's other pages are
    not reports), or one URL a line in text (PDFs and web pages ending .html / .htm).

    Relative links are resolved against `base_url`; duplicates are dropped, order is kept.
    """
    looks_html = "html" in content_type.lower() or re.search(r"<\s*(html|a\s)", body, re.I)
    if looks_html:
        parser = _LinkParser()
        parser.feed(body)
        candidates = parser.hrefs
    else:
        candidates = [
            line.strip()
            for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
    urls: list[str] = []
    for ref in candidates:
        url = urljoin(base_url, ref)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            continue
        wanted = (".pdf",) if looks_html else (".pdf", *PAGE_SUFFIXES)
        if not parts.path.lower().endswith(wanted):
            continue
        url = parts._replace(fragment="").geturl()
        if url not in urls:
            urls.append(url)
    return urls


def list_source(client: httpx.Client, source_url: str, limits: FetchLimits) -> list[str]:
    """Fetch the index at `source_url` (with retries) and return the PDF URLs it lists."""
    if urlsplit(source_url).path.lower().endswith(".pdf"):
        return [source_url]  # a single PDF is its own index

    def get_index() -> httpx.Response:
        resp = client.get(source_url)
        if resp.status_code in RETRY_STATUSES:
            raise FetchError(f"index: HTTP {resp.status_code}", retry=True)
        if resp.status_code != 200:
            raise FetchError(f"index: HTTP {resp.status_code} {resp.reason_phrase}")
        if len(resp.content) > limits.max_bytes:
            raise FetchError("index larger than the size limit")
        return resp

    resp = _with_retries(get_index, limits, what=source_url)
    content_type = resp.headers.get("content-type", "")
    urls = parse_index(resp.text, str(resp.url), content_type)
    if not urls and "html" in content_type.lower():
        return [source_url]  # a web page that lists no PDF: a report's own page
    return urls


# --------------------------------------------------------------------------- downloading


def fetch_new_reports(
    source_url: str,
    inbox: Path,
    *,
    state_path: Path | None = None,
    limits: FetchLimits | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchSummary:
    """Download PDFs listed at `source_url` that the inbox does not have yet.

    Never raises for one bad URL; an unreachable index raises FetchError (nothing to do then).
    """
    limits = limits or FetchLimits()
    inbox.mkdir(parents=True, exist_ok=True)
    state = SourceState(state_path or inbox / STATE_FILE_NAME)
    summary = FetchSummary(source_url=source_url)
    timeout = httpx.Timeout(limits.timeout_s)
    with httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    ) as client:
        urls = list_source(client, source_url, limits)
        log.info("source %s lists %d PDF(s)", source_url, len(urls))
        for url in urls:
            try:
                outcome = _fetch_one(client, url, inbox, state, limits)
            except FetchError as exc:
                log.warning("skipped %s: %s", url, exc.reason)
                summary.skipped.append(SkippedURL(url, exc.reason))
                continue
            if isinstance(outcome, Path):
                summary.downloaded.append(outcome)
            elif outcome == "unchanged":
                summary.unchanged.append(url)
            else:
                summary.not_modified.append(url)
            state.save()  # after every file, so an interrupted run keeps what it got
    return summary


def _fetch_one(
    client: httpx.Client, url: str, inbox: Path, state: SourceState, limits: FetchLimits
) -> Path | str:
    """Download one URL; returns the new file, or "not_modified" / "unchanged"."""
    known = state.get(url)
    headers: dict[str, str] = {}
    if known:
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        if not headers:
            return "not_modified"  # stored before and the server offers no way to ask

    def attempt() -> Path | str:
        return _download(client, url, headers, inbox, known, state, limits)

    return _with_retries(attempt, limits, what=url)


def _download(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    inbox: Path,
    known: dict[str, str] | None,
    state: SourceState,
    limits: FetchLimits,
) -> Path | str:
    started = time.monotonic()
    try:
        with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 304:
                return "not_modified"
            if resp.status_code in RETRY_STATUSES:
                raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}", retry=True)
            if resp.status_code != 200:
                raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}")
            content_type = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            page = "html" in content_type and not urlsplit(url).path.lower().endswith(".pdf")
            if not page and (content_type.startswith("text/") or "html" in content_type):
                raise FetchError(f"not a PDF: server says content type {content_type!r}")
            expected = _content_length(resp)
            if expected is not None and expected > limits.max_bytes:
                raise FetchError(f"too large: {expected} bytes, limit {limits.max_bytes} bytes")
            tmp_path, digest, size = _stream_to_temp(resp, inbox, started, limits, page)
    except httpx.TimeoutException as exc:
        raise FetchError(
            f"timed out after {limits.timeout_s:g} s ({type(exc).__name__})", retry=True
        ) from None
    except httpx.RemoteProtocolError as exc:
        raise FetchError(f"connection broke off mid-download: {exc}", retry=True) from None
    except httpx.TransportError as exc:
        raise FetchError(f"network error: {type(exc).__name__}: {exc}", retry=True) from None

    try:
        if expected is not None and size != expected:
            raise FetchError(f"truncated: got {size} of {expected} bytes", retry=True)
        if known and known.get("sha256") == digest:
            tmp_path.unlink()
            state.record(url, **_validators(resp), file=known.get("file"), sha256=digest)
            return "unchanged"
        target = _target_path(inbox, url, digest, ".html" if page else ".pdf")
        if target.exists():
            tmp_path.unlink()  # the same bytes are already in the inbox under that name
        else:
            os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    state.record(url, **_validators(resp), file=target.name, sha256=digest)
    log.info("downloaded %s -> %s (%d bytes)", url, target.name, size)
    return target


def _stream_to_temp(
    resp: httpx.Response, inbox: Path, started: float, limits: FetchLimits, page: bool = False
) -> tuple[Path, str, int]:
    """Write the body to a hidden temp file in the inbox, checking magic (markup for a web
    `page`), size and time."""
    fd, name = tempfile.mkstemp(prefix=".download-", suffix=".part", dir=inbox)
    tmp_path = Path(name)
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in resp.iter_bytes(64 * 1024):
                if page:
                    head = head or chunk.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
                    if head and head != b"<":
                        raise FetchError(f"not a web page: file starts with {head!r}")
                elif len(head) < len(PDF_MAGIC):
                    head += chunk[: len(PDF_MAGIC) - len(head)]
                    if len(head) >= len(PDF_MAGIC) and not head.startswith(PDF_MAGIC):
                        raise FetchError(f"not a PDF: file starts with {head!r}")
                size += len(chunk)
                if size > limits.max_bytes:
                    raise FetchError(f"too large: over the limit of {limits.max_bytes} bytes")
                if time.monotonic() - started > limits.total_s:
                    raise FetchError(f"took longer than {limits.total_s:g} s", retry=True)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if page and head != b"<":
            raise FetchError("not a web page: empty body")
        if not page and not head.startswith(PDF_MAGIC):
            raise FetchError(f"not a PDF: file starts with {head!r}")
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return tmp_path, digest.hexdigest(), size


def _with_retries(func: Callable[[], T], limits: FetchLimits, *, what: str) -> T:
    """Call `func`, retrying transient FetchErrors with exponential backoff (bounded)."""
    for attempt in range(limits.retries + 1):
        try:
            return func()
        except httpx.TimeoutException as exc:
            error = FetchError(f"timed out after {limits.timeout_s:g} s", retry=True)
            error.__cause__ = exc
        except httpx.TransportError as exc:
            error = FetchError(f"network error: {type(exc).__name__}: {exc}", retry=True)
        except FetchError as exc:
            error = exc
        if not error.retry or attempt == limits.retries:
            if attempt:
                raise FetchError(f"{error.reason} (after {attempt + 1} attempts)") from None
            raise error
        wait = limits.backoff_s * (2**attempt)
        log.info("retrying %s in %.1f s: %s", what, wait, error.reason)
        time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _content_length(resp: httpx.Response) -> int | None:
    value = resp.headers.get("content-length")
    if value is None or resp.headers.get("content-encoding"):
        return None  # compressed bodies arrive decoded, so the header does not apply
    try:
        return int(value)
    except ValueError:
        return None


def _validators(resp: httpx.Response) -> dict[str, str | None]:
    return {
        "etag": resp.headers.get("etag"),
        "last_modified": resp.headers.get("last-modified"),
    }


def _target_path(inbox: Path, url: str, digest: str, suffix: str = ".pdf") -> Path:
    """A safe file name from the URL's last path segment (a web page's folder-like URL: its
    last folder), with `suffix`; a clash gets the hash appended."""
    path = urlsplit(url).path.rstrip("/")
    raw = unquote(path.rsplit("/", 1)[-1])
    raw = re.sub(r"\.(pdf|html?)$", "", raw, flags=re.I)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip(".-_") or "report"
    target = inbox / f"{stem}{suffix}"
    if target.exists() and _sha256_file(target) != digest:
        target = inbox / f"{stem}-{digest[:12]}{suffix}"
    return target


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
