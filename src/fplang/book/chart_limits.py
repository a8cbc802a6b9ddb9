"""What a chart can carry: a frame cut to whole groups that fit, and a note saying what was left out.

A re-run may bring a lexicon of thousands of concepts.  A chart embeds its
data in the page (at most :data:`fplang.book.charts.MAX_CHART_ROWS` rows) and
gives each concept a row of its own, so the chapters chart the concepts with
the highest counts that fit and say how many they left out; the run's tables
hold them all.
"""

from __future__ import annotations

import pandas as pd

from fplang.book.charts import MAX_CHART_ROWS
from fplang.book.report import NoticeOutput

MAX_CHART_GROUPS = 100
"""The most groups (e.g. concepts, one row each) a chart draws: 5,000 made a 46 MB picture that stopped a run."""


def within_chart_limit(
    frame: pd.DataFrame,
    group: str,
    rank_by: str,
    table: str,
    what: str,
    limit: int = MAX_CHART_ROWS,
    max_groups: int = MAX_CHART_GROUPS,
) -> tuple[pd.DataFrame, NoticeOutput | None]:
    """``frame`` cut to what a chart can carry, whole groups at a time, and a note saying what was left out.

    A chart embeds its data in the page and takes at most ``limit`` rows
    (:data:`fplang.book.charts.MAX_CHART_ROWS`), and gives each group a row or
    column of its own, so more than ``max_groups`` of them cannot be read (nor
    drawn at a reasonable size).  When ``frame`` has more, the groups with the
    largest ``rank_by`` totals are kept, as many as fit both bounds, and the
    note names how many ``what`` were charted and the ``table`` (a CSV file
    of the run) that holds them all.  ``None`` when all fit.
    """
    totals = frame.groupby(group, sort=False)[rank_by].sum().sort_values(ascending=False, kind="stable")
    if len(frame) <= limit and len(totals) <= max_groups:
        return frame, None
    sizes = frame.groupby(group, sort=False).size().reindex(totals.index)
    kept = totals.index[(sizes.cumsum() <= limit).to_numpy()][:max_groups]
    if len(frame) > limit and len(kept) < max_groups:
        why = f"all of them would need {len(frame):,} cells, more than the {limit:,} a chart carries"
    else:
        why = f"a chart has room for {max_groups:,} at most"
    note = NoticeOutput(
        f"The chart shows the {len(kept):,} {what} of {len(totals):,} with the highest total {rank_by}: {why}. "
        f"The table {table} holds them all.",
        title="Not all of this corpus is charted",
    )
    return frame[frame[group].isin(kept)], note
