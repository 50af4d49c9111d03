"""annotate_report: ids the database uses, every kind of text, picklable results."""

from __future__ import annotations

import hashlib
import json
import pickle

import pytest

from tests.conftest import data_path
from tests.gold_report import report_from_gold
from transform.model import finding_id, good_practice_id, recommendation_id
from transform.nlp import annotate_report, report_texts

GOLD = data_path("reports/stoke-on-trent-2011.gold.json")


@pytest.fixture(scope="module")
def stoke():
    if not GOLD.exists():
        pytest.skip(f"{GOLD} not available")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return report_from_gold(gold, hashlib.sha256(b"stoke").hexdigest(), "stoke.pdf")


def test_every_text_of_the_report_is_annotated_under_its_id(stoke):
    rid = stoke.report_id
    items = report_texts(stoke)
    assert len(items) == 81 + 9 + 5
    ann = annotate_report(stoke)
    assert ann.report_id == rid
    assert "home_visits" in ann.themes_of(finding_id(rid, "2.1", "strength", 2))
    assert "victims" in ann.themes_of(recommendation_id(rid, 8))  # "safety of victims"
    # good practice 3: Mark's alternative education provision and school
    assert "education_training_employment" in ann.themes_of(good_practice_id(rid, 3))
    # the report's glossary is used first
    rosh = [a for a in ann.acronyms if a.acronym == "RoSH"]
    assert rosh and all(a.from_glossary and a.expansion == "Risk of Serious Harm" for a in rosh)


def test_annotations_survive_pickling(stoke):
    ann = annotate_report(stoke)
    again = pickle.loads(pickle.dumps(ann))
    assert again == ann and again.proportions
