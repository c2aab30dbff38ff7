"""German text for the portal search: one normalisation shared by index and query.

Both databases index the same precomputed column (``search_stems``), filled in
Python with the Snowball German stemmer, and the query goes through the very
same function. So stemming does not depend on the database: PostgreSQL's
``simple`` tsvector and SQLite's FTS5 only see lower-case ASCII stems, and
every query stem matches as a prefix (``core.search``). "Mechatroniker" and
"Mechatronikerin" both become ``mechatron``; "Industriemechanik" and
"Industriemechaniker/-in" both ``industriemechan``; umlauts lose their dots
("Münster" → ``munst``), so "Munster" finds it too.
"""

import functools
import re
import unicodedata

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("german")
TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Filler words of queries and the pieces of "/-in", "/-frau", "Technische/r".
STOPWORDS = frozenset(
    "in im an am auf aus bei bis der die das den dem des ein eine einen einer für fur mit nach oder und "
    "vom von zu zum zur r frau frauen innen".split()
)
# Female forms the stemmer leaves alone ("Chemikantin", "Technologin").
_FEMALE_SUFFIXES = (
    ("antinnen", "ant"), ("antin", "ant"), ("entinnen", "ent"), ("entin", "ent"), ("istinnen", "ist"),
    ("istin", "ist"), ("loginnen", "loge"), ("login", "loge"), ("erinnen", "er"), ("erin", "er"),
    ("eurinnen", "eur"), ("eurin", "eur"), ("kauffrauen", "kaufmann"), ("kauffrau", "kaufmann"),
)  # fmt: skip


def _fold(word: str) -> str:
    word = word.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    word = word.lower()
    for suffix, replacement in _FEMALE_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= (0 if replacement == "kaufmann" else 3):
            word = word[: -len(suffix)] + replacement
            break
    return _fold(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """The stems of ``text`` in order, without filler words and single letters."""
    result = []
    for token in TOKEN_RE.findall(text or ""):
        lowered = token.lower()
        if len(lowered) < 2 or lowered in STOPWORDS:
            continue
        result.append(stem(lowered))
    return result


def stem_text(*parts: str) -> str:
    """The indexed column: distinct stems, space-separated."""
    seen: dict[str, None] = {}
    for part in parts:
        for item in stems(part):
            seen.setdefault(item, None)
    return " ".join(seen)


def query_stems(query: str, limit: int = 8) -> list[str]:
    seen: dict[str, None] = {}
    for item in stems(query):
        seen.setdefault(item, None)
    return list(seen)[:limit]


_SLUG_MAP = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slug(text: str, max_length: int = 80) -> str:
    """ "Fördertechnik Müller" → "foerdertechnik-mueller"."""
    from django.utils.text import slugify

    return slugify((text or "").translate(_SLUG_MAP))[:max_length].strip("-")
