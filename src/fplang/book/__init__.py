"""The book: what a chapter shows, how the book is built, and the ``fplang`` command.

- :mod:`~fplang.book.report`: glued numbers, tables and their CSV files.
- :mod:`~fplang.book.charts`: the charts (Altair), offline, with their tables.
- :mod:`~fplang.book.sphinxext`: the Sphinx extension (the Vega bundle, the PDF link, launch buttons).
- :mod:`~fplang.book.run`: ``fplang run``, the whole book re-run on other inputs.
- :mod:`~fplang.book.cli`: the ``fplang`` command.
"""
