"""Remote fetching against a real HTTP server on 127.0.0.1 (started here, ephemeral port).

The server misbehaves the ways publishers' servers do: slow, missing, truncated, HTML served as
a PDF. Every client call is bounded by small timeouts and retry counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows.sources import (
    STATE_FILE_NAME,
    FetchLimits,
    fetch_new_reports,
    parse_index,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD_PDF = (EXAMPLES / "stoke-on-trent-2011.pdf").read_bytes()
OTHER_PDF = (EXAMPLES / "stoke-on-trent-2011.chromium.pdf").read_bytes()
ETAG = '"stoke-v1"'
LAST_MODIFIED = "Tue, 01 Mar 2011 09:00:00 GMT"
SLOW_SECONDS = 2.0  # the slow handler's delay; the client gives up after 0.3 s

INDEX_HTML = """<!doctype html><html><body><h1>Reports</h1><ul>
<li><a href="good.pdf">Stoke on Trent</a></li>
<li><a href="/files/chromium.PDF">Stoke (Chromium)</a></li>
<li><a href="slow.pdf">Slow</a></li>
<li><a href="missing.pdf">Gone</a></li>
<li><a href="truncated.pdf">Cut short</a></li>
<li><a href="fake.pdf">HTML pretending</a></li>
<li><a href="typed.pdf">Says it is HTML</a></li>
<li><a href="about.html">About (not a PDF)</a></li>
<li><a href="good.pdf#page=2">Stoke again</a></li>
<li><a href="mailto:someone@example.org">mail</a></li>
</ul></body></html>"""


@dataclass
class Seen:
    """What the server saw: request paths and the conditional headers that came with them."""

    requests: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def count(self, path: str) -> int:
        return sum(1 for p, _, _ in self.requests if p == path)


def make_handler(seen: Seen) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep pytest output clean

        def handle(self) -> None:
            # the client hangs up on purpose (size limit, timeout)
            with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                super().handle()

        def send_body(self, status: int, body: bytes, ctype: str, **extra: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in extra.items():
                self.send_header(key.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            seen.requests.append((self.path, inm, ims))
            if self.path == "/index.html":
                self.send_body(200, INDEX_HTML.encode(), "text/html; charset=utf-8")
            elif self.path == "/list.txt":
                text = "# reports\n\n/good.pdf\nhttp://{h}/missing.pdf\nftp://x/y.pdf\n"
                host = self.headers.get("Host", "")
                self.send_body(200, text.replace("{h}", host).encode(), "text/plain")
            elif self.path == "/good.pdf":
                if inm == ETAG:
                    self.send_response(304)
                    self.send_header("ETag", ETAG)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_body(200, GOOD_PDF, "application/pdf", ETag=ETAG)
            elif self.path == "/files/chromium.PDF":
                if ims == LAST_MODIFIED:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_body(
                        200, OTHER_PDF, "application/octet-stream", Last_Modified=LAST_MODIFIED
                    )
            elif self.path == "/slow.pdf":
                time.sleep(SLOW_SECONDS)
                with contextlib.suppress(OSError):  # the client gave up long ago
                    self.send_body(200, GOOD_PDF, "application/pdf")
            elif self.path == "/truncated.pdf":
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(GOOD_PDF)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(GOOD_PDF[: len(GOOD_PDF) // 3])
                self.wfile.flush()
                self.close_connection = True
            elif self.path == "/fake.pdf":
                self.send_body(200, b"<html><body>Not found</body></html>", "application/pdf")
            elif self.path == "/typed.pdf":
                self.send_body(200, b"<html>login</html>", "text/html")
            elif self.path == "/flaky.pdf":
                if seen.count("/flaky.pdf") == 1:
                    self.send_body(503, b"busy", "text/plain")
                else:
                    self.send_body(200, OTHER_PDF, "application/pdf")
            else:
                self.send_body(404, b"not here", "text/plain")

    return Handler


@pytest.fixture()
def server() -> Iterator[tuple[str, Seen]]:
    seen = Seen()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(seen))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure traffic goes straight to 127.0.0.1, never through a configured proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


FAST = FetchLimits(timeout_s=0.3, total_s=5.0, max_bytes=5_000_000, retries=1, backoff_s=0.01)


def reasons(summary) -> dict[str, str]:  # noqa: ANN001
    return {s.url.rsplit("/", 1)[-1]: s.reason for s in summary.skipped}


@pytest.mark.timeout(60)
def test_fetch_index_downloads_good_pdfs_and_skips_bad_ones(server, tmp_path: Path) -> None:
    base, seen = server
    inbox = tmp_path / "inbox"

    summary = fetch_new_reports(f"{base}/index.html", inbox, limits=FAST)

    names = sorted(p.name for p in summary.downloaded)
    assert names == ["chromium.pdf", "good.pdf"]
    assert (inbox / "good.pdf").read_bytes() == GOOD_PDF
    assert (inbox / "chromium.pdf").read_bytes() == OTHER_PDF

    why = reasons(summary)
    assert set(why) == {"slow.pdf", "missing.pdf", "truncated.pdf", "fake.pdf", "typed.pdf"}
    assert "timed out after 0.3 s" in why["slow.pdf"] and "2 attempts" in why["slow.pdf"]
    assert why["missing.pdf"] == "HTTP 404 Not Found"
    assert "2 attempts" in why["truncated.pdf"]
    assert "broke off" in why["truncated.pdf"] or "truncated" in why["truncated.pdf"]
    assert why["fake.pdf"].startswith("not a PDF: file starts with b'<html'")
    assert why["typed.pdf"] == "not a PDF: server says content type 'text/html'"

    # not-PDF links, the fragment duplicate and the mailto link were never requested
    assert seen.count("/about.html") == 0
    assert seen.count("/good.pdf") == 1
    # 404 and a wrong PDF are not retried; the timeout and the truncation are, once
    assert seen.count("/missing.pdf") == 1 and seen.count("/fake.pdf") == 1
    assert seen.count("/slow.pdf") == 2 and seen.count("/truncated.pdf") == 2

    # nothing half-written is left behind: only the two PDFs and the state file
    assert sorted(p.name for p in inbox.iterdir()) == sorted(
        ["chromium.pdf", "good.pdf", STATE_FILE_NAME]
    )
    state = json.loads((inbox / STATE_FILE_NAME).read_text())["urls"]
    assert state[f"{base}/good.pdf"]["etag"] == ETAG
    assert state[f"{base}/good.pdf"]["sha256"] == hashlib.sha256(GOOD_PDF).hexdigest()
    assert state[f"{base}/files/chromium.PDF"]["last_modified"] == LAST_MODIFIED


@pytest.mark.timeout(60)
def test_second_fetch_is_conditional_and_fetches_nothing(server, tmp_path: Path) -> None:
    base, seen = server
    inbox = tmp_path / "inbox"
    fetch_new_reports(f"{base}/index.html", inbox, limits=FAST)
    before = {p.name: p.stat().st_mtime_ns for p in inbox.glob("*.pdf")}

    second = fetch_new_reports(f"{base}/index.html", inbox, limits=FAST)

    assert second.downloaded == []
    assert sorted(second.not_modified) == [f"{base}/files/chromium.PDF", f"{base}/good.pdf"]
    good_requests = [r for r in seen.requests if r[0] == "/good.pdf"]
    assert good_requests == [("/good.pdf", None, None), ("/good.pdf", ETAG, None)]
    chromium = [r for r in seen.requests if r[0] == "/files/chromium.PDF"]
    assert chromium[-1] == ("/files/chromium.PDF", None, LAST_MODIFIED)
    assert {p.name: p.stat().st_mtime_ns for p in inbox.glob("*.pdf")} == before


@pytest.mark.timeout(30)
def test_plain_text_list_and_transient_error_retried(server, tmp_path: Path) -> None:
    base, seen = server
    inbox = tmp_path / "inbox"
    (inbox).mkdir()
    (inbox / "flaky.pdf").write_bytes(GOOD_PDF)  # a different file already has that name

    listed = fetch_new_reports(f"{base}/list.txt", inbox, limits=FAST)
    assert [p.name for p in listed.downloaded] == ["good.pdf"]
    assert [s.reason for s in listed.skipped] == ["HTTP 404 Not Found"]

    flaky = fetch_new_reports(f"{base}/flaky.pdf", inbox, limits=FAST)
    assert seen.count("/flaky.pdf") == 2  # 503 first, then 200
    [saved] = flaky.downloaded
    digest = hashlib.sha256(OTHER_PDF).hexdigest()
    assert saved.name == f"flaky-{digest[:12]}.pdf"  # the existing flaky.pdf is untouched
    assert (inbox / "flaky.pdf").read_bytes() == GOOD_PDF


@pytest.mark.timeout(30)
def test_size_limit_stops_a_large_download(server, tmp_path: Path) -> None:
    base, _ = server
    small = FetchLimits(timeout_s=0.3, total_s=5.0, max_bytes=10_000, retries=0)
    summary = fetch_new_reports(f"{base}/good.pdf", tmp_path, limits=small)
    assert summary.downloaded == []
    assert summary.skipped[0].reason == f"too large: {len(GOOD_PDF)} bytes, limit 10000 bytes"
    assert list(tmp_path.iterdir()) == []  # no partial file, and nothing to remember


def test_unreachable_index_raises_a_clear_error(tmp_path: Path) -> None:
    from flows.sources import FetchError

    with pytest.raises(FetchError, match="network error: ConnectError"):
        fetch_new_reports(
            "http://127.0.0.1:9/index.html",
            tmp_path,
            limits=FetchLimits(timeout_s=0.3, retries=1, backoff_s=0.01),
        )


def test_parse_index_html_and_text() -> None:
    html = '<a href="a.pdf">a</a><A HREF="../b.PDF?x=1">b</A><a href="c.html">c</a><a>no</a>'
    assert parse_index(html, "http://h/reports/", "text/html") == [
        "http://h/reports/a.pdf",
        "http://h/b.PDF?x=1",
    ]
    text = "# comment\nhttp://h/x.pdf\n  relative/y.pdf  \nfile:///etc/z.pdf\nhttp://h/x.pdf\n"
    assert parse_index(text, "http://h/list.txt", "text/plain") == [
        "http://h/x.pdf",
        "http://h/relative/y.pdf",
    ]


def test_report_web_pages_are_fetched_as_html(tmp_path: Path) -> None:
    """A list naming report web pages, and a report page given as the source itself, are
    saved as .html; an HTML error page where a PDF was listed is still refused."""
    import httpx

    page = b"<!doctype html><html><body><h1>An inspection of probation services</h1></body></html>"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/list.txt":
            body = b"http://site/reports/sunderland.html\nhttp://site/fake.pdf\n"
            return httpx.Response(200, content=body, headers={"content-type": "text/plain"})
        if request.url.path == "/fake.pdf":
            return httpx.Response(200, content=page, headers={"content-type": "text/html"})
        return httpx.Response(200, content=page, headers={"content-type": "text/html"})

    transport = httpx.MockTransport(handler)
    listed = fetch_new_reports("http://site/list.txt", tmp_path / "a", limits=FAST,
                               transport=transport)
    assert [p.name for p in listed.downloaded] == ["sunderland.html"]
    assert listed.downloaded[0].read_bytes() == page
    assert [s.reason for s in listed.skipped] == [
        "not a PDF: server says content type 'text/html'"
    ]
    single = fetch_new_reports("http://site/inspections/wirral-2025/", tmp_path / "b",
                               limits=FAST, transport=transport)
    assert [p.name for p in single.downloaded] == ["wirral-2025.html"]
