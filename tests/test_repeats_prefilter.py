"""The repeated-paragraph rule's first test (``may_repeat``): it clears a text only when nothing repeats.

``may_repeat`` reads the ``str`` itself in compiled code (``str_width``) and
bounds, for every pair of lines, the tokens they can share; when it says
False the rule returns the text untouched without its full method.  Here it
is held to that: on generated texts full of copies and near copies, written
with every line break ``str.splitlines`` knows, apostrophes, sigmas and
letters whose lower case is two characters, a text it clears is one where the
full method (and the plain procedure on real tokens) removes nothing; and on
the committed corpora it clears every text but the one with a repeat.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fplang.corpus._kernels import char_flags, code_points, str_code_points
from fplang.corpus._line_signatures import MAX_PAIRED_LINES, may_repeat
from fplang.corpus.repeats import REPEATED_PARAGRAPHS, _repeats_exactly, repeated_lines


def _may(text: str, threshold: float = 0.9, min_tokens: int = 8, max_lines: int = MAX_PAIRED_LINES) -> bool:
    return bool(may_repeat(text, char_flags(), min_tokens, threshold, max_lines))


def _full_method(text: str, threshold: float = 0.9, min_tokens: int = 8) -> set[int]:
    return repeated_lines(text, text.splitlines(keepends=True), threshold, min_tokens)


def test_a_str_read_in_place_gives_each_code_point_of_every_kind_of_string():
    for text in ("", "plain ascii", "latin-1 é ÿ", "em dash — and đổi mới", "astral 𝔸 and 😀", "lone \ud800 surrogate"):
        assert str_code_points(text).tolist() == [ord(c) for c in text] == code_points(text).tolist(), text


_WORDS = st.sampled_from(
    ["peace", "Trade", "PEACE", "Viet", "Nam's", "nam’s", "the", "of", "and", "đổi", "ΑΣ", "ας", "İstanbul", "1954", "x_y"]
)
_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])


@st.composite
def _texts_with_near_copies(draw):
    lines = [" ".join(draw(st.lists(_WORDS, min_size=0, max_size=16))) for _ in range(draw(st.integers(1, 10)))]
    for _ in range(draw(st.integers(0, 6))):  # copies, near copies, reorderings and case changes of earlier lines
        source = draw(st.sampled_from(lines)).split()
        kind = draw(st.sampled_from(["copy", "drop", "add", "shuffle", "upper", "drop two"]))
        if kind in ("drop", "drop two") and source:
            for _ in range(1 if kind == "drop" else min(2, len(source))):
                del source[draw(st.integers(0, len(source) - 1))]
        elif kind == "add":
            source.insert(draw(st.integers(0, len(source))), draw(_WORDS))
        elif kind == "shuffle":
            source = draw(st.permutations(source))
        elif kind == "upper":
            source = [word.upper() for word in source]
        lines.insert(draw(st.integers(0, len(lines))), " ".join(source))
    return "".join(line + draw(_BREAKS) for line in lines)


@settings(max_examples=500, deadline=None)
@given(_texts_with_near_copies(), st.sampled_from([0.9, 0.8, 0.6]), st.sampled_from([3, 8]))
def test_a_text_the_first_test_clears_has_no_repeat_by_the_full_method(text, threshold, min_tokens):
    if _may(text, threshold, min_tokens):
        return
    lines = text.splitlines(keepends=True)
    assert _full_method(text, threshold, min_tokens) == set()
    assert _repeats_exactly(lines, threshold, min_tokens) == set()  # real tokens, when hashes would mislead


def test_the_first_test_sees_a_copy_a_near_copy_and_a_shuffled_copy():
    line = "the general assembly meets in new york each september for its debate"
    assert _may(f"{line}\nsomething else entirely, with no words of the first at all\n{line}")
    assert _may(f"{line}\n" + line.replace("september", "october"))  # 11 of 12 tokens shared: ratio 0.92
    assert _may(f"{line}\n" + " ".join(reversed(line.split())))  # shares every token (difflib then decides)
    assert _may(f"{line.upper()}\u2028{line}")  # compared in lower case, across a line separator
    assert not _may(f"{line}\n" + line.replace("september", "october").replace("debate", "talks"))  # 10 of 12: 0.83


def test_more_lines_than_it_pairs_go_to_the_full_method():
    text = "".join(" ".join(f"w{i}x{k}" for k in range(8)) + "\n" for i in range(50))  # 50 lines, no word shared
    assert not _may(text)
    assert _may(text, max_lines=49)
    assert not _may(text, max_lines=50)


def test_the_first_test_clears_every_committed_text_but_the_one_that_repeats(seed_corpus):
    """On the seeds and the 584 committed UN speeches, as each stands when the rule runs."""
    from fplang.corpus.clean import clean_text, default_rules
    from fplang.corpus.manifest import load_manifest, read_texts

    rules = default_rules()
    before_repeats = rules[: rules.index(REPEATED_PARAGRAPHS)]
    passed, with_repeats = [], []
    for manifest in (ROOT / "data" / "corpus.csv", ROOT / "data" / "raw" / "ungdc" / "manifest.csv"):
        frame = load_manifest(manifest)
        raw = read_texts(frame)
        for metadata in frame.to_dict("records"):
            text, _ = clean_text(str(raw[metadata["doc_id"]]), metadata, before_repeats)
            if _may(text):
                passed.append(metadata["doc_id"])
            if _full_method(text):
                with_repeats.append(metadata["doc_id"])
    assert with_repeats == ["seed_001"]
    assert passed == ["seed_001"]
