"""Shared paths for the tests: everything is found relative to this file."""

from __future__ import annotations

import os
import subprocess
import unicodedata
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"
EXAMPLE_REPOSITORY = "https://github.com/example-org/fplang-book"
"""A stand-in for the public repository's address (the book has none yet), for the launch buttons."""


def letters_and_digits(text: str) -> str:
    """The letters and digits of ``text`` in order, case-folded: what cleaning must not add.

    Compared as Unicode's canonical caseless match does, in the decomposed form
    NFD(casefold(NFD(text))), with combining marks kept: cleaning puts text in
    NFC, which writes "e" + a combining accent as "é" (and a CJK compatibility
    ideograph as its unified twin); both spell the same letters.
    """
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())
    return "".join(ch for ch in folded if ch.isalnum() or unicodedata.combining(ch))


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether ``needle``'s characters occur in ``haystack`` in the same order."""
    remaining = iter(haystack)
    return all(ch in remaining for ch in needle)


@pytest.fixture(scope="session")
def seed_corpus():
    """The book's own five seeds, cleaned and segmented once for the session."""
    from fplang.corpus.prepare import prepare_corpus

    return prepare_corpus(ROOT / "data" / "corpus.csv")


@pytest.fixture(scope="session")
def built_html(tmp_path_factory):
    """The HTML book, built once per test worker with warnings as errors (slow: executes every chapter)."""
    from fplang.book.run import JUPYTER_BOOK

    out = tmp_path_factory.mktemp("book")
    command = [*JUPYTER_BOOK, "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"]
    # A stand-in public address, so the Binder and Colab buttons are drawn and can be checked.
    env = {**os.environ, "FPLANG_REPOSITORY_URL": EXAMPLE_REPOSITORY}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False, env=env)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return out / "_build" / "html"
