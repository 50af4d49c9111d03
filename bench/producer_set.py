"""Write another producer's copy of report PDFs, with their golds, for the benchmarks (issue 19).

The corpora were laid out by WeasyPrint and Chromium only; published reports come from other
tools. This makes the same reports with tests/producers.py:

- `libreoffice`: each 2018+ gold laid out by LibreOffice Writer (tests/alt_layout.py's layout);
- `gs` / `cairo`: each PDF re-distilled by Ghostscript or re-written by cairo.

The copies keep their names and golds, so bench/benchmark.py (--corpus or --layout),
bench/reader_identity.py and bench/accuracy.py run on them as on the corpora.

Usage:
    .venv/bin/python bench/producer_set.py libreoffice OUT [--n 16] [--source ../shared/corpus-yjs]
    .venv/bin/python bench/producer_set.py gs OUT --source ../shared/corpus --n 20
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PRODUCERS = ("libreoffice", "gs", "cairo")
DEFAULT_SOURCE = ROOT.parent / "shared" / "corpus-yjs"


def make_set(producer: str, out: Path, source: Path = DEFAULT_SOURCE, n: int | None = None,
             jobs: int = 2) -> list[Path]:
    """`producer`'s copies of the first `n` reports of `source` (by name) in `out`, each with
    its gold; returns the PDFs written."""
    from tests import producers

    out.mkdir(parents=True, exist_ok=True)
    golds = sorted(source.glob("*.gold.json"))[:n]

    def one(gold: Path) -> Path:
        name = gold.name.replace(".gold.json", "")
        target = out / f"{name}.pdf"
        if producer == "libreoffice":
            producers.libreoffice(json.loads(gold.read_text("utf-8")), target)
        else:
            make = producers.ghostscript if producer == "gs" else producers.cairo
            make(source / f"{name}.pdf", target)
        shutil.copy(gold, out / gold.name)
        return target

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, golds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("producer", choices=PRODUCERS)
    parser.add_argument("out", type=Path)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder of golds (and PDFs, for gs / cairo)")
    parser.add_argument("--n", type=int, default=None, help="first N reports by name")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    written = make_set(args.producer, args.out, args.source, args.n, args.jobs)
    print(f"{len(written)} {args.producer} PDFs in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
