"""The dictionary's precision: the seeded sample, the exact interval, the sense census, and that
the committed labels still are the sample the current lexicon draws."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from fplang.analysis.concepts import concordance
from fplang.analysis.precision import (
    LINE_KEY,
    SAMPLE_KEY,
    PrecisionInputError,
    clopper_pearson,
    draw_sample,
    precision_table,
    senses_by_era,
    still_counted,
)
from fplang.corpus import prepare_corpus
from fplang.counting.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
PRECISION = ROOT / "data" / "precision"


# --- the exact interval ------------------------------------------------------------------------


def test_clopper_pearson_has_closed_forms_at_the_edges():
    # 30 of 30 right: the lower bound solves p**30 = 0.025, so p = 0.025 ** (1 / 30) = 0.88430
    assert clopper_pearson(30, 30) == (pytest.approx(0.025 ** (1 / 30)), 1.0)
    assert clopper_pearson(30, 30)[0] == pytest.approx(0.88430, abs=1e-5)
    # 0 of 10: the upper bound solves (1 - p)**10 = 0.025
    assert clopper_pearson(0, 10) == (0.0, pytest.approx(1 - 0.025 ** (1 / 10)))


@pytest.mark.parametrize(("right", "n"), [(26, 30), (28, 30), (29, 30), (23, 23)])
def test_clopper_pearson_agrees_with_scipys_exact_binomial_interval(right, n):
    exact = stats.binomtest(right, n).proportion_ci(confidence_level=0.95, method="exact")
    assert clopper_pearson(right, n) == (pytest.approx(exact.low), pytest.approx(exact.high))


def test_clopper_pearson_refuses_impossible_counts():
    with pytest.raises(PrecisionInputError, match="right=31, n=30"):
        clopper_pearson(31, 30)


def test_precision_table_counts_right_lines_and_flags_the_threshold():
    labels = pd.DataFrame({"concept": ["a"] * 10 + ["b"] * 5, "label": ["right"] * 7 + ["wrong"] * 3 + ["right"] * 5})
    design = pd.DataFrame({"concept": ["a", "b"], "population": [40, 5]})
    table = precision_table(labels, design).set_index("concept")
    assert table.loc["a", ["n", "right"]].tolist() == [10, 7]
    assert table.at["a", "precision"] == pytest.approx(0.7)
    assert bool(table.at["a", "under_threshold"]) and bool(table.at["a", "may_be_under_threshold"])
    # 5 of 5: lower bound 0.025 ** (1 / 5) = 0.478, so b may be under 80 % though every line was right
    assert table.at["b", "ci_low"] == pytest.approx(0.025 ** (1 / 5))
    assert not table.at["b", "under_threshold"] and bool(table.at["b", "may_be_under_threshold"])


def test_precision_table_refuses_an_unknown_label_and_an_unlabelled_concept():
    design = pd.DataFrame({"concept": ["a"], "population": [3]})
    with pytest.raises(PrecisionInputError, match="'maybe'"):
        precision_table(pd.DataFrame({"concept": ["a"], "label": ["maybe"]}), design)
    with pytest.raises(PrecisionInputError, match="no labelled line for a"):
        precision_table(pd.DataFrame({"concept": ["z"], "label": ["right"]}), design)


def test_senses_by_era_counts_and_rates_per_10000_tokens():
    documents = pd.DataFrame({"doc_id": ["x", "y", "z"], "published_year": [1980, 1990, 1991], "tokens": [1000, 3000, 1000]})
    census = pd.DataFrame({"doc_id": ["x", "x", "y", "z"], "sense": ["own", "liberation", "own", "other"]})
    table = senses_by_era(census, documents, [("early", 1978, 1986), ("late", 1987, 2024)], ["own", "liberation"])
    early, late = table.set_index("era").loc["early"], table.set_index("era").loc["late"]
    assert (early["tokens"], early["own"], early["liberation"], early["all"]) == (1000, 1, 1, 2)
    assert early["own_per_10k"] == pytest.approx(10.0) and early["all_per_10k"] == pytest.approx(20.0)
    # late: 4,000 tokens, one own and one other-sense match: 2.5 and 5.0 per 10,000
    assert (late["speeches"], late["own"], late["all"]) == (2, 1, 2)
    assert late["own_per_10k"] == pytest.approx(2.5) and late["all_per_10k"] == pytest.approx(5.0)


def test_each_concept_draws_with_its_own_seed_whatever_else_is_sampled():
    kwic = pd.DataFrame(
        {
            "concept": ["a"] * 50 + ["b"] * 5,
            "doc_id": [f"d{i // 10}" for i in range(50)] + ["e"] * 5,
            "sentence_id": list(range(50)) + list(range(5)),
            "pattern": "p", "left": "", "match": "m", "right": "", "year": 2000,
        }
    )  # fmt: skip
    sentences = kwic[["doc_id", "sentence_id"]].assign(text="t")
    alone = draw_sample(kwic, sentences, {"a": 7}, per_concept=30)
    with_b = draw_sample(kwic, sentences, {"b": 9, "a": 7}, per_concept=30)
    assert alone.equals(with_b[with_b["concept"] == "a"].reset_index(drop=True))
    assert len(alone) == 30 and alone["sentence_id"].is_unique
    assert len(with_b[with_b["concept"] == "b"]) == 5  # fewer than 30: all of them


# --- the committed sample and the current lexicon ---------------------------------------------------


def _with_years(kwic, corpus):
    years = corpus.documents.set_index("doc_id")["published_year"]
    return kwic.assign(year=kwic["doc_id"].map(years).astype(int))


@pytest.fixture(scope="module")
def viet_nam_concordances():
    """Viet Nam's 47 speeches under the lexicon the sample was drawn with, and under the current one."""
    corpus = prepare_corpus(ROOT / "data" / "raw" / "ungdc" / "manifest.csv", select={"iso3": ["VNM"]})
    then = concordance(corpus.sentences, load_lexicon(PRECISION / "lexicon_at_labelling.yml"))
    now = concordance(corpus.sentences, load_lexicon(ROOT / "data" / "lexicon.yml"))
    return _with_years(then, corpus), _with_years(now, corpus), corpus


