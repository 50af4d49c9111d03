"""Theme tagger accuracy against labelled texts, the labelling passes' agreement, and speed.

    .venv/bin/python bench/theme_accuracy.py              # per-theme P/R/F1, micro and macro:
                                                          # shipped model vs rules, every set
    .venv/bin/python bench/theme_accuracy.py --set held-out --errors   # one set, each miss
    .venv/bin/python bench/theme_accuracy.py --agreement  # the labelling passes vs each other
    .venv/bin/python bench/theme_accuracy.py --cv 5       # cross-validated figure (trains 5)
    .venv/bin/python bench/theme_accuracy.py --confidence # P/R of held-out at --min-confidence
    .venv/bin/python bench/theme_accuracy.py --speed      # annotate all findings of the corpus
    .venv/bin/python bench/theme_accuracy.py --retag      # load the corpus golds, time retag

Sets: `held-out` is the part of data/themes/labels.jsonl split off by meaning and never
trained or tuned on; `stoke`, `stoke-readers` (the same findings, two blind readers),
`own-words` and `fresh-cci` are the CCI fixtures in tests/fixtures (other readers, never
trained on); `yjs` is every distinct finding of the
../shared/corpus-yjs golds with its one reader's themes (never trained on).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transform.nlp import TextToTag, annotate_texts  # noqa: E402
from transform.nlp.pipeline import RULES_ONLY, get_nlp, taxonomy_of  # noqa: E402
from transform.nlp.scoring import (  # noqa: E402
    ThemeScore,
    load_labelled,
    load_yjs_findings,
    macro,
    micro,
    score,
)
from transform.nlp.theme_labels import read_labels  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
LABELS = ROOT / "data" / "themes" / "labels.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_YJS = ROOT.parent / "shared" / "corpus-yjs"
FIXTURE_SETS = {"stoke": ("CCI: Stoke on Trent 2011, 81 findings", "themes_stoke.json"),
                "stoke-readers": ("CCI: Stoke on Trent 2011, two blind readers",
                                  "themes_stoke_readers.json"),
                "own-words": ("CCI: own words", "themes_own_words.json"),
                "fresh-cci": ("CCI: fresh wording", "themes_fresh_cci.json")}
SET_NAMES = ("held-out", *FIXTURE_SETS, "yjs")
Labelled = list[tuple[TextToTag, set[str]]]


def themes_list() -> list[str]:
    return [t.id for t in taxonomy_of(get_nlp())]


def held_out() -> Labelled:
    rows = read_labels(LABELS, themes_list())
    return [(TextToTag("finding", r.id, r.text), set(r.themes))
            for r in rows if r.split == "held_out"]


def labelled_sets(only: str | None = None) -> Iterator[tuple[str, str, Labelled]]:
    if only in (None, "held-out"):
        part = held_out()
        yield "held-out", f"held-out part of data/themes/labels.jsonl: {len(part)} texts", part
    for name, (title, file) in FIXTURE_SETS.items():
        if only in (None, name):
            yield name, f"{title}: tests/fixtures/{file}", load_labelled(FIXTURES / file)
    if only in (None, "yjs") and any(CORPUS_YJS.glob("*.gold.json")):
        split = load_yjs_findings(CORPUS_YJS)
        both = split["tune"] + split["held_out"]
        yield "yjs", f"2018+ register: {len(both)} distinct findings of ../shared/corpus-yjs", both


def predict(labelled: Labelled, nlp) -> dict[str, set[str]]:
    ann = annotate_texts([item for item, _ in labelled], nlp=nlp)
    out: dict[str, set[str]] = {}
    for m in ann.themes:
        out.setdefault(m.source_id, set()).add(m.theme)
    return out


def _row(name: str, s: ThemeScore, n: int) -> str:
    return f"{s.precision:.2f}/{s.recall:.2f}/{s.f1:.2f} ({n})" if n or s.fp else "-"


def accuracy(show_errors: bool, only: str | None) -> None:
    """Per theme P/R/F1 of the shipped model beside the rules alone, for every set."""
    themes = themes_list()
    model, rules = get_nlp(), get_nlp(model_path=RULES_ONLY)
    for _name, title, labelled in labelled_sets(only):
        got = predict(labelled, model)
        scores = score(labelled, got, themes)
        rule_scores = score(labelled, predict(labelled, rules), themes)
        print(f"\n{title}")
        print(f"{'theme':32} {'model P/R/F1 (n)':>22} {'rules P/R/F1':>18}")
        for theme in themes:
            s, r = scores[theme], rule_scores[theme]
            n = s.tp + s.fn
            print(f"{theme:32} {_row(theme, s, n):>22} {_row(theme, r, n):>18}")
        for label, fn in (("micro", micro), ("macro", macro)):
            s, r = fn(scores), fn(rule_scores)
            print(f"{label:32} {s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}"
                  f"{'':6} {r.precision:.3f}/{r.recall:.3f}/{r.f1:.3f}")
        if show_errors:
            for item, gold in labelled:
                have = got.get(item.source_id, set())
                if have != gold:
                    print(f"  {item.source_id}: missed {sorted(gold - have)} "
                          f"extra {sorted(have - gold)}\n    {item.text[:200]}")


def confidence_table() -> None:
    """Held-out micro P/R when only tags at or above each confidence are kept."""
    labelled = held_out()
    ann = annotate_texts([item for item, _ in labelled])
    themes = themes_list()
    print(f"{'--min-confidence':>16} {'P':>6} {'R':>6} {'F1':>6} {'tags':>6}")
    for bar in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9):
        got: dict[str, set[str]] = {}
        for m in ann.themes:
            if (m.confidence or 0) >= bar:
                got.setdefault(m.source_id, set()).add(m.theme)
        s = micro(score(labelled, got, themes))
        print(f"{bar:16.1f} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp + s.fp:6}")


def cross_validate(folds: int) -> None:
    """Train `folds` models, each without one fold of the training part's meaning groups, and
    score the fold with the full tagging rule (calibration inside each training run)."""
    import tempfile

    from transform.nlp.theme_training import fold_of, train_theme_model
    from transform.nlp.themes import DEFAULT_THEMES

    themes = themes_list()
    rows = [r for r in read_labels(LABELS, themes) if r.split == "train"]
    totals = {t: ThemeScore(t, 0, 0, 0) for t in themes}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            test = [r for r in rows if fold_of("cv" + r.group, folds) == k]
            train_file = Path(tmp) / f"fold{k}.jsonl"
            train_file.write_text("".join(
                json.dumps({"id": r.id, "group": r.group, "text": r.text,
                            "themes": sorted(r.themes)}) + "\n"
                for r in rows if fold_of("cv" + r.group, folds) != k), encoding="utf-8")
            out = Path(tmp) / f"model{k}"
            train_theme_model(train_file, DEFAULT_THEMES, out, log=lambda _line: None)
            labelled = [(TextToTag("finding", r.id, r.text), set(r.themes)) for r in test]
            fold_scores = score(labelled, predict(labelled, get_nlp(model_path=str(out))),
                                themes)
            for t, s in fold_scores.items():
                totals[t].tp += s.tp
                totals[t].fp += s.fp
                totals[t].fn += s.fn
            m = micro(fold_scores)
            print(f"fold {k + 1}/{folds}: {len(test)} texts, micro P/R/F1 "
                  f"{m.precision:.3f}/{m.recall:.3f}/{m.f1:.3f}", flush=True)
    for t, s in totals.items():
        print(f"{t:32} {s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f} ({s.tp + s.fn})")
    for label, fn in (("micro", micro), ("macro", macro)):
        s = fn(totals)
        print(f"{label:32} {s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}")


def agreement() -> None:
    """The labelling passes against each other (data/themes/build_labels.py --check)."""
    import runpy

    sys.argv = ["build_labels.py", "--check"]
    runpy.run_path(str(ROOT / "data" / "themes" / "build_labels.py"), run_name="__main__")


def speed() -> None:
    files = sorted(CORPUS.glob("*.gold.json"))
    if not files:
        raise SystemExit(f"no corpus golds in {CORPUS}")
    reports = []
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        items = [TextToTag("finding", f"{path.stem}:{c['code']}:{kind}{f['n']}", f["text"])
                 for c in gold["criteria"] for kind in ("strengths", "improvements")
                 for f in c[kind]]
        reports.append((items, {g["term"]: g["definition"] for g in gold.get("glossary", [])}))
    t0 = time.perf_counter()
    get_nlp()
    t1, cpu1 = time.perf_counter(), time.process_time()
    n_texts = n_themes = n_props = 0
    for items, glossary in reports:
        ann = annotate_texts(items, glossary)
        n_texts += len(items)
        n_themes += len(ann.themes)
        n_props += len(ann.proportions)
    t2, cpu2 = time.perf_counter(), time.process_time()
    print(f"pipeline build: {t1 - t0:.2f}s")
    print(f"{len(reports)} reports, {n_texts} findings annotated in {t2 - t1:.2f}s wall, "
          f"{cpu2 - cpu1:.2f}s CPU ({n_texts / (t2 - t1):.0f} texts/s): {n_themes} theme "
          f"tags, {n_props} proportion phrases")


def retag_speed() -> None:
    """Load the corpus golds of both families (no PDFs) into a temporary database and time
    a retag with the shipped model."""
    import hashlib
    import tempfile

    from flows.retag import retag_database
    from load.db import connect
    from load.report import load_report
    from tests.gold_report import report_from_gold

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "findings.duckdb"
        con = connect(db)
        golds = sorted(CORPUS.glob("*.gold.json")) + sorted(CORPUS_YJS.glob("*.gold.json"))
        for path in golds:
            gold = json.loads(path.read_text(encoding="utf-8"))
            sha = hashlib.sha256(path.name.encode()).hexdigest()
            load_report(con, report_from_gold(gold, sha, path.name.replace(".gold.json", ".pdf")))
        con.close()
        cpu = time.process_time()
        summary = retag_database(str(db))
        print(f"retag: {summary.texts} texts of {summary.reports} reports in "
              f"{summary.seconds}s wall with {summary.workers} processes, "
              f"{time.process_time() - cpu:.2f}s CPU in the parent "
              f"(includes pipeline build and the database swap)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list each disagreement")
    parser.add_argument("--set", choices=SET_NAMES, help="score one labelled set only")
    parser.add_argument("--agreement", action="store_true", help="labelling passes' agreement")
    parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation")
    parser.add_argument("--confidence", action="store_true", help="P/R per --min-confidence")
    parser.add_argument("--speed", action="store_true", help="time the 160-report corpus")
    parser.add_argument("--retag", action="store_true", help="time a retag of both corpora")
    args = parser.parse_args()
    if args.agreement:
        agreement()
    elif args.cv:
        cross_validate(args.cv)
    elif args.confidence:
        confidence_table()
    elif args.retag:
        retag_speed()
    elif args.speed:
        speed()
    else:
        accuracy(args.errors, args.set)


if __name__ == "__main__":
    main()
