"""Shared fixtures: where the test data lives, and reports parsed once per session.

The files most tests need are in the repository (tests/data, examples/); only whole-corpus
tests need ../shared, and they skip cleanly when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "examples"
SHARED_DIR = ROOT.parent / "shared"
DATA_DIR = ROOT / "tests" / "data"
STOKE_NAMES = ("stoke-on-trent-2011.pdf", "stoke-on-trent-2011.chromium.pdf")


def data_path(relative: str) -> Path:
    """A test file from the repository's tests/data, else from ../shared (may not exist)."""
    bundled = DATA_DIR / relative
    return bundled if bundled.exists() else SHARED_DIR / relative


def pdf_sha256(relative: str) -> str:
    """The sha256 of a corpus PDF ("corpus/barnet-2011.pdf"), without needing the PDF."""
    import json

    known = json.loads((DATA_DIR / "pdf_sha256.json").read_text(encoding="utf-8"))
    if relative in known:
        return known[relative]
    import hashlib

    return hashlib.sha256((SHARED_DIR / relative).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def example_db_path() -> Path:
    """examples/stoke-on-trent-2011.pdf ingested for real into a DuckDB file."""
    from tests.publish_data import example_db

    path = example_db()
    if path is None:
        pytest.skip("the parser could not load examples/stoke-on-trent-2011.pdf")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared test data is not available")
    return SHARED_DIR


@pytest.fixture(scope="session")
def stoke_gold_path() -> Path:
    path = data_path("reports/stoke-on-trent-2011.gold.json")
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
    from tests.publish_data import gold_db

    return gold_db()


@pytest.fixture()
def con(db):
    """A read-only connection to `db`, as researchers' commands open it."""
    from publish.query import open_readonly

    connection = open_readonly(db)
    yield connection
    connection.close()
