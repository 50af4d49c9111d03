"""Theme tagger against the hand-labelled sets (labels judged by reading, not by the tagger)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transform.nlp import TextToTag, annotate_texts
from transform.nlp.scoring import load_labelled, micro, score
from transform.nlp.themes import load_taxonomy

FIXTURES = Path(__file__).parent / "fixtures"
REQUIRED = {
    "management_oversight", "victims", "diversity", "timeliness", "mental_health",
    "substance_misuse", "education_training_employment", "multi_agency_working", "engagement",
    "enforcement_compliance", "review", "risk_management_plans",
    "vulnerability_management_plans", "quality_of_assessment", "interventions_delivery",
    "custody_and_resettlement", "home_visits", "information_sharing", "safeguarding_action",
    "resources_and_staffing",
}


def scores_for(fixture: str):
    labelled = load_labelled(FIXTURES / fixture)
    ann = annotate_texts([item for item, _ in labelled])
    predicted: dict[str, set[str]] = {}
    for m in ann.themes:
        predicted.setdefault(m.source_id, set()).add(m.theme)
    return labelled, score(labelled, predicted, [t.id for t in load_taxonomy()])


def test_taxonomy_has_the_agreed_themes_with_labels_and_descriptions():
    taxonomy = load_taxonomy()
    assert {t.id for t in taxonomy} >= REQUIRED
    assert all(t.label and len(t.description) > 20 for t in taxonomy)


def test_stoke_set_is_labelled_for_every_finding_and_at_least_ten_themes():
    labelled = load_labelled(FIXTURES / "themes_stoke.json")
    assert len(labelled) == 81
    assert len({t for _, gold in labelled for t in gold}) >= 10


@pytest.mark.parametrize("theme", sorted(REQUIRED))
def test_stoke_precision_and_recall_per_theme(theme):
    labelled, scores = scores_for("themes_stoke.json")
    s = scores[theme]
    assert s.tp + s.fn > 0, f"{theme} is not labelled on any Stoke finding"
    assert s.precision >= 0.9, f"{theme}: precision {s.precision:.2f} ({s.fp} false hits)"
    assert s.recall >= 0.9, f"{theme}: recall {s.recall:.2f} ({s.fn} missed)"


def test_own_words_set_generalises():
    labelled, scores = scores_for("themes_own_words.json")
    assert len(labelled) >= 40
    m = micro(scores)
    assert m.precision >= 0.8 and m.recall >= 0.8, (m.precision, m.recall)


def test_spans_carry_offsets_into_the_text():
    text = "Team leaders had signed off the plans, but the person they had hurt was ignored."
    ann = annotate_texts([TextToTag("finding", "x", text)])
    assert {"management_oversight", "victims"} <= ann.themes_of("x")
    for m in ann.themes:
        assert text[m.start_char : m.end_char] == m.matched_text


def test_exclusions_drop_ambiguous_words():
    # a referral order is a sentence, not a referral to another agency
    ann = annotate_texts([TextToTag("finding", "x", "The referral order contract was signed.")])
    assert "multi_agency_working" not in ann.themes_of("x")
    ann = annotate_texts([TextToTag("finding", "y", "He was referred to the police.")])
    assert "multi_agency_working" in ann.themes_of("y")


def test_a_theme_added_to_the_data_file_is_used(tmp_path):
    from transform.nlp.pipeline import get_nlp
    from transform.nlp.themes import DEFAULT_THEMES

    extra = tmp_path / "themes.yaml"
    extra.write_text(
        DEFAULT_THEMES.read_text(encoding="utf-8")
        + "\n  - id: accommodation\n    label: Accommodation\n"
        "    description: Where the child lives, housing, hostels.\n"
        "    phrases: [accommodation, housing, hostel]\n",
        encoding="utf-8",
    )
    nlp = get_nlp(str(extra))
    ann = annotate_texts([TextToTag("finding", "x", "Suitable housing had been found.")], nlp=nlp)
    assert "accommodation" in ann.themes_of("x")


def test_taxonomy_errors_name_the_theme(tmp_path):
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  - id: x\n    label: X\n    description: about x things\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="'x' has no phrases"):
        load_taxonomy(bad)
