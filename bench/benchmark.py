"""Speed and memory of the pipeline against a plain pdfplumber baseline, on this machine.

Every step runs as a subprocess of the real command (so interpreter, import and Prefect start-up
costs are included) while a sampler follows the whole process tree's resident memory:

1. baseline: one process running pdfplumber `page.extract_text()` over every page;
2. `findings ingest` of the same N reports into a fresh database, `--workers 1` and `--workers 2`;
3. the same ingest again (nothing new: every file is skipped by its sha256);
4. `findings retag` over the loaded reports;
5. a one-file ingest (the first report) into a new database.

Ingests use `--reader` (pdfium by default; pdfplumber is the reference reader). Without
PREFECT_API_URL the CLI ingests without Prefect, as a user without a Prefect server would.

By default the reports are the 160 CCI reports of ../shared/corpus and the 40 reports of the
2018+ framework in ../shared/corpus-yjs (N shared over the two by their sizes).

Usage:
    .venv/bin/python bench/benchmark.py --n 10
    .venv/bin/python bench/benchmark.py --n 10 --reader pdfplumber
    .venv/bin/python bench/benchmark.py --write-doc           # N=200, updates docs/performance.md
    .venv/bin/python bench/benchmark.py --n 160 --corpus ../shared/corpus   # CCI only
    .venv/bin/python bench/benchmark.py --n 16 --layout libreoffice   # 2018+, LibreOffice layout

`--layout libreoffice|gs|cairo` first writes that producer's copy of the corpora's reports into
the work folder (bench/producer_set.py; for LibreOffice, the 2018+ golds laid out by Writer)
and measures on those: the ratio on files not made by WeasyPrint or Chromium (issue 19).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_YJS = ROOT.parent / "shared" / "corpus-yjs"  # the 2018+ framework's reports
DOC = ROOT / "docs" / "performance.md"
MARK_START = "<!-- benchmark:start (written by bench/benchmark.py --write-doc) -->"
MARK_END = "<!-- benchmark:end -->"
GIB = 1024**3
MIB = 1024**2
PACKAGES = ("pdfplumber", "pdfminer.six", "prefect", "duckdb", "spacy", "dask", "distributed")

BASELINE_CODE = """
import sys, pdfplumber
pages = 0
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            pages += 1
print(pages)
"""


@dataclass
class Step:
    name: str
    command: list[str]
    target: str = ""
    wall_s: float = 0.0
    peak_rss: int = 0  # bytes, sum over the process tree at its fullest
    cpu_s: float = 0.0  # user + system CPU of the command and every child it waited for
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    notes: list[str] = field(default_factory=list)


def run_measured(step: Step, *, env: dict[str, str], cwd: Path, sample_s: float = 0.05) -> Step:
    """Run the step's command; record wall time and the process tree's peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        step.command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                family = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for member in family:
                with contextlib.suppress(psutil.Error):  # it may have just exited
                    total += member.memory_info().rss
            peak = max(peak, total)
            done.wait(sample_s)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    step.wall_s = time.perf_counter() - started
    done.set()
    sampler.join()
    step.peak_rss = peak
    step.returncode = proc.returncode
    step.stdout, step.stderr = out, err
    return step


def findings_command() -> list[str]:
    script = Path(sys.executable).with_name("findings")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical, {psutil.cpu_count(logical=False)} physical",
        "RAM": f"{psutil.virtual_memory().total / GIB:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "packages": ", ".join(versions),
    }


def count_reports(db: Path) -> str:
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return f"cannot open {db.name}: {exc}"
    try:
        reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        rejected = con.execute("SELECT count(DISTINCT sha256) FROM rejected_files").fetchone()[0]
    finally:
        con.close()
    return f"{reports} reports, {rejected} rejected in the database"


def pick(n: int, corpora: list[Path]) -> list[Path]:
    """N reports spread over the corpora in proportion to their sizes (every family present),
    each corpus's files in name order."""
    found = [sorted(c.glob("*.pdf")) for c in corpora]
    total = sum(len(f) for f in found)
    if total < n:
        raise SystemExit(f"only {total} PDFs in {', '.join(map(str, corpora))}, asked for {n}")
    shares = [round(n * len(f) / total) for f in found]
    shares[0] += n - sum(shares)
    return [p for f, k in zip(found, shares, strict=True) for p in f[:k]]


