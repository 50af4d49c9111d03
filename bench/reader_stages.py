"""CPU time per stage of one report, for each reader, in one warm process.

    python bench/reader_stages.py --n 5          # the first N corpus reports (after a warm-up)

Stages: open (pdfium: the document and the font dictionaries; pdfplumber: the document),
characters (pdfium: text pages, chars and shapes; pdfplumber: pdfminer's layout and lean
chars), lines + tables, parse, NLP annotation, load into DuckDB (one connection for the run,
as the ingest's writer keeps it), and orchestration: what reading a file in its time-limited
child process adds (fork, hand-over of the Report), as the parent's wall time minus the same
work in this process. `time.process_time()` around each other stage; the first report warms
imports and the spaCy pipeline and is left out.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def _timed(owner: object, name: str, into: dict[str, float], stage: str) -> Callable[[], None]:
    """Wrap owner.name so its CPU time adds to into[stage]; returns the undo."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            into[stage] = into.get(stage, 0.0) + time.process_time() - started

    setattr(owner, name, wrapper)
    return lambda: setattr(owner, name, original)


def stages(path: str, reader: str, con) -> dict[str, float]:
    """One report through every stage; CPU seconds per stage."""
    import pdfplumber

    from extract import pdfium_source
    from extract import reader as extract_reader
    from flows.isolate import read_and_parse
    from load.report import load_report
    from transform.nlp import annotate_report
    from transform.templates import parse_document

    parts: dict[str, float] = {}
    undo = [
        _timed(extract_reader, "_page", parts, "lines + tables"),
        _timed(pdfium_source, "open_document", parts, "open"),
        _timed(pdfium_source, "font_metrics", parts, "open"),
        _timed(pdfplumber, "open", parts, "open"),
    ]
    try:
        started = time.process_time()
        document = extract_reader.read_pdf(path, reader=reader)
        total = time.process_time() - started
    finally:
        for step in undo:
            step()
    times = {"open": parts.get("open", 0.0)}
    times["characters"] = total - times["open"] - parts.get("lines + tables", 0.0)
    times["lines + tables"] = parts.get("lines + tables", 0.0)
    started = time.process_time()
    report = parse_document(document)
    times["parse"] = time.process_time() - started
    started = time.process_time()
    annotations = annotate_report(report)
    times["NLP"] = time.process_time() - started
    started = time.process_time()
    load_report(con, report, annotations)
    times["load"] = time.process_time() - started
    started = time.perf_counter()
    read_and_parse(path, report.report_id, None, None, reader)
    in_process = time.perf_counter() - started
    started = time.perf_counter()
    read_and_parse(path, report.report_id, None, 120, reader)
    times["orchestration"] = max(0.0, time.perf_counter() - started - in_process)
    return times


def main(argv: list[str] | None = None) -> int:
    from load.db import connect

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--reader", choices=("pdfplumber", "pdfium"),
                        help="only this reader (default: each, in a process of its own)")
    args = parser.parse_args(argv)
    if args.reader is None:  # one process per reader: neither inherits the other's heap
        for reader in ("pdfplumber", "pdfium"):
            subprocess.run([sys.executable, __file__, "--n", str(args.n), "--corpus",
                            str(args.corpus), "--reader", reader], check=True)
        return 0
    pdfs = [str(p) for p in sorted(args.corpus.glob("*.pdf"))[: args.n + 1]]
    reader = args.reader
    sums: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / f"{reader}.duckdb")
        try:
            for i, pdf in enumerate(pdfs):
                got = stages(pdf, reader, con)
                if i == 0:
                    continue  # warm-up
                for key, value in got.items():
                    sums[key] = sums.get(key, 0.0) + value
        finally:
            con.close()
    n = len(pdfs) - 1
    row = ", ".join(f"{k} {v / n:.3f}" for k, v in sums.items())
    print(f"{reader}: CPU s per report ({n} reports): {row}; total"
          f" {sum(sums.values()) / n:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
