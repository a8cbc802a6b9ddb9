"""Findings are computed, and the sensitivity table flags what moves."""

from __future__ import annotations

import pandas as pd

from conftest import ROOT
from fplang.analysis.findings import quote, seed_findings, sensitivity
from fplang.counting.lexicon import load_lexicon
from fplang.periods import load_periods

BOOK_CHOICES = ("congress", 14, ("strategic_autonomy", "international_integration", "new_era"))
"""Chapter 7's target (the 14th-Congress texts) and the concepts its findings compare."""


def test_sensitivity_flags_moved_rates_and_changed_terms():
    a = pd.DataFrame({"finding": ["r", "s", "t"], "description": ["", "", ""], "value": [10.0, 10.0, "era"]})
    b = pd.DataFrame({"finding": ["r", "s", "t"], "description": ["", "", ""], "value": [10.5, 12.0, "integration"]})
    changed = sensitivity(a, b).set_index("finding")["changed"]
    assert changed.to_dict() == {"r": False, "s": True, "t": True}


def test_seed_findings_hold_what_chapter_3_counts(seed_corpus):
    lexicon = load_lexicon(ROOT / "data" / "lexicon.yml")
    findings = seed_findings(seed_corpus, lexicon, load_periods(ROOT / "data" / "periods.csv"), *BOOK_CHOICES).set_index("finding")["value"]
    # strategic autonomy is named only in the 14th-Congress seeds (read in seeds 001 and 004)
    assert findings["strategic_autonomy_rate_target"] > 0
    assert findings["strategic_autonomy_rate_reference"] == 0
    text, doc_id = quote(seed_corpus, lexicon, "strategic_autonomy")
    assert doc_id in {"seed_001", "seed_004"} and "strategic autonomy" in text.lower()


def test_a_lexicon_without_the_books_concepts_gets_no_rate_rows_for_them(seed_corpus):
    lexicon = load_lexicon(ROOT / "tests" / "fixtures" / "lexicon" / "good.yml")  # has strategic_autonomy only
    findings = seed_findings(seed_corpus, lexicon, load_periods(ROOT / "data" / "periods.csv"), *BOOK_CHOICES)
    rates = sorted(f for f in findings["finding"] if "_rate_" in f)
    assert rates == ["strategic_autonomy_rate_reference", "strategic_autonomy_rate_target"]


def test_findings_from_the_builds_dates_are_those_from_dating_the_sentences_again(tmp_path, seed_corpus):
    from fplang.build import load_corpus

    lexicon, periods = ROOT / "data" / "lexicon.yml", ROOT / "data" / "periods.csv"
    built = load_corpus(ROOT / "data" / "corpus.csv", tmp_path, lexicon=lexicon, periods=periods, scheduler="synchronous")
    for corpus, dated in ((seed_corpus, built), (seed_corpus.without(["seed_002"]), built.without(["seed_002"]))):
        again = seed_findings(corpus, load_lexicon(lexicon), load_periods(periods), *BOOK_CHOICES)
        read = seed_findings(dated, load_lexicon(lexicon), load_periods(periods), *BOOK_CHOICES, dated=dated.dated_sentences())
        pd.testing.assert_frame_equal(read, again)
        assert 0 < again.set_index("finding").at["pct_looking_back", "value"] < 100
