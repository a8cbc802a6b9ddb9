"""Wordscores and Wordfish against published examples, a simulated corpus and the UN speeches.

Expected values come from outside the code under test: quanteda.textmodels'
own tests and rendered examples on the Laver, Benoit & Garry (2003) worked
example (see tests/fixtures/lbg/README.md), and positions we drew ourselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import FIXTURES, SHARED
from fplang.analysis.scaling import (
    ScalingInputError,
    simulate_wordfish_counts,
    wordfish,
    wordscores,
    wordscores_predict,
)

REFERENCE_POSITIONS = pd.Series([-1.5, -0.75, 0.0, 0.75, 1.5], index=["R1", "R2", "R3", "R4", "R5"])


@pytest.fixture(scope="module")
def lbg() -> pd.DataFrame:
    """The worked example's counts, documents R1-R5 and V1 by features A..Z, ZA..ZK."""
    long = pd.read_csv(FIXTURES / "lbg" / "lbg_2003_table1.csv")
    wide = long.pivot(index="doc", columns="feature", values="count")
    return wide[sorted(wide.columns, key=lambda feature: (len(feature), feature))]


def test_lbg_fixture_has_six_texts_of_1000_tokens_over_37_features(lbg):
    assert lbg.shape == (6, 37)
    assert (lbg.sum(axis=1) == 1000).all()


def test_wordscores_scores_the_virgin_text_as_quanteda_tests_assert(lbg):
    fit = wordscores(lbg, REFERENCE_POSITIONS)
    raw = wordscores_predict(fit, lbg)
    assert raw.loc["V1", "score"] == pytest.approx(-0.45, abs=0.01)
    assert raw.loc["V1", "se"] == pytest.approx(0.01, abs=0.01)
    assert wordscores_predict(fit, lbg, rescaling="mv").loc["V1", "score"] == pytest.approx(-0.51, abs=0.001)
    assert wordscores_predict(fit, lbg, rescaling="lbg").loc["V1", "score"] == pytest.approx(-0.53, abs=0.01)


def test_wordscores_matches_quanteda_printed_example_to_seven_digits(lbg):
    fit = wordscores(lbg, REFERENCE_POSITIONS)
    assert fit.word_scores["F"] == pytest.approx(-1.4812500, abs=5e-8)
    assert fit.word_scores["M"] == pytest.approx(-0.8805970, abs=5e-8)
    assert fit.word_scores["S"] == pytest.approx(0.0, abs=5e-8)
    assert wordscores_predict(fit, lbg).loc["V1", "score"] == pytest.approx(-0.4480591, abs=5e-8)
    mv = wordscores_predict(fit, lbg, rescaling="mv")
    assert mv.loc["V1", "score"] == pytest.approx(-0.5099572, abs=5e-8)
    assert mv.loc["V1", "se"] == pytest.approx(0.013541297, abs=5e-9)
    assert (mv.loc["V1", "low"], mv.loc["V1", "high"]) == pytest.approx((-0.53649769, -0.48341678), abs=5e-8)
    assert mv.loc[["R1", "R5"], "score"].tolist() == pytest.approx([-1.5, 1.5])
    assert wordscores_predict(fit, lbg, rescaling="lbg").loc["V1", "score"] == pytest.approx(-0.52967149, abs=5e-8)


def test_wordscores_needs_two_reference_texts(lbg):
    with pytest.raises(ScalingInputError, match="at least two reference texts"):
        wordscores(lbg, pd.Series({"R1": -1.0}))


def test_wordfish_matches_quanteda_printed_example(lbg):
    fit = wordfish(lbg.to_numpy(), direction=(0, 4))
    printed_theta = [-1.29056981, -0.61643907, 0.03350982, 0.70961244, 1.52333687, -0.35945025]
    printed_se = [0.01448422, 0.01059613, 0.01085375, 0.01214106, 0.01744178, 0.01070073]
    assert fit.theta == pytest.approx(printed_theta, abs=5e-8)
    assert fit.se == pytest.approx(printed_se, abs=5e-8)
    assert fit.beta[0] == pytest.approx(-8.4452617, abs=5e-7)  # feature A
    assert fit.psi[-1] == pytest.approx(-6.9825744, abs=5e-7)  # feature ZK
    assert fit.iterations == 22


SIMULATION_SEED = 20260115


def test_wordfish_recovers_the_positions_of_a_simulated_poisson_corpus():
    simulated = simulate_wordfish_counts(60, 800, seed=SIMULATION_SEED, mean_length=3000)
    counts = simulated["counts"]
    used = counts.sum(axis=0) > 0
    truth = simulated["theta"]
    fit = wordfish(counts[:, used], direction=(int(np.argmin(truth)), int(np.argmax(truth))))
    assert np.corrcoef(fit.theta, truth)[0, 1] >= 0.95
    assert np.corrcoef(fit.beta, simulated["beta"][used])[0, 1] >= 0.9


def test_wordfish_sign_follows_the_anchor_pair(lbg):
    forward = wordfish(lbg.to_numpy(), direction=(0, 4))
    backward = wordfish(lbg.to_numpy(), direction=(4, 0))
    assert forward.theta[0] < forward.theta[4] and backward.theta[4] < backward.theta[0]
    assert backward.theta == pytest.approx(-forward.theta)


def test_wordfish_rejects_a_document_with_no_counts():
    counts = np.array([[1, 2, 3], [0, 0, 0], [3, 2, 1]])
    with pytest.raises(ScalingInputError, match=r"documents with no counts \(rows \[1\]\)"):
        wordfish(counts)


@pytest.mark.slow
def test_wordfish_on_un_speeches_is_stable_to_starting_values():
    """Session 70 (2015), all 193 speeches: random starts reach the default fit's optimum, or a lower one."""
    from fplang.analysis.positions import fit_session, session_data, start_stability
    from fplang.analysis.vocabulary import term_matrix
    from fplang.analysis.world_tables import digest_speeches

    parquet = SHARED / "data" / "ungdc" / "ungdc_1946_2024.parquet"
    assert parquet.is_file(), f"the UN General Debate Corpus is expected at {parquet}"
    speeches = pd.read_parquet(parquet, filters=[("session", "==", 70)]).sort_values("iso3").reset_index(drop=True)
    speeches["doc_id"] = speeches["iso3"] + "_2015"
    digests = digest_speeches(speeches["text"].tolist(), workers=2)
    matrix = term_matrix([digest.counts for digest in digests], speeches["doc_id"].tolist())
    data = session_data(matrix, speeches, 70)
    fit = fit_session(data)
    starts = start_stability(data, fit, n_starts=3, seed=SIMULATION_SEED)
    assert (starts["log_posterior"] <= fit.log_posterior + 1.0).all(), "a random start found a better optimum"
    reached = starts[starts["reached_default_optimum"]]
    assert len(reached) >= 2
    assert (reached["r_with_default"] >= 0.999).all()
