"""Reading the layer's YAML data files (taxonomy, proportion lexicon, glossary)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: ~10x faster on the taxonomy, which every
# process that annotates reads once at start-up (the pure-Python parser took ~0.25 s)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The file's data, or {} when it is empty."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}  # noqa: S506 - a safe loader
