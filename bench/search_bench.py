"""Full-text search: index build cost, query latency (warm and cold) and relevance.

1. **build** — a corpus database of the 160 reports in ../shared/corpus loaded from their gold
   JSON (no PDF is read, so this takes ~1 min instead of the 5–10 min of `findings ingest`), NLP
   annotated as ingest does. Every load_report is timed, and the part spent in index_reports
   separately; then `rebuild_index` (what retag and the migration do) is timed on the result.
   `--db` with an existing database (e.g. a real `findings ingest`) skips the build.
2. **latency** — every query of bench/search_queries.json: warm = `publish.search.search` on an
   open connection (median and max of 5 runs each); cold = the `findings search` command in a
   fresh process, start-up included (median of 3 per query, 5 queries).
3. **relevance** — each query has hand-judged relevant findings (bench/search_queries.json:
   the sentence templates that answer its need, judged by reading every distinct finding text;
   the corpus repeats templates across reports, so one judgement stands for every finding
   written from it). Reports precision at 5 and recall at 20 (and recall at 20 capped: found in
   the top 20 / min(20, relevant), since most needs have over 100 relevant findings), per query
   and mean.

Usage:
    .venv/bin/python bench/search_bench.py                      # builds /tmp/search-bench.duckdb
    .venv/bin/python bench/search_bench.py --db corpus.duckdb   # an existing database
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
QUERIES = ROOT / "bench" / "search_queries.json"
FINDINGS = str(ROOT / ".venv" / "bin" / "findings")


def build(path: Path) -> dict:
    import load.report as report_module
    from load.db import connect
    from load.search_index import rebuild_index
    from tests.gold_report import report_from_gold
    from transform.nlp import annotate_report

    path.unlink(missing_ok=True)
    index_seconds = 0.0
    real_index = report_module.index_reports

    def timed_index(con, report_ids):
        nonlocal index_seconds
        started = time.perf_counter()
        try:
            return real_index(con, report_ids)
        finally:
            index_seconds += time.perf_counter() - started

    report_module.index_reports = timed_index
    load_seconds = annotate_seconds = 0.0
    con = connect(path)
    try:
        golds = sorted(CORPUS.glob("*.gold.json"))
        for gold_file in golds:
            pdf = gold_file.with_name(gold_file.name.replace(".gold.json", ".pdf"))
            sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
            report = report_from_gold(json.loads(gold_file.read_text()), sha, pdf)
            started = time.perf_counter()
            annotations = annotate_report(report)
            annotate_seconds += time.perf_counter() - started
            started = time.perf_counter()
            report_module.load_report(con, report, annotations)
            load_seconds += time.perf_counter() - started
        con.execute("BEGIN TRANSACTION")
        started = time.perf_counter()
        words = rebuild_index(con)
        rebuild_seconds = time.perf_counter() - started
        con.execute("COMMIT")
        counts = con.execute(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM search_documents),"
            " (SELECT count(*) FROM search_vocabulary)").fetchone()
    finally:
        con.close()
        report_module.index_reports = real_index
    return {"reports": counts[0], "texts": counts[1], "words": words, "vocabulary": counts[2],
            "load_s": load_seconds, "index_in_load_s": index_seconds,
            "annotate_s": annotate_seconds, "rebuild_s": rebuild_seconds,
            "db_mib": path.stat().st_size / 2**20}


def latency(path: Path, queries: list[dict]) -> dict:
    from publish.query import open_readonly
    from publish.search import search

    con = open_readonly(path, sandboxed=True)
    warm = []
    try:
        for q in queries:
            search(con, q["query"], limit=20)  # first run warms DuckDB's caches
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                search(con, q["query"], limit=20)
                runs.append(time.perf_counter() - started)
            warm.append((q["query"], statistics.median(runs), max(runs)))
    finally:
        con.close()
    cold = []
    for q in queries[:5]:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([FINDINGS, "search", q["query"], "--db", str(path), "-f", "json"],
                           check=True, capture_output=True, env={**os.environ, "COLUMNS": "200"})
            runs.append(time.perf_counter() - started)
        cold.append((q["query"], statistics.median(runs)))
    return {"warm": warm, "cold": cold}


def relevance(path: Path, queries: list[dict]) -> list[dict]:
    from publish.query import open_readonly
    from publish.search import Filters, search

    con = open_readonly(path, sandboxed=True)
    out = []
    try:
        for q in queries:
            patterns = [re.compile(p, re.I) for p in q["relevant"]]
            relevant = {
                row[0] for row in con.execute(
                    "SELECT source_id, text FROM v_search_texts WHERE source = 'finding'"
                ).fetchall() if any(p.search(row[1]) for p in patterns)
            }
            hits = search(con, q["query"], Filters(sources=["finding"]), limit=20)
            ranked = list(hits["source_id"])
            found5 = sum(1 for s in ranked[:5] if s in relevant)
            found20 = sum(1 for s in ranked[:20] if s in relevant)
            out.append({"query": q["query"], "relevant": len(relevant),
                        "p5": found5 / 5, "r20": found20 / len(relevant) if relevant else 0.0,
                        "r20_capped": found20 / min(20, len(relevant)) if relevant else 0.0})
    finally:
        con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing database (skips the build)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/search-bench.duckdb"))
    args = parser.parse_args()
    queries = json.loads(QUERIES.read_text())["queries"]
    path = args.db or args.out
    if not args.db:
        b = build(path)
        print(f"## Build ({b['reports']} reports from gold JSON, {b['texts']} texts,"
              f" {b['words']} words, vocabulary {b['vocabulary']}, database"
              f" {b['db_mib']:.1f} MiB)\n")
        print(f"- load_report total {b['load_s']:.2f} s, of which index_reports"
              f" {b['index_in_load_s']:.2f} s ({b['index_in_load_s'] / b['load_s']:.0%} of"
              f" loading); NLP annotation {b['annotate_s']:.2f} s")
        print(f"- rebuild_index over the whole database (retag, migration):"
              f" {b['rebuild_s']:.2f} s\n")
    lat = latency(path, queries)
    warm = [s for _, s, _ in lat["warm"]]
    print(f"## Latency ({len(warm)} queries, limit 20)\n")
    print(f"- warm: median {statistics.median(warm) * 1000:.1f} ms, slowest query"
          f" {max(warm) * 1000:.1f} ms (worst single run"
          f" {max(m for _, _, m in lat['warm']) * 1000:.1f} ms)")
    cold = [s for _, s in lat["cold"]]
    print(f"- cold (`findings search` process, start-up included): median"
          f" {statistics.median(cold):.2f} s, max {max(cold):.2f} s\n")
    rel = relevance(path, queries)
    print("## Relevance (findings only)\n")
    print("| query | relevant | P@5 | R@20 | R@20 capped |\n|---|---|---|---|---|")
    for r in rel:
        print(f"| `{r['query']}` | {r['relevant']} | {r['p5']:.2f} | {r['r20']:.2f} |"
              f" {r['r20_capped']:.2f} |")
    n = len(rel)
    print(f"| **mean of {n}** | | **{sum(r['p5'] for r in rel) / n:.2f}** |"
          f" **{sum(r['r20'] for r in rel) / n:.2f}** |"
          f" **{sum(r['r20_capped'] for r in rel) / n:.2f}** |")


if __name__ == "__main__":
    main()