def run(
    n: int, corpora: list[Path], workers: list[int], workdir: Path, reader: str = "pdfium",
    repeat: int = 1,
) -> tuple[list[Step], int]:
    pdfs = pick(n, corpora)
    files = [str(p) for p in pdfs]
    env = dict(os.environ)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no telemetry calls offline
    cli = findings_command()
    steps: list[Step] = []

    def baseline() -> Step:
        return Step(
            "baseline: pdfplumber extract_text, 1 process",
            [sys.executable, "-c", BASELINE_CODE, *files],
        )

    def db_of(w: int) -> Path:
        return workdir / f"bench-w{w}.duckdb"

    def ingest(w: int) -> Step:
        db = db_of(w)
        for stale in workdir.glob(f"{db.name}*"):  # each repetition starts from no database
            stale.unlink()
        target = {1: "<= 0.15x baseline", 2: "<= 0.10x baseline"}.get(w, "")
        return Step(
            f"ingest, --workers {w}, --reader {reader}",
            [*cli, "ingest", *files, "--db", str(db), "--workers", str(w), "--reader", reader],
            target,
        )

    # the baseline and the ingests take turns, so a machine that speeds up or slows down
    # during the run (a shared VM) affects each alike; each step keeps its median run
    baselines: list[Step] = []
    ingests: dict[int, list[Step]] = {w: [] for w in workers}
    for _ in range(repeat):
        _run(baseline(), env, workdir, baselines)
        for w in workers:
            _run(ingest(w), env, workdir, ingests[w])
            ingests[w][-1].notes.append(count_reports(db_of(w)))
    steps += [_median(baselines), *(_median(ingests[w]) for w in workers)]
    pages = int(steps[0].stdout.strip() or 0) if steps[0].returncode == 0 else 0
    w = workers[-1]
    last_db = db_of(w)
    read = ["--reader", reader]
    again = Step(
        f"re-ingest (nothing new), --workers {w}",
        [*cli, "ingest", *files, "--db", str(last_db), "--workers", str(w)],
        "<= 3 s",
    )
    _run(again, env, workdir, steps)
    retag = Step("retag", [*cli, "retag", "--db", str(last_db)], "<= 10 s")
    _run(retag, env, workdir, steps)
    if retag.returncode == 0:  # its own timing, without the Prefect start-up around it
        retag.notes.append(" ".join(retag.stdout.split()))
    one_db = workdir / "bench-one.duckdb"
    one = Step(
        f"one-file ingest into a new database, --reader {reader}",
        [*cli, "ingest", files[0], "--db", str(one_db), *read],
        "<= 6 s",
    )
    _run(one, env, workdir, steps)
    one.notes.append(count_reports(one_db))
    return steps, pages


