"""The book: what a chapter shows, how the book is built, and the ``fplang`` command.

- :mod:`~fplang.book.numbers`: the prose number formats (``1,234``, ``1.2``).
- :mod:`~fplang.book.report`: glued numbers, tables and their CSV files, headlines.
- :mod:`~fplang.book.charts`: the charts (Altair), offline, with their tables.
- :mod:`~fplang.book.chart_limits`: what a chart can carry, and the note on what it leaves out.
- :mod:`~fplang.book.chapters`: each chapter's glue keys and the function that fills them.
- :mod:`~fplang.book.sphinxext`: the Sphinx extension (the Vega bundle, the PDF link, launch buttons).
- :mod:`~fplang.book.run`: ``fplang run``, the whole book re-run on other inputs.
- :mod:`~fplang.book.inputs`: a run's parameters checked against what the chapters need.
- :mod:`~fplang.book.outdir`: the run's output folder: its own, locked, intact when a run is stopped.
- :mod:`~fplang.book.cli`: the ``fplang`` command.

Import the modules themselves (``from fplang.book import charts, report``): this table of
contents loads none of them, so the command line starts without Altair or Sphinx.
"""
