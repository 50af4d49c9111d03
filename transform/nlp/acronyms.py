"""acronym_expander: links RoH, RMP, CAMHS ... to their meaning.

The report's own glossary is asked first (set per text in doc.user_data["glossary"]); the
default glossary file (glossary.yaml) is the fallback. Results go to doc.spans["acronyms"].
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from transform.nlp.batching import BatchPipe
from transform.nlp.yaml_files import read_yaml

DEFAULT_GLOSSARY = Path(__file__).with_name("glossary.yaml")
ACRONYM = re.compile(r"^[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z+]*$")  # two or more capitals
PLURAL = re.compile(r"^([A-Za-z]*[A-Z][A-Za-z]*[A-Z])s$")  # RMPs -> RMP

for _attr in ("expansion", "from_glossary"):
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)


def short_meaning(definition: str) -> str:
    """"Risk of Harm to others. See also ..." -> "Risk of Harm to others"."""
    text = " ".join(definition.split())
    for stop in (": ", ". ", "; "):
        text = text.split(stop, 1)[0]
    return text.strip().rstrip(".")


def glossary_acronyms(glossary: dict[str, str]) -> dict[str, str]:
    """Acronym -> short meaning from a glossary; "ASB/ASBO" -> ASB and ASBO (meanings split)."""
    out: dict[str, str] = {}
    for term, definition in glossary.items():
        term = term.strip()
        parts, meanings = term.split("/"), definition.split("/")
        if len(parts) > 1 and len(parts) == len(meanings) and all(len(p) > 1 for p in parts):
            pairs = list(zip(parts, meanings, strict=True))
        else:
            pairs = [(term, definition)]
        for acronym, meaning in pairs:
            acronym = acronym.strip()
            if ACRONYM.match(acronym):
                out[acronym] = short_meaning(meaning)
    return out


def load_default_glossary(path: str | Path | None = None) -> dict[str, str]:
    path = Path(path) if path else DEFAULT_GLOSSARY
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected 'ACRONYM: meaning' lines")
    return {str(k): str(v) for k, v in data.items()}


class AcronymExpander(BatchPipe):
    def __init__(self, nlp: Language, path: str) -> None:
        self.default = glossary_acronyms(load_default_glossary(path or None))
        self._seen: set[int] = set()  # ORTH hashes already looked at
        self._shaped: set[int] = set()  # ... of which these look like an acronym

    def __call__(self, doc: Doc) -> Doc:
        own: dict[str, str] = doc.user_data.get("glossary_acronyms") or {}
        spans = []
        strings = doc.vocab.strings
        orths = doc.to_array(ORTH).tolist() if len(doc) else []
        for orth in set(orths).difference(self._seen):  # words no earlier text had
            self._seen.add(orth)
            if ACRONYM.match(strings[orth]):
                self._shaped.add(orth)
        shaped = self._shaped
        if shaped.isdisjoint(orths):  # most texts: no acronym-like word at all
            orths = []
        for i, orth in enumerate(orths):
            if orth not in shaped:
                continue
            text = strings[orth]
            for key in (text, PLURAL.sub(r"\1", text)):
                meaning, from_glossary = own.get(key), True
                if meaning is None:
                    meaning, from_glossary = self.default.get(key), False
                if meaning is not None:
                    span = Span(doc, i, i + 1, label=key)
                    ext = span._
                    ext.expansion, ext.from_glossary = meaning, from_glossary
                    spans.append(span)
                    break
        doc.spans["acronyms"] = spans
        return doc


@Language.factory("acronym_expander", default_config={"path": ""})
def make_acronym_expander(nlp: Language, name: str, path: str) -> AcronymExpander:
    return AcronymExpander(nlp, path)