def test_the_committed_labels_are_the_sample_drawn_with_the_lexicon_of_their_time(viet_nam_concordances):
    then, _, corpus = viet_nam_concordances
    design = pd.read_csv(PRECISION / "design.csv")
    labels = pd.read_csv(PRECISION / "labels.csv", keep_default_na=False)
    populations = then["concept"].value_counts()
    assert {c: int(populations.get(c, 0)) for c in design["concept"]} == dict(
        zip(design["concept"], design["population"], strict=True)
    )
    redrawn = draw_sample(then, corpus.sentences, dict(zip(design["concept"], design["seed"], strict=True)))
    key = list(SAMPLE_KEY)
    assert redrawn[key].astype(str).equals(labels[key].astype(str))
    assert len(labels) == design["drawn"].sum() == 683


def test_the_current_lexicon_adds_no_unlabelled_match_to_a_sampled_concept(viet_nam_concordances):
    # every current match of a sampled concept was in the population the sample was drawn from,
    # so the labelled lines that are still matches are a uniform sample of the current matches
    then, now, _ = viet_nam_concordances
    sampled = set(pd.read_csv(PRECISION / "design.csv")["concept"])
    key = list(LINE_KEY)
    then_keys = set(map(tuple, then[then["concept"].isin(sampled)][key].astype(str).to_numpy()))
    now_keys = set(map(tuple, now[now["concept"].isin(sampled)][key].astype(str).to_numpy()))
    assert now_keys <= then_keys


def test_every_labelled_line_the_current_lexicon_no_longer_counts_is_listed_as_dropped(viet_nam_concordances):
    _, now, _ = viet_nam_concordances
    labels = pd.read_csv(PRECISION / "labels.csv", keep_default_na=False)
    dropped = pd.read_csv(PRECISION / "dropped.csv", keep_default_na=False)
    gone = labels[~still_counted(labels, now)]
    key = list(LINE_KEY)
    assert gone[key].astype(str).reset_index(drop=True).equals(dropped[key].astype(str))
    # hand check: the two 2012 and 2021 "international integration" lines, now proactive_integration's
    assert list(zip(dropped["doc_id"], dropped["sentence_id"], dropped["now_counted_as"], strict=True)) == [
        ("un_VNM_2012", 39, "proactive_integration"),
        ("un_VNM_2021", 57, "proactive_integration"),
    ]
    owner = now.set_index(["doc_id", "sentence_id"])["concept"]
    for doc_id, sentence_id, concept in zip(dropped["doc_id"], dropped["sentence_id"], dropped["now_counted_as"], strict=True):
        assert concept in set(owner.loc[[(doc_id, sentence_id)]])


def test_the_independence_census_is_every_independence_match(viet_nam_concordances):
    _, now, _ = viet_nam_concordances
    census = pd.read_csv(PRECISION / "independence_senses.csv", keep_default_na=False)
    matches = now[now["concept"] == "independence"].reset_index(drop=True)
    key = ["doc_id", "sentence_id", "left", "match"]
    assert matches[key].astype(str).equals(census[key].astype(str))
    assert set(census["sense"]) == {"own_policy", "national_liberation", "other_states", "other"}