def _median(runs: list[Step]) -> Step:
    """The run with the median wall time (the slower middle one of an even count); the walls
    of all runs in a note when there were several."""
    ordered = sorted(runs, key=lambda s: s.wall_s)
    middle = ordered[len(ordered) // 2]
    if len(runs) > 1:
        walls = ", ".join(f"{s.wall_s:.1f}" for s in runs)
        middle.notes.append(f"median of {len(runs)} runs (wall s in run order: {walls})")
    return middle


def _run(step: Step, env: dict[str, str], cwd: Path, steps: list[Step]) -> None:
    print(f"running: {step.name} ...", file=sys.stderr, flush=True)
    before = _children_cpu()
    run_measured(step, env=env, cwd=cwd)
    step.cpu_s = _children_cpu() - before
    if step.returncode != 0:
        tail = (step.stderr.strip().splitlines() or ["(no output)"])[-1]
        step.notes.append(f"FAILED with exit code {step.returncode}: {tail}")
    steps.append(step)
    print(f"  {step.wall_s:.1f} s, peak RSS {step.peak_rss / MIB:.0f} MiB", file=sys.stderr)


def _children_cpu() -> float:
    """CPU seconds used so far by finished children (and what they waited for), from the kernel."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def table(steps: list[Step], n: int, pages: int) -> str:
    base = steps[0].wall_s or 1.0
    lines = [
        f"N = {n} reports, {pages} pages",
        "",
        "| step | wall s | x baseline | CPU s | peak RSS (tree) | target | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for s in steps:
        lines.append(
            f"| {s.name} | {s.wall_s:.1f} | {s.wall_s / base:.2f} | {s.cpu_s:.1f} "
            f"| {s.peak_rss / MIB:.0f} MiB "
            f"| {s.target} | {verdict(s, base)} |"
        )
    notes = [f"- {s.name}: {note}" for s in steps for note in s.notes]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def verdict(step: Step, base: float) -> str:
    if step.returncode != 0:
        return "FAILED"
    ok = step.peak_rss <= 1.0 * GIB
    if step.target.endswith("x baseline"):
        ok = ok and step.wall_s <= float(step.target.split()[1].rstrip("x")) * base
    elif step.target.endswith(" s"):
        ok = ok and step.wall_s <= float(step.target.split()[1])
    return "yes" if ok else "no"


def render(steps: list[Step], n: int, pages: int, command: str, sample: str = "") -> str:
    info = machine()
    lines = [
        MARK_START,
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `{command}`."
        + (f" Reports: {sample}." if sample else ""),
        "",
        table(steps, n, pages),
        "",
        "Wall time is what a user waits; CPU s is user + system time of the command and the",
        "children the kernel charges to it. It misses the reader and annotator processes (forked",
        "by a forkserver that is not waited for), so for ingest it shows only the loader's share.",
        "Peak RSS is the largest sum of resident memory over the command's process tree (workers",
        "included), sampled every 50 ms; the targets also require it to stay under 1 GiB.",
        f"Load average when the run ended: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        " (other work on the machine slows wall times).",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        MARK_END,
    ]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n\n"
    if MARK_START in text and MARK_END in text:
        head, rest = text.split(MARK_START, 1)
        tail = rest.split(MARK_END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n## Latest benchmark\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n", type=int, default=200,
        help="number of reports, shared over the corpora by their sizes (each in name order)",
    )
    parser.add_argument(
        "--corpus", type=Path, action="append",
        help="a folder of report PDFs (repeatable; default ../shared/corpus and, when present,"
        " ../shared/corpus-yjs: both report families)",
    )
    parser.add_argument(
        "--workers", default="1,2", help="comma-separated worker counts to ingest with"
    )
    parser.add_argument("--write-doc", action="store_true", help=f"update {DOC.relative_to(ROOT)}")
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder with the databases"
    )
    parser.add_argument(
        "--layout", choices=("libreoffice", "gs", "cairo"), default=None,
        help="measure on this producer's copy of the first N reports (bench/producer_set.py;"
        " libreoffice lays out the 2018+ golds of ../shared/corpus-yjs or --corpus)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="run the baseline and the ingests this many times, taking turns; each step"
        " reports its median run",
    )
    parser.add_argument(
        "--reader", choices=("pdfium", "pdfplumber"), default="pdfium",
        help="PDF character source for the ingests (findings ingest --reader)",
    )
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",") if w.strip()]

    workdir = Path(tempfile.mkdtemp(prefix="findings-bench-"))
    # resolved: the steps run in the work folder, where a relative path would find nothing
    corpora = (
        [c.resolve() for c in args.corpus] if args.corpus
        else [c for c in (CORPUS, CORPUS_YJS) if c.is_dir()]
    )
    if args.layout:
        sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages
        from bench.producer_set import make_set

        sources = corpora if args.corpus else [CORPUS_YJS]
        if args.layout != "libreoffice" and not args.corpus:
            sources = corpora
        made = workdir / f"{args.layout}-set"
        for source in sources:
            make_set(args.layout, made, source, args.n)
        corpora = [made]
    try:
        steps, pages = run(args.n, corpora, workers, workdir, args.reader, max(1, args.repeat))
    finally:
        if args.keep:
            print(f"work folder kept: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    command = "bench/benchmark.py " + " ".join(argv if argv is not None else sys.argv[1:])
    counts = Counter(p.parent.name for p in pick(args.n, corpora))
    sample = ", ".join(f"{k} from {name}/" for name, k in counts.items())
    block = render(steps, args.n, pages, command.strip(), sample)
    print(block)
    if args.write_doc:
        write_doc(block)
        print(f"wrote {DOC}", file=sys.stderr)
    return 0 if all(s.returncode == 0 for s in steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
