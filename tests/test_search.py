"""Full-text search: the index written with each report and by retag, BM25 ranking, word forms,
phrases, filters, snippets, the CLI's JSON, the SQL macro, and the migration of an older file.

The database is built from a corpus gold report whose texts are replaced by sentences written
for these tests, so every expected order is known by construction (no PDF is read).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from load.db import connect
from load.report import load_report
from load.search_index import rebuild_index, stem
from publish.outputs import PublishError
from publish.query import open_readonly
from publish.search import Filters, parse_query, search, snippet
from tests.conftest import data_path
from tests.gold_report import report_from_gold

runner = CliRunner()
CORPUS = data_path("corpus")

STRENGTHS = [
    "Victims were contacted promptly and their safety was considered in every case.",
    "Victims victims victims.",
    "Child sexual exploitation was identified in assessments.",
    "Management oversight of risk of harm work was effective.",
]
IMPROVEMENTS = [
    "Oversight by management was limited.",
    "Staff had not exploited every chance to involve parents.",
    "Safety planning was weak.",
    "The victim's wishes were not always recorded.",
]
RECOMMENDATION = "Attention is given to the safety of victims and to their wishes."


def gold(area: str, year: int, isbn: str) -> dict:
    base = json.loads(data_path("corpus/barnet-2011.gold.json").read_text())
    g = copy.deepcopy(base)
    g.update(area=area, year=year, isbn=isbn)
    g["criteria"] = g["criteria"][:1]
    g["criteria"][0]["strengths"] = [{"n": i + 1, "text": t} for i, t in enumerate(STRENGTHS)]
    g["criteria"][0]["improvements"] = [
        {"n": i + 1, "text": t} for i, t in enumerate(IMPROVEMENTS)]
    g["recommendations"] = [{"n": 1, "text": RECOMMENDATION, "responsible": "YOS Manager"}]
    g["good_practice"] = [{
        "area": "Outcomes", "criterion": "1.1",
        "text": "A mentor scheme helped a young person out of gang exploitation."}]
    g["service_users"] = {
        "children_and_young_people": {"respondents": 9, "points": [
            "Most said their YOT worker helped them feel safe."]},
        "victims": {"respondents": 3, "points": ["Victims said they felt listened to."]},
    }
    return g


def load(con, g: dict, name: str, annotate: bool = True) -> str:
    from transform.nlp import annotate_report

    sha = hashlib.sha256(json.dumps(g, sort_keys=True).encode()).hexdigest()
    report = report_from_gold(g, sha, f"/data/{name}.pdf")
    load_report(con, report, annotate_report(report) if annotate else None)
    return sha


@pytest.fixture(scope="module")
def search_db(tmp_path_factory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    path = tmp_path_factory.mktemp("search") / "search.duckdb"
    con = connect(path)
    try:
        load(con, gold("Northtown", 2010, "978-0-00-000001-1"), "northtown-2010")
        g = gold("Southville", 2012, "978-0-00-000002-2")
        g["template"] = "cci-2012-test"
        load(con, g, "southville-2012")
    finally:
        con.close()
    return path


@pytest.fixture()
def rcon(search_db):
    con = open_readonly(search_db, sandboxed=True)
    yield con
    con.close()


def texts(hits) -> list[str]:
    return list(hits["text"])


def test_stemmer_joins_word_forms():
    assert stem("victims") == stem("victim") == stem("victim's") == "victim"
    assert stem("exploited") == stem("exploitation") == stem("exploiting") == "exploit"
    assert stem("management") == stem("managers") == stem("managed")
    assert stem("children") == stem("child") and stem("children's") == "child"
    assert stem("safety") != stem("safeguarding")


def test_parse_query_units_phrases_and_stop_words():
    q = parse_query('the victims of "management oversight" well-being', {"the", "of"})
    assert q.units == [["victim"], ["manag", "oversight"], ["well", "be"]]
    assert q.phrases == [False, True, True]


def test_index_is_written_with_the_report(search_db):
    con = open_readonly(search_db)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM v_search_texts), (SELECT count(*) FROM search_documents),"
            " (SELECT count(DISTINCT source) FROM search_documents),"
            " (SELECT count(*) FROM search_postings WHERE term = 'exploit')"
        ).fetchone()
    finally:
        con.close()
    assert counts[0] == counts[1] == 2 * (len(STRENGTHS) + len(IMPROVEMENTS) + 1 + 1 + 2)
    assert counts[2] == 4  # finding, recommendation, good_practice, service_users
    assert counts[3] == 2 * 3  # exploitation (finding), exploited (finding), exploitation (gp)


def test_word_forms_match(rcon):
    victim = texts(search(rcon, "victim", limit=50))
    assert "The victim's wishes were not always recorded." in victim
    assert RECOMMENDATION in victim and "Victims were contacted promptly and their safety was" \
        " considered in every case." in victim
    exploited = set(texts(search(rcon, "exploited", limit=50)))
    assert exploited == {
        "Child sexual exploitation was identified in assessments.",
        "Staff had not exploited every chance to involve parents.",
        "A mentor scheme helped a young person out of gang exploitation.",
    }


def test_texts_with_every_word_rank_first(rcon):
    hits = search(rcon, "victims safety", Filters(areas=["Northtown"]), limit=10)
    # "Victims victims victims." has the highest BM25 for 'victims' alone, but lacks 'safety'
    both = {"Victims were contacted promptly and their safety was considered in every case.",
            RECOMMENDATION}
    assert set(texts(hits)[:2]) == both
    assert list(hits["matched"][:2]) == [2, 2] and hits["matched"].iloc[2] == 1
    # then by BM25: 'safety' is in fewer texts than 'victims', so its short text comes next
    assert texts(hits)[2:4] == ["Safety planning was weak.", "Victims victims victims."]
    assert list(hits["score"]) == sorted(hits["score"][:2], reverse=True) + sorted(
        hits["score"][2:], reverse=True)


def test_bm25_prefers_rarer_terms_and_shorter_texts(rcon):
    hits = search(rcon, "victims", Filters(areas=["Northtown"], sources=["finding"]))
    assert texts(hits)[0] == "Victims victims victims."
    scores = rcon.execute(
        "SELECT source_id, score FROM search_rank([['exploit'], ['safeti']])"
    ).fetchall()
    assert scores  # the macro runs on its own, from any SQL


def test_quoted_phrase_matches_only_the_phrase(rcon):
    phrase = texts(search(rcon, '"management oversight"', limit=50))
    assert set(phrase) == {"Management oversight of risk of harm work was effective."}
    words = set(texts(search(rcon, "management oversight", limit=50)))
    assert "Oversight by management was limited." in words
    assert len(search(rcon, '"oversight management"', limit=50)) == 0


def test_filters(rcon):
    def sources(**kw):
        return set(search(rcon, "victims safety exploitation", Filters(**kw), limit=100)["source"])

    assert sources(sources=["recommendation"]) == {"recommendation"}
    assert sources(sources=["service_users"]) == {"service_users"}
    improvement = search(rcon, "victim safety", Filters(kinds=["improvement"]), limit=100)
    assert set(improvement["kind"]) == {"improvement"}
    assert set(improvement["text"]) == {"Safety planning was weak.",
                                        "The victim's wishes were not always recorded."}
    assert set(search(rcon, "victims", Filters(areas=["south"]))["area"]) == {"Southville"}
    assert set(search(rcon, "victims", Filters(years=[2010]))["year"]) == {2010}
    assert set(search(rcon, "victims", Filters(templates=["cci-2012-test"]))["area"]) == {
        "Southville"}
    assert set(search(rcon, "victims", Filters(templates=["cci"]))["area"]) == {
        "Northtown", "Southville"}
    themed = search(rcon, "victims", Filters(themes=["victims"]), limit=100)
    assert len(themed) and themed["source"].isin(["finding", "recommendation",
                                                   "good_practice"]).all()
    ids = tuple(themed["source_id"])
    tagged = rcon.execute(
        "SELECT count(DISTINCT source_id) FROM text_themes WHERE theme = 'victims'"
        f" AND source_id IN {ids if len(ids) > 1 else (ids[0], ids[0])}").fetchone()[0]
    assert tagged == len(ids)
    assert search(rcon, "victims", limit=3).shape[0] == 3
    with pytest.raises(PublishError, match="unknown theme"):
        search(rcon, "victims", Filters(themes=["weather"]))
    with pytest.raises(PublishError, match="unknown source"):
        search(rcon, "victims", Filters(sources=["glossary"]))
    with pytest.raises(PublishError, match="nothing to search for"):
        search(rcon, "the of")


def test_snippet_marks_matches_and_cuts_long_texts():
    q = parse_query('victims "management oversight"')
    assert snippet("Management oversight helped victims.", q) == (
        "**Management oversight** helped **victims**.")
    long = "word " * 100 + "the victims said so " + "word " * 100
    cut = snippet(long, q, width=80)
    assert cut.startswith("…") and cut.endswith("…") and "**victims**" in cut
    assert len(cut) < 100


def test_cli_json_hits_carry_citations(search_db):
    result = runner.invoke(app, ["search", '"management oversight"', "--db", str(search_db),
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 2  # one per report
    for hit in hits:
        assert {"source", "report_id", "area", "year", "template", "criterion", "kind", "seq",
                "text", "snippet", "page", "file_name", "score"} <= set(hit)
        assert hit["source"] == "finding" and hit["kind"] == "strength" and hit["seq"] == 4
        assert hit["criterion"] == "1.1" and hit["page"] == 1 and hit["score"] > 0
        assert hit["snippet"].startswith("**Management oversight**")
        assert hit["file_name"] in ("northtown-2010.pdf", "southville-2012.pdf")
    for fmt in ("csv", "markdown", "table"):
        out = runner.invoke(app, ["search", "victims", "--db", str(search_db), "-f", fmt,
                                  "--source", "service_users"], env={"COLUMNS": "200"})
        assert out.exit_code == 0 and "said they felt listened to" in out.stdout
    bad = runner.invoke(app, ["search", "victims", "--db", str(search_db), "--source", "x"])
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_sql_macro_searches_from_plain_sql(search_db):
    result = runner.invoke(app, ["sql", "SELECT area, source, text FROM search("
                                 "'\"management oversight\"') ORDER BY area",
                                 "--db", str(search_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["area"] for r in rows] == ["Northtown", "Southville"]
    units = runner.invoke(app, ["sql", "SELECT search_units('the Victims \"well-being\"') AS u",
                                "--db", str(search_db), "-f", "json"])
    assert json.loads(units.stdout) == [{"u": [["victim"], ["well", "being"]]}]


def test_index_follows_load_replacement_and_retag(tmp_path):
    from flows.retag_work import retag_database

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    path = tmp_path / "refresh.duckdb"
    con = connect(path)
    try:
        first = load(con, gold("Eastham", 2011, "978-0-00-000003-3"), "eastham-2011",
                     annotate=False)
        assert search(con, "exploitation")["report_id"].eq(first).all()
        second_gold = gold("Eastham", 2011, "978-0-00-000003-3")  # same ISBN, new bytes
        second_gold["recommendations"][0]["text"] = "Plans address county lines exploitation."
        second = load(con, second_gold, "eastham-2011-corrected", annotate=False)
        assert set(search(con, "exploitation", limit=100)["report_id"]) == {second}
        assert con.execute("SELECT count(DISTINCT report_id) FROM search_postings"
                           " UNION ALL SELECT count(DISTINCT report_id) FROM search_documents"
                           ).fetchall() == [(1,), (1,)]
        assert len(search(con, '"county lines"')) == 1
        con.execute("UPDATE findings SET text = 'Remand decisions were well recorded.'"
                    " WHERE seq = 3 AND kind = 'strength'")
        assert len(search(con, "remand")) == 0  # the index is not yet told
    finally:
        con.close()
    retag_database(str(path), workers=1)
    con = open_readonly(path)
    try:
        hits = search(con, "remanded")
        assert texts(hits) == ["Remand decisions were well recorded."]
        assert len(search(con, '"sexual exploitation"')) == 0
    finally:
        con.close()


def test_migration_builds_the_index_of_an_older_database(search_db, tmp_path):
    import shutil

    path = tmp_path / "old.duckdb"
    shutil.copy(search_db, path)
    con = connect(path, apply=False)
    try:
        expected = con.execute("SELECT count(*) FROM search_postings").fetchone()[0]
        for table in ("search_documents", "search_postings", "search_vocabulary"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE schema_info SET value = '3' WHERE key = 'schema_version'")
    finally:
        con.close()
    with pytest.raises(Exception, match="findings migrate"):
        open_readonly(path)
    result = runner.invoke(app, ["migrate", "--db", str(path)])
    assert result.exit_code == 0, result.output
    con = open_readonly(path)
    try:
        assert con.execute("SELECT count(*) FROM search_postings").fetchone()[0] == expected
        assert len(search(con, '"management oversight"')) == 2
    finally:
        con.close()


def test_rebuild_is_the_same_as_loading(search_db, tmp_path):
    import shutil

    path = tmp_path / "rebuilt.duckdb"
    shutil.copy(search_db, path)
    query = ("SELECT source_id, term, pos FROM search_postings ORDER BY ALL")
    con = connect(path)
    try:
        before = con.execute(query).fetchall()
        rebuild_index(con)
        assert con.execute(query).fetchall() == before
    finally:
        con.close()


def test_both_report_families_are_searched():
    try:
        from tests.publish_data import mixed_db
    except ImportError:
        pytest.skip("the 2018+ report family is not in this tree yet")
    con = open_readonly(mixed_db(), sandboxed=True)
    try:
        families = con.execute(
            "SELECT DISTINCT split_part(template, '-', 1) FROM v_search_texts ORDER BY 1"
        ).fetchall()
        assert [f[0] for f in families] == ["cci", "yjs"]
        indexed = con.execute("SELECT count(*) FROM search_documents").fetchone()[0]
        assert indexed == con.execute("SELECT count(*) FROM v_search_texts").fetchone()[0]
        hits = search(con, "risk", Filters(templates=["yjs"]), limit=5)
        assert len(hits) and hits["template"].str.startswith("yjs").all()
    finally:
        con.close()


RUN_PAGE_JS = r"""
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const data = html.match(
  /<script type="application\/json" id="search-data">([\s\S]*?)<\/script>/)[1];
