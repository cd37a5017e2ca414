"""Keyword search terms: how Chinese written without spaces becomes something an index can find.

Chinese has no spaces between words, so a word-splitting full-text parser sees "文旅讲解见习岗"
as one token and a search for "见习" finds nothing. Segmenting words needs a dictionary that
must be kept current; instead we index what a keyword of any length is made of, as Lucene's
CJK analyser does:

* a run of Chinese characters gives its overlapping character pairs (bigrams):
  "讲解见习" → 讲解, 解见, 见习 (a lone character gives none);
* a run of letters or digits is one term, lower-cased: "Python", "3D" → python, 3d.

A keyword's last term must be among a post's terms (the index finds candidates), and the
post's text must then contain the keyword itself (so "旅游实习" does not match "旅游…实习"
scattered). One lookup is enough for correctness, and a planner that multiplies the
selectivities of several lookups as if they were independent (they are not: 文旅 and 讲解
travel together) would think almost nothing matches and choose a plan that sorts every match.
A keyword that is exactly one term (a two-character word like 见习, or one Latin word) needs no
containment check: having the term is containing the keyword. A one-character Chinese keyword
has no pair to look up; it is matched by the containment check alone. Keywords separated by
spaces are each required.

Each searchable field is tokenised on its own line, so no pair spans two fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: CJK Unified Ideographs and Extension A, and the compatibility block
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")
MAX_TERM_LENGTH = 32
MAX_KEYWORDS = 5


def normalise(text: str) -> str:
    """Full-width forms folded (ＰＹＴＨＯＮ → python), lower case, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def searchable_text(*fields: str | None) -> str:
    """What a post is searched by, one normalised field a line."""
    return "\n".join(normalise(field) for field in fields if field)


def terms_of(text: str) -> set[str]:
    """The index terms of `text` (already normalised or not)."""
    terms: set[str] = set()
    for line in normalise_lines(text):
        for han, word in _RUNS.findall(line):
            if han:
                terms.update(_pairs(han))
            else:
                terms.add(word[:MAX_TERM_LENGTH])
    return terms


def normalise_lines(text: str) -> Iterable[str]:
    return (normalise(line) for line in (text or "").split("\n"))


def _pairs(han: str) -> set[str]:
    return {han[i : i + 2] for i in range(len(han) - 1)}


def keywords(query: str | None) -> list[str]:
    """The keywords of a search box's text: normalised, space-separated, at most MAX_KEYWORDS."""
    text = normalise(query or "")
    return text.split(" ")[:MAX_KEYWORDS] if text else []


def needs_containment_check(keyword: str) -> bool:
    """False when the index term alone proves the text contains the keyword."""
    runs = _RUNS.findall(normalise(keyword))
    if len(runs) != 1 or "".join(runs[0]) != normalise(keyword):
        return True
    han, word = runs[0]
    return len(han) != 2 if han else len(word) > MAX_TERM_LENGTH


def lookup_term(keyword: str) -> str | None:
    """The one term an index lookup for `keyword` uses: its last (in Chinese the head of a
    phrase: 旅游实习 → 实习). None when the keyword has no term (a single Chinese character,
    punctuation): then only the containment check applies."""
    terms: list[str] = []
    for han, word in _RUNS.findall(normalise(keyword)):
        terms.extend([han[i : i + 2] for i in range(len(han) - 1)] if han else [word])
    return terms[-1][:MAX_TERM_LENGTH] if terms else None
