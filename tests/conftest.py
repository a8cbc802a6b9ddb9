"""Shared paths for the tests: everything is found relative to this file."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_corpus():
    """The book's own five seeds, cleaned and segmented once for the session."""
    from fplang.pipeline import prepare_corpus

    return prepare_corpus(ROOT / "data" / "corpus.csv")
