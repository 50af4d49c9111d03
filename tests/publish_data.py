"""Databases for the publish tests: a multi-area one built from gold JSON (no parser needed)
and, when the ingest works, one ingested from the bundled example PDF.

Built once per test session and cached in a temporary folder, since annotating 20 reports with
spaCy takes a few seconds.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

from tests.conftest import data_path, pdf_sha256

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLE_PDF = ROOT / "examples" / "stoke-on-trent-2011.pdf"
# every 8th of the 160 corpus reports by name, so every year and most regions appear (their
# golds are in tests/data/corpus)
GOLD_SAMPLE = (
    "barking-and-dagenham-2010", "blackpool-2009", "bromley-2009", "central-bedfordshire-2009",
    "cumbria-2010", "durham-2010", "gloucestershire-2012", "havering-2009", "kent-2010",
    "leicester-city-2009", "merthyr-tydfil-2010", "north-east-lincolnshire-2010",
    "nottinghamshire-2011", "powys-2010", "salford-2011", "south-gloucestershire-2012",
    "stockton-on-tees-2009", "telford-and-wrekin-2012", "waltham-forest-2010", "wiltshire-2009",
)

_WORK = Path(tempfile.mkdtemp(prefix="publish-tests-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)


def corpus_gold_files() -> list[Path]:
    return [data_path(f"corpus/{name}.gold.json") for name in GOLD_SAMPLE]


@cache
def gold_db() -> Path:
    """A database of `GOLD_SAMPLE` corpus reports loaded from their gold JSON, NLP annotated.

    report_id is the sha256 of the matching PDF and source_path its path in ../shared, as an
    ingest would store them (the gold has no boxes, and every page is 1).
    """
    from load.db import connect
    from load.report import load_report
    from tests.gold_report import report_from_gold
    from transform.nlp import annotate_report

    path = _WORK / "gold.duckdb"
    con = connect(path)
    try:
        for gold_file in corpus_gold_files():
            pdf = CORPUS / gold_file.name.replace(".gold.json", ".pdf")
            sha = pdf_sha256(f"corpus/{pdf.name}")
            report = report_from_gold(json.loads(gold_file.read_text()), sha, pdf)
            load_report(con, report, annotate_report(report))
    finally:
        con.close()
    return path


def gold_reports() -> list[dict]:
    return [json.loads(f.read_text()) for f in corpus_gold_files()]


@cache
def example_db() -> Path | None:
    """The bundled example PDF ingested for real (None if the ingest cannot load it)."""
    from flows.work import Parsed, process_file
    from load.db import connect
    from load.report import load_report

    sha = hashlib.sha256(EXAMPLE_PDF.read_bytes()).hexdigest()
    result = process_file(str(EXAMPLE_PDF), sha, None)
    if not isinstance(result, Parsed):
        return None
    path = _WORK / "example.duckdb"
    con = connect(path)
    try:
        load_report(con, result.report, result.annotations)
    finally:
        con.close()
    return path


# 2018+ reports next to CCI reports of the same areas (York, Kingston upon Hull, Bedford,
# Gateshead), so cross-framework views and queries have something to join.
YJS_CORPUS = ROOT.parent / "shared" / "corpus-yjs"
MIXED_YJS = ("york-2020", "kingston-upon-hull-2021", "bedford-2019", "gateshead-2019",
             "halton-2025", "east-sussex-2022")
MIXED_CCI = ("york-2009", "kingston-upon-hull-2010", "bedford-2009", "gateshead-2012")


def yjs_gold(name: str) -> dict:
    return json.loads(data_path(f"corpus-yjs/{name}.gold.json").read_text(encoding="utf-8"))


@cache
def mixed_db() -> Path:
    """A database of a few CCI and 2018+ reports loaded from gold JSON, NLP annotated.

    The areas overlap across the frameworks; report_id is the sha256 of the matching PDF.
    """
    from load.db import connect
    from load.report import load_report
    from tests.gold_report import report_from_gold, yjs_report_from_gold
    from transform.nlp import annotate_report

    path = _WORK / "mixed.duckdb"
    con = connect(path)
    try:
        for folder, names, build in ((CORPUS, MIXED_CCI, report_from_gold),
                                     (YJS_CORPUS, MIXED_YJS, yjs_report_from_gold)):
            for name in names:
                pdf = folder / f"{name}.pdf"
                sha = pdf_sha256(f"{folder.name}/{pdf.name}")
                gold = json.loads(
                    data_path(f"{folder.name}/{name}.gold.json").read_text(encoding="utf-8")
                )
                report = build(gold, sha, pdf)
                load_report(con, report, annotate_report(report))
    finally:
        con.close()
    return path
