"""Concept counts per sentence, rates with intervals, and the concordance, on hand-made text."""

from __future__ import annotations

import pandas as pd
import pytest

from fplang.analysis.concepts import (
    concept_table,
    concordance,
    dispersion,
    document_rates,
    leading_concepts,
    occurs_only_where,
    period_rates,
    sentence_counts,
)
from fplang.counting.lexicon import parse_lexicon

LEXICON = parse_lexicon(
    {
        "version": 1,
        "concepts": {
            "autonomy": {"label": "Strategic autonomy", "family": "independence", "patterns": ["strategic autonomy", "self-relian*"]},
            "member": {"label": "Responsible member", "family": "formula", "patterns": ["responsible member"]},
            "active_member": {"label": "Active and responsible member", "family": "formula", "patterns": ["active and responsible member"]},
        },
    }
)

SENTENCES = pd.DataFrame(
    {
        "doc_id": ["a", "a", "b"],
        "sentence_id": [0, 1, 0],
        "text": [
            "Strategic autonomy and self-reliance are the foundation.",  # autonomy 2; 8 tokens
            "Vietnam is an active and responsible member.",  # active_member 1 (not member); 7 tokens
            "A responsible member of the community.",  # member 1; 6 tokens
        ],
        "period_id": ["congress_14", "congress_14", "congress_13"],
    }
)
DOCUMENTS = pd.DataFrame({"doc_id": ["a", "b"], "tokens": [15, 6], "published": ["2026", "2021"], "published_year": [2026, 2021]})


def test_sentence_counts_follow_the_overlap_rule_and_hand_counts():
    counts = sentence_counts(SENTENCES, LEXICON).set_index(["doc_id", "sentence_id", "concept"])["count"]
    assert counts[("a", 0, "autonomy")] == 2
    assert counts[("a", 1, "active_member")] == 1
    assert counts[("a", 1, "member")] == 0
    assert counts[("b", 0, "member")] == 1
    assert len(counts) == 3 * 3  # zeros included


def test_document_rates_are_per_1000_tokens_with_an_upper_bound_for_zero():
    rates = document_rates(sentence_counts(SENTENCES, LEXICON), DOCUMENTS).set_index(["doc_id", "concept"])
    assert rates.at[("a", "autonomy"), "rate_per_1000"] == pytest.approx(1000 * 2 / 15)
    zero = rates.loc[("b", "autonomy")]
    assert zero["count"] == 0 and zero["ci_low"] == 0
    assert zero["ci_high"] == pytest.approx(1000 * 3.689 / 6, rel=1e-3)  # Garwood upper bound for 0


def test_period_rates_pool_the_sentences_of_each_period():
    rates = period_rates(sentence_counts(SENTENCES, LEXICON), "period_id", n_boot=200, min_sentences=1)
    rates = rates.set_index(["period_id", "concept"])
    assert rates.at[("congress_14", "autonomy"), "tokens"] == 15
    assert rates.at[("congress_14", "autonomy"), "rate_per_1000"] == pytest.approx(1000 * 2 / 15)
    assert rates.at[("congress_14", "autonomy"), "n_units"] == 2
    again = period_rates(sentence_counts(SENTENCES, LEXICON), "period_id", n_boot=200)
    assert again.equals(period_rates(sentence_counts(SENTENCES, LEXICON), "period_id", n_boot=200))


def _sentences_in_two_eras(n_early: int, n_late: int) -> pd.DataFrame:
    # each sentence is "peace and self-reliance now" (5 tokens, 1 autonomy hit) or "nothing here at all" (4 tokens)
    texts = ["self-reliance matters now"] + ["nothing here at all"] * (n_early - 1)
    texts += ["self-reliance matters now"] * 2 + ["nothing here at all"] * (n_late - 2)
    return pd.DataFrame(
        {
            "doc_id": ["early"] * n_early + ["late"] * n_late,
            "sentence_id": list(range(n_early)) + list(range(n_late)),
            "text": texts,
            "period_id": ["early"] * n_early + ["late"] * n_late,
        }
    )


def test_an_era_with_fewer_than_ten_sentences_shows_no_rate():
    # hand count: "late" has 10 sentences, 2 x 4 tokens ("self", "reliance", "matters", "now")
    # + 8 x 4 tokens = 40 tokens and 2 hits: 50 per 1,000; "early" has 9 sentences: too few
    counts = sentence_counts(_sentences_in_two_eras(9, 10), LEXICON)
    rates = period_rates(counts, "period_id", n_boot=200).set_index(["period_id", "concept"])
    late, early = rates.loc[("late", "autonomy")], rates.loc[("early", "autonomy")]
    assert (late["n_sentences"], bool(late["too_few"])) == (10, False)
    assert late["tokens"] == 40 and late["rate_per_1000"] == pytest.approx(50.0)
    assert (early["n_sentences"], bool(early["too_few"])) == (9, True)
    assert pd.isna(early["rate_per_1000"]) and pd.isna(early["ci_low"]) and pd.isna(early["ci_high"])
    assert early["count"] == 1  # the count stays visible


