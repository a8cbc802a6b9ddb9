"""The book's one definition of a token.

Every count in the book is "per 1,000 tokens of the cleaned text", so the token
definition is stated once, here, and reused by segmentation, the counting
engine and the reference counter the tests compare it with.

A token is a maximal run of letters and digits, in any script (so "Đổi" and
"1954" are tokens), which may hold an apostrophe between two such runs
("Vietnam's", "don't" are one token each).  Hyphens, dashes, slashes and every
other mark separate tokens, so "self-reliance" is two tokens, exactly as
"self reliance" is.  Tokens are compared in lower case.
"""

from __future__ import annotations

import re

TOKEN_PATTERN: str = r"[^\W_]+(?:['’][^\W_]+)*"
"""Regular expression (Python ``re``) for one token, before lower-casing."""

TOKEN_RE: re.Pattern[str] = re.compile(TOKEN_PATTERN)

TOKEN_DEFINITION: str = (
    "A token is a maximal run of letters and digits in any script, which may hold "
    "an apostrophe between two such runs (\u201cnation's\u201d is one token); hyphens, "
    "dashes and all other punctuation separate tokens (\u201cself-reliance\u201d is two). "
    "Tokens are compared in lower case."
)
"""The definition as the book prints it (glued into the method notes)."""


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-cased tokens, in order.

    >>> tokenize("Viet Nam's self-reliance, since 1954.")
    ['viet', "nam's", 'self', 'reliance', 'since', '1954']
    """
    return [match.group().lower() for match in TOKEN_RE.finditer(text)]


def count_tokens(text: str) -> int:
    """Number of tokens in ``text`` (see the module docstring for the definition)."""
    return sum(1 for _ in TOKEN_RE.finditer(text))
