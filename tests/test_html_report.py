"""The static HTML report: built from the gold-loaded database, checked for self-containment on
disk, then opened in a real headless Chromium (skipped with a reason if it is not installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from typer.testing import CliRunner

from flows.cli import app
from publish.html_report import build_site, report_slug
from publish.query import open_readonly, run_named
from tests.publish_data import gold_reports

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                          "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install -y chromium) - browser checks skipped",
)
runner = CliRunner()


@pytest.fixture(scope="module")
def site(db, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    con = open_readonly(db)
    try:
        built = build_site(con, out, db_name="gold.duckdb")
        reports = run_named(con, "reports_overview")
        quotes = run_named(con, "theme_quotes", {"theme": "victims"})
    finally:
        con.close()
    return {"site": built, "root": out, "reports": reports, "victims": quotes}


class Page(HTMLParser):
    """Collects what the assertions need: tags with attributes, headings, text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(1 for t, a in self.tags if t == tag and (cls is None or a.get("class") == cls))

    @property
    def all_text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def open_in_chromium(path: Path, profile: Path) -> tuple[str, list[str]]:
    """(DOM after load, console messages and uncaught errors) from headless Chromium."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         "--dump-dom", path.resolve().as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines()
               if ":CONSOLE" in line or "Uncaught" in line or "Failed to load" in line]
    return result.stdout, console


def test_pages_are_self_contained_and_links_resolve(site):
    root: Path = site["root"]
    pages = sorted(root.rglob("*.html"))
    # index, search (issue 12), one page per theme and per report
    assert len(pages) == 2 + site["site"].theme_pages + site["site"].report_pages
    assert site["site"].report_pages == 20
    for page in pages:
        parsed = Page(page.read_text(encoding="utf-8"))
        for _tag, attrs in parsed.tags:
            for name in ("src", "href"):
                target = attrs.get(name)
                if not target or target.startswith("#"):
                    continue
                url = urlparse(target)
                assert not url.scheme and not url.netloc, f"{page.name}: external {target}"
                file = (page.parent / unquote(url.path)).resolve()
                assert file.is_file(), f"{page.name}: broken link {target}"
                if url.fragment:
                    assert f'id="{url.fragment}"' in file.read_text(encoding="utf-8")
        # the search page's inline data and script are the only scripts (no src: nothing fetched)
        assert parsed.count("script") == (2 if page.name == "search.html" else 0)
        assert not any(t == "link" and a.get("rel") == "stylesheet" for t, a in parsed.tags)


def test_theme_page_quotes_every_finding_with_its_citation(site):
    quotes = site["victims"]
    html = (site["root"] / "themes" / "victims.html").read_text(encoding="utf-8")
    page = Page(html)
    assert page.headings[0] == "Victims"
    assert page.count("blockquote", "improvement") == (quotes["kind"] == "improvement").sum()
    assert page.count("blockquote", "strength") == (quotes["kind"] == "strength").sum()
    first = quotes.iloc[0]
    text = page.all_text
    assert f"criterion {first['criterion']}" in text and first["file_name"] in text
    assert "<mark>" in html
    # every quote says how sure the tagger was and why
    assert html.count('<p class="tag">Tagged with confidence ') == len(quotes)
    assert f"confidence {first['confidence']:.2f} (" in text


@needs_chromium
def test_console_error_detector_catches_a_broken_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><title>t</title><h1>Bad</h1>"
                   "<script>console.error('boom'); notDefined();</script>")
    dom, console = open_in_chromium(bad, tmp_path / "profile")
    assert "<h1>Bad</h1>" in dom
    assert any("boom" in line for line in console)
    assert any("notDefined" in line for line in console)


@needs_chromium
def test_index_opens_in_chromium_without_errors(site, tmp_path):
    dom, console = open_in_chromium(site["site"].index, tmp_path / "profile")
    assert console == []
    page = Page(dom)
    assert page.headings[:4] == ["Inspection findings", "Themes", "Charts", "Reports"]
    assert page.count("svg") >= 4  # the charts rendered inline
    text = page.all_text
    years = sorted(g["year"] for g in gold_reports())
    assert f"20 reports ({years[0]}–{years[-1]})" in text
    for gold in gold_reports():
        assert gold["area"] in text
    kent = next(g for g in gold_reports() if g["area"] == "Kent")
    row = next(a for t, a in page.tags if t == "a" and a.get("href", "").startswith(
        "reports/kent-"))
    assert row["href"].endswith(".html")
    head = {h["domain"]: h for h in kent["headline"]}
    assert f"{head['safeguarding']['score']} {head['safeguarding']['comment'].lower()}" in text


@needs_chromium
def test_report_page_opens_and_shows_the_gold_numbers(site, tmp_path):
    reports = site["reports"]
    kent_row = reports[reports["area"] == "Kent"].iloc[0]
    path = site["root"] / "reports" / report_slug(kent_row)
    dom, console = open_in_chromium(path, tmp_path / "profile")
    assert console == []
    page = Page(dom)
    assert page.headings[0] == "Kent 2010"
    assert {"Headline scores", "Section and criterion scores", "Findings"} <= set(page.headings)
    gold = next(g for g in gold_reports() if g["area"] == "Kent")
    expected = sum(len(c.get("strengths", [])) + len(c.get("improvements", []))
                   for c in gold["criteria"])
    assert page.count("li") == expected
    text = page.all_text
    for head in gold["headline"]:
        assert f"{head['score']} {head['comment'].lower()} {head['lowest']} {head['average']} " \
               f"{head['highest']}" in text


def test_cli_report(db, tmp_path):
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "html"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "html" / "index.html").is_file()
    assert "20 report pages" in result.stdout
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = runner.invoke(app, ["report", "--out", str(blocker), "--db", str(db)])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