def test_sentences_without_an_era_are_left_out_of_every_era():
    sentences = _sentences_in_two_eras(10, 10)
    sentences.loc[0, "period_id"] = None  # the early hit becomes a multi-era sentence
    rates = period_rates(sentence_counts(sentences, LEXICON), "period_id", n_boot=200, min_sentences=1)
    early = rates.set_index(["period_id", "concept"]).loc[("early", "autonomy")]
    assert (early["count"], early["n_sentences"]) == (0, 9)


def test_a_bootstrap_over_documents_resamples_whole_speeches():
    # two speeches of 10 sentences and 40 tokens each in one era: s1 has no hit, s2 has two.
    # Pooled: 2 hits in 80 tokens = 25 per 1,000.  Resampling two speeches gives only
    # {s1, s1} (rate 0), {s1, s2} (25) or {s2, s2} (50), with probabilities 1/4, 1/2, 1/4,
    # so the 95 % interval is [0, 50] (400 draws make both ends all but certain).
    texts = ["nothing here at all"] * 10 + ["self-reliance matters now"] * 2 + ["nothing here at all"] * 8
    sentences = pd.DataFrame(
        {"doc_id": ["s1"] * 10 + ["s2"] * 10, "sentence_id": range(20), "text": texts, "period_id": "one"}
    )
    counts = sentence_counts(sentences, LEXICON)
    by_speech = period_rates(counts, "period_id", n_boot=400, unit="document").set_index("concept").loc["autonomy"]
    assert by_speech["n_units"] == 2 and by_speech["n_sentences"] == 20
    assert by_speech["rate_per_1000"] == pytest.approx(25.0)
    assert (by_speech["ci_low"], by_speech["ci_high"]) == (0.0, pytest.approx(50.0))
    with pytest.raises(ValueError, match="unit must be 'sentence' or 'document'"):
        period_rates(counts, "period_id", unit="token")


def test_every_count_has_a_concordance_line():
    kwic = concordance(SENTENCES, LEXICON, width=10)
    assert len(kwic) == sentence_counts(SENTENCES, LEXICON)["count"].sum() == 4
    first = kwic.iloc[0]
    assert (first["doc_id"], first["sentence_id"], first["match"]) == ("a", 0, "Strategic autonomy")
    assert kwic.iloc[1]["match"] == "self-reliance" and kwic.iloc[1]["left"] == "onomy and "  # ten characters


def test_dispersion_places_hits_by_relative_position():
    xray = dispersion(sentence_counts(SENTENCES, LEXICON), SENTENCES, ["autonomy", "active_member"])
    assert xray["position"].tolist() == [0.0, 1.0]


def test_concept_table_lists_patterns():
    table = concept_table(LEXICON).set_index("concept")
    assert table.at["autonomy", "patterns"] == "strategic autonomy | self-relian*"


def _by_document(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "concept", "count"])


DOCS = pd.DataFrame({"doc_id": ["a", "b", "c"], "congress": [14, 14, 10]})


@pytest.mark.parametrize(
    ("rows", "concepts", "expected"),
    [
        ([("a", "x", 1), ("b", "x", 0), ("c", "x", 0), ("a", "y", 0), ("b", "y", 2), ("c", "y", 0)], ["x", "y"], True),
        ([("a", "x", 1), ("c", "x", 1)], ["x"], False),  # also in a 10th-Congress text
        ([("a", "x", 1), ("a", "y", 0)], ["x", "y"], False),  # y never occurs
        ([("a", "x", 1)], ["x", "z"], False),  # z is not in the lexicon
        ([("a", "x", 1)], [], False),
    ],
)
def test_occurs_only_where_checks_a_titles_claim(rows, concepts, expected):
    assert occurs_only_where(_by_document(rows), DOCS, concepts, "congress", 14) is expected


def test_occurs_only_where_is_false_without_the_variable():
    assert not occurs_only_where(_by_document([("a", "x", 1)]), DOCS.drop(columns="congress"), ["x"], "congress", 14)


def test_leading_concepts_pool_the_chosen_periods_only():
    by_period = pd.DataFrame(
        {
            "period_id": ["p1", "p1", "p1", "p2", "p2", "p3"],
            "concept": ["x", "y", "z", "x", "z", "w"],
            "count": [1, 3, 0, 1, 2, 50],
        }
    )
    # y 3, x 2, z 2 (x and z tie; x comes first in the table); w is in p3 only
    assert leading_concepts(by_period, ["p1", "p2"]) == ["y", "x"]
    assert leading_concepts(by_period, ["p1", "p2"], n=5) == ["y", "x", "z"]
    assert leading_concepts(by_period, ["p9"]) == []
