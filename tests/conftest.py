"""Shared fixtures: where the test data lives, and reports parsed once per session.

Tests that need ../shared skip cleanly when it is absent; tests on examples/ always run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "examples"
SHARED_DIR = ROOT.parent / "shared"
STOKE_NAMES = ("stoke-on-trent-2011.pdf", "stoke-on-trent-2011.chromium.pdf")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared test data is not available")
    return SHARED_DIR


@pytest.fixture(scope="session")
def stoke_gold_path(shared_dir: Path) -> Path:
    path = shared_dir / "reports" / "stoke-on-trent-2011.gold.json"
    if not path.exists():
        pytest.skip("Stoke gold JSON is not available")
    return path


@pytest.fixture(scope="session")
def parsed_examples() -> dict:
    """Both bundled Stoke PDFs read and parsed once: {file name: Report}."""
    from extract import read_pdf
    from transform.templates import parse_document

    return {name: parse_document(read_pdf(str(EXAMPLES_DIR / name))) for name in STOKE_NAMES}


@pytest.fixture(scope="module")
def db():
    """A DuckDB file of 20 corpus reports loaded from their gold JSON (the publish tests' data)."""
    from tests.publish_data import CORPUS, gold_db

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    return gold_db()


@pytest.fixture()
def con(db):
    """A read-only connection to `db`, as researchers' commands open it."""
    from publish.query import open_readonly

    connection = open_readonly(db)
    yield connection
    connection.close()
