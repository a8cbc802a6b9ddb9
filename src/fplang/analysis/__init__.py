"""Analysis: the statistics and the tables behind each chapter's findings.

- :mod:`~fplang.analysis.rates`: rates per 1,000 tokens, bootstrap and Poisson intervals.
- :mod:`~fplang.analysis.concepts`: concept counts per sentence, rates, concordances.
- :mod:`~fplang.analysis.formulas`: the formula ladder.
- :mod:`~fplang.analysis.distinctive`: keywords, recurring formulas, similarity.
- :mod:`~fplang.analysis.un`: the UN chapter's tables.
- :mod:`~fplang.analysis.findings`: the headline findings, computed.
"""
