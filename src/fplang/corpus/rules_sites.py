"""Cleaning rules for the chrome and furniture of particular web sites, keyed on their address.

Each rule applies to the documents whose manifest ``source_url`` matches its
site, so a rule for one site's chrome also cleans other articles from it.
"""

from __future__ import annotations

from fplang.corpus.rule import Rule

VIETNAMPLUS = {"source_url": r"https?://(en\.)?vietnamplus\.vn/.*"}
CONGTHUONG = {"source_url": r"https?://(ven\.)?congthuong\.vn/.*"}
ASB_MEDIA = {"source_url": r"https?://(www\.)?asb-media\.info/.*"}
VOVWORLD = {"source_url": r"https?://(www\.)?vovworld\.vn/.*"}

SITE_RULES: tuple[Rule, ...] = (
    Rule(
        "crawler_date_prefix",
        "VietnamPlus copies start with the crawler's ' date YYYY-MM-DD' before the lead.",
        r"\A\s*(?:date \d{4}-\d{2}-\d{2}\s+)+",
        where=VIETNAMPLUS,
    ),
    Rule(
        "vna_sign_off",
        "Vietnam News Agency stories end with '/.' and the sign-off 'VNA'.",
        # Bounded (five sign-offs, 100 spaces each): tried from every '/.', an unbounded run would make
        # a text of many sign-offs quadratic; here each try costs a few hundred steps at most.
        r"(?:/\.\s{0,100}VNA\s{0,100}){1,5}\Z",
        where=VIETNAMPLUS,
        flags=0,
    ),
    Rule(
        "site_chrome_timestamp",
        "Vietnam Economic News prints '19:05 | 23/03/2025 15:58 | 21/01/2026' plus a section "
        "name above the article and under each related-article link (whose titles were lost).",
        r"^\d{2}:\d{2} \| \d{2}/\d{2}/\d{4} \d{2}:\d{2} \| \d{2}/\d{2}/\d{4}[^\n]*(\n|\Z)",
        where=CONGTHUONG,
    ),
    Rule(
        "photo_caption",
        "VOV World photo captions are lines ending in ' |' with a '(Photo: …)' credit.",
        # The credit is bounded (200 characters): a line of many '(Photo: ' without ')' stays linear.
        r"^[^\n]*\(Photo: [^)\n]{0,200}\)\s*\|[ ]*(\n|\Z)",
        where=VOVWORLD,
    ),
    Rule(
        "vovworld_prefix",
        "VOV World stories open with the outlet's tag '(VOVWORLD) - '.",
        r"\A\s*(?:\(VOVWORLD\)\s*-\s*)+",
        where=VOVWORLD,
    ),
    Rule(
        "generated_summary",
        "The aggregator's rewrite ends with an 'In conclusion' paragraph and '- ' bullet points "
        "that summarise, and add claims the body does not support (amnesties tied to "
        "'environmental policies'); they are not reporting.",
        r"^(In conclusion\b|- )[^\n]*(\n|\Z)",
        where=ASB_MEDIA,
    ),
)
"""Rules for the chrome and furniture of particular web sites, keyed on their address."""

RESTATEMENT_RULES: tuple[Rule, ...] = (
    Rule(
        "lead_restated_in_body",
        "The Vietnam Economic News lead restates two body paragraphs (the renewal-period "
        "paragraph and the presenter with his theme); the body's versions are kept.",
        r"^(Entering the renewal period, external relations took the lead|Nguyen Manh Cuong, a "
        r"member of the Party Central Committee,[^\n]*delivered a presentation)[^\n]*(\n|\Z)",
        where=CONGTHUONG,
    ),
)
"""Site rules that must run after repeated paragraphs are gone (they match a paragraph's first copy)."""

