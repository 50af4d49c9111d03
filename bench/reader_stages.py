"""CPU time per stage of one report, for each reader, in one warm process.

    python bench/reader_stages.py --n 5          # the first N corpus reports

Stages: characters (pdfium: open + fonts + chars + shapes; pdfplumber: pdfminer's layout and
lean chars), lines + tables, parse, NLP annotation, load into DuckDB. `time.process_time()`
around each; the first report warms imports and the spaCy pipeline and is left out.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def stages(path: str, reader: str, db: str) -> dict[str, float]:
    """One report through every stage; CPU seconds per stage."""
    from extract import reader as extract_reader
    from load.db import connect
    from load.report import load_report
    from transform.nlp import annotate_report
    from transform.templates import parse_document

    times: dict[str, float] = {}
    built = {"lines": 0.0}
    original = extract_reader._page

    def timed_page(*args, **kwargs):  # lines + drawn bullets + ruled tables of one page
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            built["lines"] += time.process_time() - started

    extract_reader._page = timed_page
    try:
        started = time.process_time()
        document = extract_reader.read_pdf(path, reader=reader)
        total = time.process_time() - started
    finally:
        extract_reader._page = original
    times["characters"] = total - built["lines"]
    times["lines + tables"] = built["lines"]
    started = time.process_time()
    report = parse_document(document)
    times["parse"] = time.process_time() - started
    started = time.process_time()
    annotations = annotate_report(report)
    times["NLP"] = time.process_time() - started
    started = time.process_time()
    con = connect(db)
    try:
        load_report(con, report, annotations)
    finally:
        con.close()
    times["load"] = time.process_time() - started
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    pdfs = [str(p) for p in sorted(args.corpus.glob("*.pdf"))[: args.n + 1]]
    with tempfile.TemporaryDirectory() as folder:
        for reader in ("pdfplumber", "pdfium"):
            sums: dict[str, float] = {}
            for i, pdf in enumerate(pdfs):
                got = stages(pdf, reader, str(Path(folder) / f"{reader}-{i}.duckdb"))
                if i == 0:
                    continue  # warm-up
                for key, value in got.items():
                    sums[key] = sums.get(key, 0.0) + value
            n = len(pdfs) - 1
            row = ", ".join(f"{k} {v / n:.3f}" for k, v in sums.items())
            print(f"{reader}: CPU s per report ({n} reports): {row}; total"
                  f" {sum(sums.values()) / n:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
