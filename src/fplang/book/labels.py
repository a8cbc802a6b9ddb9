"""Labels a reader expects for values a manifest writes as identifiers."""

from __future__ import annotations

ACRONYMS = frozenset({"un", "eu", "asean", "nato", "vna", "vov"})
"""Words a manifest's ``doc_type`` writes in lower case that a reader expects in capitals."""


def doc_type_label(doc_type: str) -> str:
    """A manifest's ``doc_type`` as a reader writes it: ``"un_speech"`` -> ``"UN speech"``.

    Underscores become spaces, the first letter is a capital and an acronym
    (:data:`ACRONYMS`) is written in capitals, so a re-run on UN speeches does
    not label its documents "Un speech".
    """
    words = [word.upper() if word.lower() in ACRONYMS else word for word in doc_type.replace("_", " ").split()]
    label = " ".join(words)
    return label[:1].upper() + label[1:]
