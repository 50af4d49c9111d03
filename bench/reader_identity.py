"""Do the pdfium and pdfplumber readers give the same reports? Checked on every file given.

    python bench/reader_identity.py                      # both corpora, examples, Stoke PDFs
    python bench/reader_identity.py --jobs 2 PDFS_OR_DIRS...

Each PDF is read by both readers and parsed (transform.templates.parse_document); the two
Reports are compared field by field: every text, number and page exactly, boxes within 1 pt.
The Documents are compared too (line texts, bold, sizes, tables), because a difference there
that the parser happens to ignore today is tomorrow's mismatch. A file that pdfium could not
reproduce and that was read by pdfplumber instead counts as identical by construction and is
listed as a fall-back. Exits 1 when any file differs. `compare_reports` and `check_pdf` are
importable so tests use the same rules.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_PATHS = [
    SHARED / "corpus", SHARED / "corpus-yjs", SHARED / "reports", ROOT / "examples",
]
BOX_KEYS = frozenset({"x0", "x1", "top", "bottom"})
BOX_TOLERANCE = 1.0


@dataclass
class Outcome:
    path: str
    reader: str = ""  # what actually read the file on the pdfium side
    fallback: str = ""  # why pdfium did not read it, when it fell back
    differences: list[str] = field(default_factory=list)
    max_box_delta: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)


def _walk(a: Any, b: Any, where: str, out: list[str], delta: list[float]) -> None:
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        if type(a) is not type(b):
            out.append(f"{where}: {type(a).__name__} != {type(b).__name__}")
            return
        for f in dataclasses.fields(a):
            _walk(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}", out, delta)
        return
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} items != {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _walk(x, y, f"{where}[{i}]", out, delta)
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            _walk(a.get(key), b.get(key), f"{where}[{key!r}]", out, delta)
        return
    key = where.rsplit(".", 1)[-1]
    if key in BOX_KEYS and isinstance(a, int | float) and isinstance(b, int | float):
        gap = abs(float(a) - float(b))
        delta[0] = max(delta[0], gap)
        if gap > BOX_TOLERANCE:
            out.append(f"{where}: {a!r} != {b!r} (more than {BOX_TOLERANCE} pt)")
        return
    if a != b:
        out.append(f"{where}: {str(a)[:120]!r} != {str(b)[:120]!r}")


def compare_reports(reference: Any, other: Any, where: str = "report") -> tuple[list[str], float]:
    """Differences between two Reports (or Documents): exact, except boxes within 1 pt."""
    out: list[str] = []
    delta = [0.0]
    _walk(reference, other, where, out, delta)
    return out, delta[0]


def _document_view(document: Any) -> Any:
    """The Document without what legitimately differs (which reader read it)."""
    return dataclasses.replace(document, reader="", fallback="")


def check_pdf(path: str | Path) -> Outcome:
    """Read `path` with both readers, parse both, and list every difference."""
    from extract import UnreadablePDF, read_pdf
    from transform.model import NotAReport
    from transform.templates import parse_document

    outcome = Outcome(str(path))
    results: dict[str, Any] = {}
    for reader in ("pdfplumber", "pdfium"):
        started = time.process_time()
        try:
            document = read_pdf(str(path), reader=reader)
        except UnreadablePDF as exc:
            results[reader] = ("unreadable", exc.reason)
            outcome.seconds[reader] = time.process_time() - started
            continue
        outcome.seconds[reader] = time.process_time() - started
        if reader == "pdfium":
            outcome.reader, outcome.fallback = document.reader, document.fallback
        try:
            report = parse_document(document)
        except NotAReport as exc:
            report = ("not_a_report", exc.reason)
        else:  # which reader read it is the one thing that legitimately differs
            report.source = dataclasses.replace(report.source, reader="", fallback="")
        results[reader] = (_document_view(document), report)
    ref, got = results["pdfplumber"], results["pdfium"]
    if isinstance(ref[0], str) or isinstance(got[0], str):
        if ref != got:
            outcome.differences.append(f"outcome: {ref!r} != {got!r}")
        return outcome
    doc_diffs, doc_delta = compare_reports(ref[0], got[0], "document")
    rep_diffs, rep_delta = compare_reports(ref[1], got[1], "report")
    outcome.differences = rep_diffs + doc_diffs
    outcome.max_box_delta = max(doc_delta, rep_delta)
    return outcome


def _safe_check(path: str) -> Outcome:
    try:
        return check_pdf(path)
    except Exception as exc:  # noqa: BLE001 - one broken file is one reported mismatch
        return Outcome(path, differences=[f"crashed: {type(exc).__name__}: {exc}"])


def pdfs_under(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.pdf")) if path.is_dir() else [path])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, help="PDFs or folders (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--show", type=int, default=5, help="differences listed per file")
    args = parser.parse_args(argv)
    pdfs = pdfs_under(args.paths or [p for p in DEFAULT_PATHS if p.exists()])
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for o in pool.map(_safe_check, [str(p) for p in pdfs]):  # printed as they come
            outcomes.append(o)
            state = "DIFFERS" if o.differences else "identical"
            if o.reader == "pdfplumber":
                state += f" (fell back to pdfplumber: {o.fallback})"
            print(f"{state} {o.path} max box delta {o.max_box_delta:.4f} pt", flush=True)
            for line in o.differences[: args.show]:
                print(f"    {line}", flush=True)
    wall = time.perf_counter() - started
    differing = [o for o in outcomes if o.differences]
    fallbacks = [o for o in outcomes if o.reader == "pdfplumber"]
    plumber = sum(o.seconds.get("pdfplumber", 0.0) for o in outcomes)
    pdfium = sum(o.seconds.get("pdfium", 0.0) for o in outcomes)
    delta = max((o.max_box_delta for o in outcomes), default=0.0)
    print(
        f"{len(outcomes)} PDFs, {len(outcomes) - len(differing)} identical, {len(differing)}"
        f" differ, {len(fallbacks)} read by pdfplumber after a fall-back; largest box"
        f" difference {delta:.4f} pt; read_pdf CPU: pdfplumber {plumber:.1f} s, pdfium"
        f" {pdfium:.1f} s ({plumber / pdfium if pdfium else 0:.1f}x); {wall:.0f} s wall"
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
