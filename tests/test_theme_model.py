"""The learned theme model: labels files, training, the shipped model, confidence/evidence.

Training tests use a small taxonomy and a few hundred texts of the shipped labelled corpus
(data/themes/labels.jsonl), so they take seconds; the shipped model is scored as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from transform.nlp import TextToTag, annotate_texts
from transform.nlp.scoring import load_labelled, micro, score
from transform.nlp.theme_labels import LabelsError, read_labels
from transform.nlp.theme_model import SHIPPED_MODEL, TrainingSettings, is_model

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "data" / "themes" / "labels.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"
SMALL_THEMES = ("victims", "mental_health", "home_visits", "substance_misuse")
SMALL_TAXONOMY = """themes:
  - id: victims
    label: Victims
    description: Victims of the offence, their safety and needs, restorative work.
    phrases: [victim, restorative justice]
  - id: mental_health
    label: Emotional and mental health
    description: Emotional or mental health needs and services, CAMHS.
  - id: home_visits
    label: Home visits
    description: Visits to the child's or family's home.
  - id: substance_misuse
    label: Substance misuse
    description: Use or misuse of drugs, alcohol, solvents and the services for it.
"""
# measured on the shipped model (bench/theme_accuracy.py: held-out 0.885; Stoke 0.877 on the
# first fixture, lowest theme 0.63, and 0.888 as two blind readers labelled it); floors leave
# room for noise only
HELD_OUT_MICRO_F1_FLOOR = 0.86
STOKE_MICRO_F1_FLOOR = 0.86
STOKE_LOWEST_THEME_F1_FLOOR = 0.6
STOKE_READERS_MICRO_F1_FLOOR = 0.85


def small_labels(tmp_path: Path, n: int = 700) -> tuple[Path, Path]:
    """The first `n` training texts of the shipped corpus, labelled with the small taxonomy."""
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["split"] == "train"][:n]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(
        json.dumps({"id": r["id"], "group": r["group"], "text": r["text"],
                    "themes": [t for t in r["themes"] if t in SMALL_THEMES]}) + "\n"
        for r in rows), encoding="utf-8")
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text(SMALL_TAXONOMY, encoding="utf-8")
    return labels, taxonomy


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> Path:
    from transform.nlp.theme_training import train_theme_model

    tmp = tmp_path_factory.mktemp("small-model")
    labels, taxonomy = small_labels(tmp)
    out = tmp / "model"
    # 8 passes: after 4 the tiny model has learnt the victims rule's marker word and little
    # else yet (held-out micro-F1 0.48; 0.81 after 8)
    train_theme_model(labels, taxonomy, out, TrainingSettings(epochs=8), log=lambda _: None)
    return out


# --- the labelled corpus ----------------------------------------------------------------

def test_shipped_corpus_is_large_double_labelled_and_split_by_meaning():
    from transform.nlp.themes import load_taxonomy

    rows = read_labels(LABELS, [t.id for t in load_taxonomy()])
    assert len({r.text for r in rows}) >= 3000
    held = [r for r in rows if r.split == "held_out"]
    assert 0.1 < len(held) / len(rows) < 0.3
    # paraphrases (one group) never straddle the split
    sides: dict[str, set[str]] = {}
    for r in rows:
        sides.setdefault(r.group, set()).add(r.split)
    assert all(len(s) == 1 for s in sides.values())
    folder = LABELS.parent
    for name in ("pass_a.jsonl", "pass_b.jsonl"):
        labelled = {json.loads(line)["id"] for line in
                    (folder / name).read_text(encoding="utf-8").splitlines()}
        assert {r.id for r in rows} <= labelled, f"{name} does not label every text"


# --- labels files: one line naming file:line and what to do -------------------------------

@pytest.mark.parametrize(("line", "says"), [
    ('{"text": "Victims were not contacted.", "themes": ["victimz"]}', "unknown theme 'victimz'"),
    ('{"text": "Victims were not contacted.", "themes": victims}', "not valid JSON"),
    ('{"text": "", "themes": []}', '"text" must be a non-empty string'),
    ('{"text": "Victims were not contacted.", "themes": "victims"}', '"themes" must be a list'),
    ('["Victims were not contacted.", ["victims"]]', "expected an object"),
])
def test_a_bad_labels_line_is_named_with_file_and_line(tmp_path, line, says):
    good = '{"text": "The victim was contacted.", "themes": ["victims"]}\n'
    path = tmp_path / "labels.jsonl"
    path.write_text(good + line + "\n", encoding="utf-8")
    with pytest.raises(LabelsError) as err:
        read_labels(path, ["victims"], min_examples=1)
    message = str(err.value)
    assert message.startswith(f"{path}:2: ") and says in message and "\n" not in message


def test_a_theme_with_too_few_examples_is_refused_with_its_first_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps({"text": f"Victim text {n}.", "themes": ["victims"]})
                            + "\n" for n in range(12))
                    + json.dumps({"text": "Home visit made.", "themes": ["home_visits"]}) + "\n",
                    encoding="utf-8")
    with pytest.raises(LabelsError, match=r":13: theme 'home_visits' has 1 training example"):
        read_labels(path, ["victims", "home_visits"])


def test_cli_train_with_bad_labels_says_one_line_and_writes_nothing(tmp_path):
    labels, taxonomy = small_labels(tmp_path, n=50)
    with labels.open("a", encoding="utf-8") as f:
        f.write('{"text": "x", "themes": ["not_a_theme"]}\n')
    out = tmp_path / "model"
    result = CliRunner().invoke(app, ["themes", "train", "--labels", str(labels),
                                      "--taxonomy", str(taxonomy), "--out", str(out)])
    assert result.exit_code == 2
    assert "labels.jsonl:51: unknown theme 'not_a_theme'" in " ".join(result.output.split())
    assert not out.exists()


# --- training --------------------------------------------------------------------------

def test_training_writes_a_complete_model_folder_that_tags_new_texts(small_model):
    from transform.nlp.pipeline import get_nlp

    assert is_model(small_model)
    settings = json.loads((small_model / "settings.json").read_text(encoding="utf-8"))
    assert settings["themes"] == list(SMALL_THEMES)
    assert 0 < settings["threshold"] < 1
    assert settings["rule_features"] is True  # the small taxonomy has a rule for victims
    nlp = get_nlp(model_path=str(small_model))
    # the small model on the corpus's held-out texts, which it never saw
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    held = [(TextToTag("finding", r["id"], r["text"]),
             {t for t in r["themes"] if t in SMALL_THEMES})
            for r in rows if r["split"] == "held_out"]
    ann = annotate_texts([item for item, _ in held], nlp=nlp)
    got: dict[str, set[str]] = {}
    for m in ann.themes:
        got.setdefault(m.source_id, set()).add(m.theme)
    m = micro(score(held, got, list(SMALL_THEMES)))
    assert m.f1 >= 0.7, (m.precision, m.recall, m.f1)


def test_training_is_repeatable_with_a_seed(tmp_path):
    from transform.nlp.theme_labels import read_labels as read
    from transform.nlp.theme_model import scores, train

    labels, _ = small_labels(tmp_path, n=200)
    rows = read(labels, SMALL_THEMES, min_examples=1)
    texts = [r.text for r in rows[:20]]
    first = scores(train(rows, SMALL_THEMES, TrainingSettings(epochs=2, seed=3)), texts,
                   SMALL_THEMES)
    again = scores(train(rows, SMALL_THEMES, TrainingSettings(epochs=2, seed=3)), texts,
                   SMALL_THEMES)
    assert (first == again).all()


def test_retag_with_a_users_model_uses_its_taxonomy_and_stores_confidence(small_model,
                                                                          tmp_path):
    from load.db import connect
    from load.report import load_report
    from tests.gold_report import report_from_gold

    gold = json.loads((FIXTURES.parent / "fixtures" / "themes_stoke.json").read_text())
    assert gold  # the fixture is there; the report itself comes from examples/
    from extract import read_pdf
    from transform.templates import parse_document

    report = parse_document(read_pdf(str(ROOT / "examples" / "stoke-on-trent-2011.pdf")))
    db = tmp_path / "findings.duckdb"
    con = connect(db)
    load_report(con, report)
    con.close()
    result = CliRunner().invoke(app, ["retag", "--db", str(db), "--model", str(small_model),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    con = connect(db)
    themes = {r[0] for r in con.execute("SELECT theme FROM themes").fetchall()}
    assert themes == set(SMALL_THEMES)
    rows = con.execute("SELECT theme, confidence, evidence FROM text_themes").fetchall()
    con.close()
    assert rows and {r[0] for r in rows} <= set(SMALL_THEMES)
    assert all(0 <= r[1] <= 1 and r[2] for r in rows)
    assert report_from_gold  # the gold helper stays importable for the corpus tests


def test_retag_refuses_a_folder_that_is_not_a_model(tmp_path):
    from load.db import connect

    db = tmp_path / "findings.duckdb"
    connect(db).close()
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    result = CliRunner().invoke(app, ["retag", "--db", str(db), "--model", str(folder)])
    assert result.exit_code == 2
    assert "not a theme model folder" in " ".join(result.output.split())


# --- the shipped model ------------------------------------------------------------------

def test_the_shipped_model_is_in_the_package_and_small():
    from transform.nlp.pipeline import get_nlp

    assert is_model(SHIPPED_MODEL)
    size = sum(p.stat().st_size for p in SHIPPED_MODEL.rglob("*") if p.is_file())
    assert size <= 50 * 2**20
    assert "theme_classifier" in get_nlp().pipe_names


def test_every_tag_has_a_confidence_and_evidence_located_in_the_text():
    texts = [item for item, _ in load_labelled(FIXTURES / "themes_fresh_cci.json")]
    ann = annotate_texts(texts)
    assert ann.themes
    by_id = {t.source_id: t.text for t in texts}
    for m in ann.themes:
        assert 0.0 <= m.confidence <= 1.0
        assert m.evidence.startswith(("rule: ", "words: ", "model: "))
        assert by_id[m.source_id][m.start_char:m.end_char] == m.matched_text
    # one row per text and theme
    keys = [(m.source_id, m.theme) for m in ann.themes]
    assert len(keys) == len(set(keys))


def test_the_network_reads_each_sentence_with_its_own_rule_matches():
    from transform.nlp.pipeline import get_rules_nlp
    from transform.nlp.theme_model import sentence_inputs
    from transform.nlp.themes import DEFAULT_THEMES

    doc = get_rules_nlp(str(DEFAULT_THEMES))(
        "The victim was not contacted. Home visits were rare. Plans were good.")
    assert sentence_inputs(doc, rule_features=True) == [
        "The victim was not contacted. rulematch_victims",
        "Home visits were rare. rulematch_home_visits",
        "Plans were good.",
    ]
    assert sentence_inputs(doc, rule_features=False) == [s.text for s in doc.sents]


@pytest.mark.parametrize("text", [
    "One sentence without a full stop",
    "  Leading space. Two spaces after.  Trailing space ",
    "RoH. was assessed (see p. 4). Then:\n\n- a list item;\n- another one.",
    "x",
])
def test_sentence_bounds_are_the_docs_sentences(text):
    from transform.nlp.pipeline import get_rules_nlp
    from transform.nlp.theme_model import sentence_bounds, sentence_inputs
    from transform.nlp.themes import DEFAULT_THEMES

    doc = get_rules_nlp(str(DEFAULT_THEMES))(text)
    assert sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]
    assert sentence_inputs(doc, rule_features=False) == [s.text for s in doc.sents]


def test_the_theme_model_refuses_text_it_would_tokenize_wrongly():
    """It is loaded without a tokenizer of its own: it reads docs the pipeline made."""
    from transform.nlp.pipeline import get_nlp
    from transform.nlp.theme_model import best_scores

    model = get_nlp().get_pipe("theme_classifier").model
    with pytest.raises(TypeError, match="make_doc"):
        best_scores(model, ["Management oversight was poor."])


def test_a_rule_match_is_given_as_the_evidence():
    ann = annotate_texts([TextToTag("finding", "x", "There was no management oversight of "
                                    "the risk management plan in half the cases.")])
    tags = {m.theme: m for m in ann.themes}
    evidence = tags["management_oversight"].evidence
    assert evidence.startswith('rule: "') and "oversight" in evidence


def test_held_out_texts_agree_with_the_readers():
    from transform.nlp.themes import load_taxonomy

    themes = [t.id for t in load_taxonomy()]
    rows = [r for r in read_labels(LABELS, themes) if r.split == "held_out"]
    labelled = [(TextToTag("finding", r.id, r.text), set(r.themes)) for r in rows]
    ann = annotate_texts([item for item, _ in labelled])
    got: dict[str, set[str]] = {}
    for m in ann.themes:
        got.setdefault(m.source_id, set()).add(m.theme)
    m = micro(score(labelled, got, themes))
    assert m.f1 >= HELD_OUT_MICRO_F1_FLOOR, (m.precision, m.recall, m.f1)


@pytest.mark.parametrize(("fixture", "micro_floor", "lowest_floor"), [
    ("themes_stoke.json", STOKE_MICRO_F1_FLOOR, STOKE_LOWEST_THEME_F1_FLOOR),
    # themes with one or two findings swing by one tag (enforcement 0.67 on 1): micro-F1 only
    ("themes_stoke_readers.json", STOKE_READERS_MICRO_F1_FLOOR, None),
])
def test_stoke_micro_and_lowest_theme_f1(fixture: str, micro_floor: float,
                                         lowest_floor: float | None):
    from transform.nlp.themes import load_taxonomy

    labelled = load_labelled(FIXTURES / fixture)
    ann = annotate_texts([item for item, _ in labelled])
    got: dict[str, set[str]] = {}
    for m in ann.themes:
        got.setdefault(m.source_id, set()).add(m.theme)
    scores = score(labelled, got, [t.id for t in load_taxonomy()])
    present = {t: s.f1 for t, s in scores.items() if s.tp + s.fn}
    assert micro(scores).f1 >= micro_floor
    if lowest_floor is not None:
        assert min(present.values()) >= lowest_floor, present


# --- --min-confidence in every command that reads themes ----------------------------------

def _tags(db, bar: float) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM text_themes WHERE source = 'finding' "
                           "AND confidence >= ?", [bar]).fetchone()[0]
    finally:
        con.close()


def test_min_confidence_filters_the_views_by_the_stored_confidence(example_db_path):
    from publish.query import open_readonly

    everything, sure = _tags(example_db_path, 0.0), _tags(example_db_path, 0.9)
    assert 0 < sure < everything
    for bar, expected in ((0.0, everything), (0.9, sure)):
        con = open_readonly(example_db_path, min_confidence=bar)
        try:
            (n,) = con.execute("SELECT count(*) FROM finding_themes").fetchone()
            (quoted,) = con.execute("SELECT count(*) FROM v_finding_themes").fetchone()
        finally:
            con.close()
        assert n == quoted == expected


def test_commands_take_min_confidence(example_db_path, tmp_path):
    runner = CliRunner()
    db = ["--db", str(example_db_path)]

    def findings_of(args: list[str]) -> int:
        result = runner.invoke(app, [*args, *db, "--format", "json"])
        assert result.exit_code == 0, result.output
        return len(json.loads(result.stdout))

    quotes_all = findings_of(["query", "theme_quotes"])
    quotes_sure = findings_of(["query", "theme_quotes", "--min-confidence", "0.9"])
    assert quotes_sure == _tags(example_db_path, 0.9) < quotes_all == _tags(example_db_path, 0.0)
    hits_all = findings_of(["search", "case", "--theme", "quality_of_assessment", "-n", "500"])
    hits_sure = findings_of(["search", "case", "--theme", "quality_of_assessment", "-n", "500",
                             "--min-confidence", "0.99"])
    assert hits_sure < hits_all
    out_all, out_sure = tmp_path / "all.csv", tmp_path / "sure.csv"
    for out, bar in ((out_all, "0"), (out_sure, "0.9")):
        result = runner.invoke(app, ["export", "themes", "--out", str(out), *db,
                                     "--min-confidence", bar])
        assert result.exit_code == 0, result.output
    assert len(out_sure.read_text().splitlines()) < len(out_all.read_text().splitlines())
    shown = runner.invoke(app, ["themes", *db, "--min-confidence", "0.9"])
    assert shown.exit_code == 0 and "Theme prevalence" in shown.stdout
    bad = runner.invoke(app, ["themes", *db, "--min-confidence", "1.5"])
    assert bad.exit_code == 2


def test_a_version_4_database_gains_confidence_and_evidence(example_db_path, tmp_path):
    import shutil

    import duckdb

    from load.db import connect
    from publish.query import open_readonly

    old = tmp_path / "v4.duckdb"
    shutil.copy(example_db_path, old)
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE text_themes DROP COLUMN confidence")
    con.execute("ALTER TABLE text_themes DROP COLUMN evidence")
    con.execute("UPDATE schema_info SET value = '4' WHERE key = 'schema_version'")
    (tags,) = con.execute("SELECT count(*) FROM text_themes WHERE source = 'finding'").fetchone()
    con.close()
    connect(old).close()  # upgrades
    con = open_readonly(old, min_confidence=0.9)
    try:
        rows = con.execute("SELECT matched_text, confidence, evidence FROM text_themes").fetchall()
        (shown,) = con.execute("SELECT count(*) FROM finding_themes").fetchone()
    finally:
        con.close()
    assert all(c is None and e == f'rule: "{m}"' for m, c, e in rows)
    assert shown == tags  # unscored rows are never filtered out
