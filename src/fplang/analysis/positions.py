"""Wordfish positions of every state in every session of the General Debate.

One Wordfish model (:func:`fplang.analysis.scaling.wordfish`) is fitted to
each session's speeches separately, on that session's content words used in
at least :data:`MIN_SHARE` of its speeches (so every word informs the
positions of many states; function words removed, see
:mod:`fplang.analysis.vocabulary`).  Fitting session by session lets the
dimension be whatever divides that year's debate most — the Cold War blocs in
one decade, debt and development in another — and the chapter says which, from
the words with the highest and lowest weights.  The price is that positions
are comparable *within* a session, not across: this module therefore also
measures how stable the dimension is from one session to the next
(:func:`session_stability`) and whether the estimates depend on where the
search starts (:func:`start_stability`).

The dimension has no sign of its own.  It is fixed by an anchor pair: the
United States is placed above the Soviet Union / Russia (:data:`ANCHORS`);
in a session where one of them did not speak, the next pair in the list is
used, and the table of fits records which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fplang.analysis.scaling import WordfishFit, wordfish
from fplang.analysis.vocabulary import TermMatrix, content_words

__all__ = [
    "ANCHORS",
    "MIN_SHARE",
    "SessionData",
    "fit_session",
    "session_data",
    "session_stability",
    "start_stability",
]

MIN_SHARE: float = 0.20
"""A word enters a session's Wordfish vocabulary when at least this share of its speeches use it."""

ANCHORS: tuple[tuple[str, str], ...] = (("RUS", "USA"), ("BLR", "USA"), ("RUS", "GBR"))
"""(low, high) anchor pairs, tried in order: the first pair with both states present sets the sign."""

TOLERANCE: tuple[float, float] = (1e-8, 1e-8)
"""Relative rise of the log-posterior that ends the search, and the Newton steps' tolerance."""

MAX_ITERATIONS: int = 400

TOP_WORDS: int = 10
"""Words listed at each end of a session's dimension."""


class SessionData:
    """One session's speeches as a dense count matrix over its Wordfish vocabulary."""

    def __init__(self, session: int, iso3: np.ndarray, doc_ids: np.ndarray, counts: np.ndarray, words: np.ndarray):
        self.session = session
        self.iso3 = iso3
        self.doc_ids = doc_ids
        self.counts = counts
        self.words = words

    def anchors(self) -> tuple[str, str] | None:
        """The first pair of :data:`ANCHORS` whose two states both spoke in this session."""
        present = set(self.iso3)
        return next((pair for pair in ANCHORS if set(pair) <= present), None)


def session_data(matrix: TermMatrix, speeches: pd.DataFrame, session: int, min_share: float = MIN_SHARE) -> SessionData:
    """The session's speeches (rows of ``matrix`` where ``speeches.session == session``) over its vocabulary."""
    rows = np.flatnonzero(speeches["session"].to_numpy() == session)
    words = content_words(matrix.terms)
    counts = matrix.counts[rows][:, words]
    used_by = np.asarray((counts > 0).sum(axis=0)).ravel()
    keep = used_by >= min_share * rows.size
    dense = counts[:, keep].toarray().astype(np.float64)
    has_words = dense.sum(axis=1) > 0
    return SessionData(
        session=session,
        iso3=speeches["iso3"].to_numpy()[rows][has_words],
        doc_ids=speeches["doc_id"].to_numpy()[rows][has_words],
        counts=dense[has_words],
        words=matrix.terms[words][keep],
    )


def fit_session(data: SessionData, start_theta: np.ndarray | None = None) -> WordfishFit:
    """Wordfish on one session, its sign set by the session's anchor pair."""
    pair = data.anchors()
    if pair is None:
        raise ValueError(f"session {data.session}: no anchor pair of {ANCHORS} spoke; cannot set the sign")
    iso3 = list(data.iso3)
    direction = (iso3.index(pair[0]), iso3.index(pair[1]))
    return wordfish(
        data.counts,
        direction=direction,
        relative_tol=True,
        tol=TOLERANCE,
        max_iterations=MAX_ITERATIONS,
        start_theta=start_theta,
    )


def fit_summary(data: SessionData, fit: WordfishFit) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """A fitted session as tables: positions (one row a speech), the words at each end, and a summary row."""
    positions = pd.DataFrame({"doc_id": data.doc_ids, "theta": fit.theta, "theta_se": fit.se})
    order = np.argsort(fit.beta, kind="stable")
    ends = []
    for side, picks in (("low", order[:TOP_WORDS]), ("high", order[::-1][:TOP_WORDS])):
        for rank, index in enumerate(picks, 1):
            ends.append(
                {
                    "session": data.session,
                    "side": side,
                    "rank": rank,
                    "word": data.words[index],
                    "beta": fit.beta[index],
                }
            )
    pair = data.anchors() or ("", "")
    summary = {
        "session": data.session,
        "n_speeches": len(data.doc_ids),
        "n_words": len(data.words),
        "iterations": fit.iterations,
        "converged": fit.converged,
        "anchor_low": pair[0],
        "anchor_high": pair[1],
        "log_posterior": fit.log_posterior,
    }
    return positions, pd.DataFrame(ends), summary


def session_stability(positions: pd.DataFrame, words: dict[int, pd.Series]) -> pd.DataFrame:
    """How far each session's dimension agrees with the previous session's.

    ``positions`` has ``session``, ``iso3``, ``theta``; ``words`` maps a
    session to its word weights (index = word).  For each session after the
    first: the correlation of the positions of the states that spoke in both
    sessions (``r_states``, with their number) and of the weights of the words
    in both vocabularies (``r_words``).  Values near 1 mean the two sessions
    divide the debate along the same line; near 0, along different lines.
    """
    rows = []
    sessions = sorted(positions["session"].unique())
    by_session = {session: frame.set_index("iso3")["theta"] for session, frame in positions.groupby("session")}
    for before, after in zip(sessions[:-1], sessions[1:], strict=True):
        states = by_session[before].index.intersection(by_session[after].index)
        shared_words = words[before].index.intersection(words[after].index)
        rows.append(
            {
                "session": int(after),
                "n_states_shared": int(len(states)),
                "r_states": float(np.corrcoef(by_session[before][states], by_session[after][states])[0, 1]),
                "n_words_shared": int(len(shared_words)),
                "r_words": float(np.corrcoef(words[before][shared_words], words[after][shared_words])[0, 1]),
            }
        )
    return pd.DataFrame(rows)


def start_stability(data: SessionData, fit: WordfishFit, n_starts: int, seed: int) -> pd.DataFrame:
    """Refit a session from ``n_starts`` random starting positions and compare with ``fit``.

    Starting positions are standard normal draws (seeded: ``seed`` + start
    number).  For each start: its log-posterior, the correlation of its
    positions with the default fit's, and whether it reached the default
    fit's optimum (log-posterior within 1 of it, or higher).  A start that
    ends at a clearly lower log-posterior has stopped at another stationary
    point of the likelihood; the default fit is trusted when no start ends
    higher.
    """
    rows = []
    for start in range(n_starts):
        rng = np.random.default_rng(seed + start)
        other = fit_session(data, start_theta=rng.normal(size=len(data.doc_ids)))
        rows.append(
            {
                "session": data.session,
                "start": start + 1,
                "seed": seed + start,
                "log_posterior": other.log_posterior,
                "default_log_posterior": fit.log_posterior,
                "r_with_default": float(np.corrcoef(other.theta, fit.theta)[0, 1]),
                "reached_default_optimum": bool(other.log_posterior >= fit.log_posterior - 1.0),
            }
        )
    return pd.DataFrame(rows)
