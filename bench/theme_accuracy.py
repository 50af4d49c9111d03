"""Theme tagger accuracy against the hand-labelled sets, and annotation speed on the corpus.

    .venv/bin/python bench/theme_accuracy.py            # precision / recall / F1 per theme
    .venv/bin/python bench/theme_accuracy.py --errors   # also list each miss and false hit
    .venv/bin/python bench/theme_accuracy.py --set yjs-tune --errors   # one set only
    .venv/bin/python bench/theme_accuracy.py --speed    # annotate all findings of the corpus
    .venv/bin/python bench/theme_accuracy.py --retag    # load the corpus golds, time retag
    .venv/bin/python bench/theme_accuracy.py --train-veto  # CV within yjs-tune, write the veto
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from transform.nlp import TextToTag, annotate_texts
from transform.nlp.pipeline import get_nlp
from transform.nlp.scoring import load_labelled, load_yjs_findings, micro, score
from transform.nlp.themes import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_YJS = ROOT.parent / "shared" / "corpus-yjs"
SETS = {"stoke": ("CCI: Stoke on Trent 2011 (81 findings)", FIXTURES / "themes_stoke.json"),
        "own-words": ("CCI: own words", FIXTURES / "themes_own_words.json"),
        "fresh-cci": ("CCI: fresh wording, labelled before the veto was built",
                      FIXTURES / "themes_fresh_cci.json")}
# The 2018+ golds: distinct sentences, split by a hash of the sentence (scoring.split_of).
# Rules are tuned on "yjs-tune" only; "yjs-held-out" estimates how they carry to new wording.
YJS_SETS = {"yjs-tune": "tune", "yjs-held-out": "held_out"}


def labelled_sets(only: str | None = None):
    """(name, title, labelled texts) for each set; the yjs sets when ../shared is there."""
    for name, (title, path) in SETS.items():
        if only in (None, name):
            yield name, f"{title}: {path.relative_to(ROOT)}", load_labelled(path)
    if only not in (None, *YJS_SETS) or not any(CORPUS_YJS.glob("*.gold.json")):
        return
    split = load_yjs_findings(CORPUS_YJS)
    for name, part in YJS_SETS.items():
        if only in (None, name):
            yield name, (f"2018+ register, {part} split: {len(split[part])} distinct sentences "
                         f"of ../shared/corpus-yjs"), split[part]


def accuracy(show_errors: bool, only: str | None = None) -> None:
    themes = [t.id for t in load_taxonomy()]
    for _name, title, labelled in labelled_sets(only):
        ann = annotate_texts([item for item, _ in labelled])
        predicted: dict[str, set[str]] = {}
        for m in ann.themes:
            predicted.setdefault(m.source_id, set()).add(m.theme)
        scores = score(labelled, predicted, themes)
        print(f"\n{title}")
        print(f"{'theme':34} {'gold':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6} "
              f"{'F1':>6}")
        for s in scores.values():
            print(f"{s.theme:34} {s.tp + s.fn:4} {s.tp:4} {s.fp:4} {s.fn:4} "
                  f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}")
        m = micro(scores)
        print(f"{'micro-average':34} {m.tp + m.fn:4} {m.tp:4} {m.fp:4} {m.fn:4} "
              f"{m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f}")
        if show_errors:
            for item, gold in labelled:
                got = predicted.get(item.source_id, set())
                if got != gold:
                    print(f"  {item.source_id}: missed {sorted(gold - got)} "
                          f"extra {sorted(got - gold)}\n    {item.text[:160]}")


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
          f"matches, {n_props} proportion phrases")


def retag_speed() -> None:
    """Load the 160 corpus golds (no PDFs) into a temporary database and time a retag."""
    import hashlib
    import sys
    import tempfile

    sys.path.insert(0, str(ROOT))
    from flows.retag import retag_database
    from load.db import connect
    from load.report import load_report
    from tests.gold_report import report_from_gold

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "findings.duckdb"
        con = connect(db)
        for path in sorted(CORPUS.glob("*.gold.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            sha = hashlib.sha256(path.name.encode()).hexdigest()
            load_report(con, report_from_gold(gold, sha, path.name.replace(".gold.json", ".pdf")))
        con.close()
        cpu = time.process_time()
        summary = retag_database(str(db))
        print(f"retag: {summary.texts} texts of {summary.reports} reports in "
              f"{summary.seconds}s wall, {time.process_time() - cpu:.2f}s CPU "
              f"(includes pipeline build and the database swap)")


VETO_CANDIDATES_MIN_FP = 2  # a theme is a veto candidate when the rules over-fire on tune
VETO_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.5)
VETO_FOLDS = 5


def train_veto() -> None:
    """Choose and train the theme_veto by cross-validation WITHIN the yjs tune split.

    Folds are by sentence group (as the tune / held-out split), so variants of one wording stay
    in one fold. Each fold's model is trained on the other folds plus the CCI fixtures (Stoke,
    own words; never the fresh set), and vetoes the rules' tags on the fold. A theme keeps a
    veto only when the best threshold gains in tp - fp over all folds (a dropped true tag
    costs as much as a dropped false one). The final model is trained on all of tune + CCI.
    The held-out split is not read.
    """
    import hashlib

    from transform.nlp.scoring import normalise, wording_groups
    from transform.nlp.theme_veto import DEFAULT_VETO, doc_features, train

    nlp = get_nlp()
    tune = load_yjs_findings(CORPUS_YJS)["tune"]
    cci = [*load_labelled(FIXTURES / "themes_stoke.json"),
           *load_labelled(FIXTURES / "themes_own_words.json")]
    # the rules alone: the veto of the shipped file must not influence its own training
    with nlp.select_pipes(disable=["theme_veto"]):
        ann = annotate_texts([i for i, _ in tune], nlp=nlp)
    rules: dict[str, set[str]] = {}
    for m in ann.themes:
        rules.setdefault(m.source_id, set()).add(m.theme)
    lemmatise = nlp.get_pipe("lemma_normaliser")
    feats = [doc_features(lemmatise(nlp.make_doc(i.text))) for i, _ in tune]
    feats_cci = [doc_features(lemmatise(nlp.make_doc(i.text))) for i, _ in cci]
    groups = wording_groups([normalise(i.text) for i, _ in tune])
    fold = [int(hashlib.sha256(("cv" + groups[normalise(i.text)]).encode()).hexdigest()[:8],
                16) % VETO_FOLDS for i, _ in tune]
    themes = [t.id for t in load_taxonomy()]
    fp = {t: sum(t in rules.get(i.source_id, set()) and t not in g for i, g in tune)
          for t in themes}
    candidates = [t for t in themes if fp[t] >= VETO_CANDIDATES_MIN_FP]
    probs: dict[str, list[float]] = {t: [0.0] * len(tune) for t in candidates}
    for k in range(VETO_FOLDS):
        train_rows = [n for n in range(len(tune)) if fold[n] != k]
        models = train([feats[n] for n in train_rows] + feats_cci,
                       {t: [t in tune[n][1] for n in train_rows] + [t in g for _, g in cci]
                        for t in candidates})
        for n in range(len(tune)):
            if fold[n] == k:
                for t, (bias, w) in models.items():
                    z = bias + sum(w.get(f, 0.0) for f in feats[n])
                    probs[t][n] = 1 / (1 + 2.718281828459045 ** -z)
    chosen: dict[str, float] = {}
    print(f"{'theme (rules over-fire on tune)':34} rules tp/fp -> per threshold tp/fp (CV)")
    for t in candidates:
        fired = [n for n, (i, _) in enumerate(tune) if t in rules.get(i.source_id, set())]
        tp0 = sum(t in tune[n][1] for n in fired)
        rows, best = [], (0, None)
        for thr in VETO_THRESHOLDS:
            kept = [n for n in fired if probs[t][n] >= thr]
            tp = sum(t in tune[n][1] for n in kept)
            rows.append(f"{thr}: {tp}/{len(kept) - tp}")
            gain = (tp - (len(kept) - tp)) - (tp0 - (len(fired) - tp0))
            if gain > best[0]:
                best = (gain, thr)
        print(f"{t:34} {tp0}/{len(fired) - tp0} -> " + ", ".join(rows)
              + (f"  => veto at {best[1]}" if best[1] else ""))
        if best[1]:
            chosen[t] = best[1]
    models = train(feats + feats_cci, {t: [t in g for _, g in tune] + [t in g for _, g in cci]
                                       for t in chosen}) if chosen else {}
    out = {"about": "theme_veto weights: written by bench/theme_accuracy.py --train-veto "
                    "(trained on the corpus-yjs tune split + CCI Stoke and own-words labels; "
                    "themes and thresholds chosen by 5-fold CV within tune)",
           "themes": {t: {"threshold": chosen[t], "bias": models[t][0],
                          "weights": dict(sorted(models[t][1].items()))} for t in chosen}}
    DEFAULT_VETO.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    print(f"wrote {DEFAULT_VETO.relative_to(ROOT)}: {sorted(chosen)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list each disagreement")
    parser.add_argument("--speed", action="store_true", help="time the 160-report corpus")
    parser.add_argument("--retag", action="store_true", help="time a retag of the corpus")
    parser.add_argument("--train-veto", action="store_true",
                        help="choose (CV within yjs-tune) and train the theme_veto")
    parser.add_argument("--set", choices=[*SETS, *YJS_SETS], help="score one labelled set only")
    args = parser.parse_args()
    if args.train_veto:
        train_veto()
    elif args.retag:
        retag_speed()
    elif args.speed:
        speed()
    else:
        accuracy(args.errors, args.set)


if __name__ == "__main__":
    main()