const script = html.match(/<script>([\s\S]*?)<\/script>/)[1];
const els = {'search-data': {textContent: data},
             q: {value: process.argv[3], addEventListener() {}},
             kind: {value: '', addEventListener() {}}, hits: {innerHTML: ''},
             count: {textContent: ''}};
global.document = {getElementById: id => els[id]};
global.location = {hash: ''};
new Function(script)();
const quotes = els.hits.innerHTML.matchAll(/<blockquote class="(\w+)">([\s\S]*?)<br>/g);
console.log(JSON.stringify([...quotes].map(m => m[2])));
"""


def test_html_report_has_an_offline_search_page(search_db, tmp_path):
    import shutil
    import subprocess

    out = tmp_path / "site"
    result = runner.invoke(app, ["report", "--out", str(out), "--db", str(search_db)])
    assert result.exit_code == 0, result.output
    page = (out / "search.html").read_text(encoding="utf-8")
    assert 'id="q"' in page and "<script>" in page
    assert "http://" not in page and "https://" not in page and " src=" not in page
    assert 'href="search.html"' in (out / "index.html").read_text(encoding="utf-8")
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed: the page's script is not run")
    script = tmp_path / "run.js"
    script.write_text(RUN_PAGE_JS)

    def hits(query: str) -> list[str]:
        done = subprocess.run([node, str(script), str(out / "search.html"), query],
                              capture_output=True, text=True, check=True, timeout=60)
        return json.loads(done.stdout)

    assert hits('"management oversight"') == [
        "<mark>Management oversight</mark> of risk of harm work was effective."] * 2
    exploited = hits("exploited")
    assert len(exploited) == 4 and all("<mark>exploit" in h for h in exploited)
    # every word first, as the CLI ranks
    assert hits("victims safety")[0].startswith("<mark>Victims</mark> were contacted promptly")


def test_search_command_starts_without_pandas(search_db):
    """The cold start is most of a one-off search: the command prints without pandas."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flows.cli", "search", "victims",
         "--db", str(search_db), "--format", "json", "--limit", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "pandas" not in imported
    hits = json.loads(done.stdout)
    assert len(hits) == 2 and all("victim" in hit["text"].lower() for hit in hits)
