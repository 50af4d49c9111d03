"""Acronyms: the report's own glossary first, the default glossary file as fallback."""

from __future__ import annotations

from transform.nlp import TextToTag, annotate_texts
from transform.nlp.acronyms import glossary_acronyms, short_meaning

TEXT = "The RMPs and the VMP took account of RoH and CAMHS; MAPPA was not used."


def test_report_glossary_wins_over_default():
    glossary = {"RMP": "Risk management plan: a plan to minimise the individual's Risk of Harm",
                "RoH": "Risk of Harm to others. See also restrictive Interventions"}
    ann = annotate_texts([TextToTag("finding", "x", TEXT)], glossary)
    got = {a.acronym: (a.expansion, a.from_glossary) for a in ann.acronyms}
    assert got["RMP"] == ("Risk management plan", True)  # plural "RMPs" linked too
    assert got["RoH"] == ("Risk of Harm to others", True)
    assert got["VMP"] == ("Vulnerability management plan", False)
    assert got["CAMHS"][1] is False and got["MAPPA"][1] is False
    for a in ann.acronyms:
        assert TEXT[a.start_char : a.end_char].startswith(a.acronym)


def test_unknown_capitals_are_not_acronyms():
    ann = annotate_texts([TextToTag("finding", "x", "What do YOU think? was used.")])
    assert ann.acronyms == []


def test_glossary_terms_split_and_shortened():
    got = glossary_acronyms({"ASB/ASBO": "Antisocial behaviour/Antisocial Behaviour Order",
                             "Asset": "A structured assessment tool"})
    assert got == {"ASB": "Antisocial behaviour", "ASBO": "Antisocial Behaviour Order"}
    assert short_meaning("Pre-sentence report: for a court") == "Pre-sentence report"
