"""Kazakh names across scripts.

Two things live here, both built from the tables below:

* ``to_latin`` writes Kazakh Cyrillic in the 2021 Kazakh Latin alphabet
  (the official transliteration target), e.g. «Қасым» -> "Qasym".
* ``search_key`` folds a name written in *any* script — Kazakh Cyrillic,
  Russian Cyrillic, the 2021 Latin alphabet or a passport-style Russian
  transliteration — into one plain skeleton, so that «Қасым», «Касым»,
  "Qasym" and "kasym" all become ``kasim``. The same fold is rendered as a SQL
  expression (``search_key_expression``) for the generated search column of
  ``Person``; the two renderings are tested against each other.
"""

import re

from django.db.models import Func, Value
from django.db.models.functions import Lower, Replace

# Kazakh Cyrillic -> 2021 Kazakh Latin alphabet (lower case; capitals follow the source letter).
_LATIN_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# The alphabet pairs i with İ and ı with I, which str.upper() gets wrong: so И, Й and
# the i of Я (ia), Ю (iu), Ё (io) take the dotted İ, and І the plain I.
_LATIN_2021_CAPITAL = {"i": "İ", "ı": "I"}


def _upper(latin: str) -> str:
    return "".join(_LATIN_2021_CAPITAL.get(char) or char.upper() for char in latin)


def _in_capitals(text: str, index: int) -> bool:
    """Whether the capital at ``index`` belongs to a word written in capitals (ЯКОВ, not Яков)."""
    for neighbour in (text[index + 1 : index + 2], text[index - 1 : index] if index else ""):
        if neighbour.isalpha():
            return neighbour.isupper()
    return False


def to_latin(text: str) -> str:
    """Transliterate Kazakh Cyrillic into the 2021 Kazakh Latin alphabet."""
    out = []
    for index, char in enumerate(text):
        lower = char.lower()
        latin = _LATIN_2021.get(lower)
        if latin is None:
            out.append(char)
        elif char == lower or not latin:
            out.append(latin)
        elif _in_capitals(text, index):
            out.append(_upper(latin))
        else:
            out.append(_upper(latin[0]) + latin[1:])
    return "".join(out)


# The search fold, step 1: one character to one plain letter (both cases listed, because
# PostgreSQL's lower() leaves non-ASCII letters alone under the C locale). Characters in
# _FOLD_DELETE are dropped.
_FOLD_FROM = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщыіэюяАӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЭЮЯäğıñöşūüqywÄĞİÑÖŞŪÜ"
_FOLD_TO = (
    "aabvggdeejziikklmnnooprstuuufhhccssiieua"
    "aabvggdeejziikklmnnooprstuuufhhccssiieua"
    "agınosuukiv".replace("ı", "i")
    + "agin" "osuu"
)  # fmt: skip
_FOLD_DELETE = "ъьЪЬ\u0307'’`-"
# Step 2: digraphs of Russian-style transliteration, so "Zhomart"/«Жомарт» and
# "Shchukin"/«Щукин» meet. Step 3: doubled letters collapse, so "Kassym"/«Қасым» and
# "Şşukin" meet. Step 4: iotated vowels, so "Tokayev"/«Тоқаев» meet.
_FOLD_DIGRAPHS = [("shch", "s"), ("zh", "j"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("ts", "c")]
_FOLD_IOTATED = [("iu", "u"), ("ia", "a"), ("io", "o"), ("ie", "e")]
_DOUBLED = r"(.)\1+"

assert len(_FOLD_FROM) == len(_FOLD_TO), "fold tables out of step"
_FOLD_TABLE = {ord(src): dst for src, dst in zip(_FOLD_FROM, _FOLD_TO, strict=True)}
_FOLD_TABLE.update({ord(char): None for char in _FOLD_DELETE})


def search_key(text: str) -> str:
    """Fold a name in any script into its search skeleton (see the module docstring)."""
    # Lower-case every letter, as PostgreSQL's lower() does under a UTF-8 locale, so that
    # letters outside the tables (Ç, É ...) match the search column too. str.lower() turns
    # İ into i + U+0307; the fold drops the combining dot.
    folded = text.lower().translate(_FOLD_TABLE)
    for old, new in _FOLD_DIGRAPHS:
        folded = folded.replace(old, new)
    folded = re.sub(_DOUBLED, r"\1", folded)
    for old, new in _FOLD_IOTATED:
        folded = folded.replace(old, new)
    return " ".join(folded.split())


class _Translate(Func):
    function = "TRANSLATE"


class _RegexpReplace(Func):
    function = "REGEXP_REPLACE"


def search_key_expression(expression):
    """The SQL rendering of ``search_key`` (immutable, so usable in a generated column)."""
    folded = _Translate(Lower(expression), Value(_FOLD_FROM + _FOLD_DELETE), Value(_FOLD_TO))
    for old, new in _FOLD_DIGRAPHS:
        folded = Replace(folded, Value(old), Value(new))
    folded = _RegexpReplace(folded, Value(_DOUBLED), Value(r"\1"), Value("g"))
    for old, new in _FOLD_IOTATED:
        folded = Replace(folded, Value(old), Value(new))
    return folded


# Alphabetical order. The database's collation (C.UTF-8 here, often no Kazakh one
# anywhere) puts Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я. The sort key maps each letter of the
# Kazakh alphabet, in its order, onto consecutive code points, and is compared under
# the "C" collation, so «Қасымов» comes between «Кенжебаев» and «Лебедев».
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_SORT_TO = "".join(chr(0x100 + index) for index in range(len(KAZAKH_ALPHABET)))


def sort_key_expression(expression):
    """An immutable SQL sort key of a Kazakh Cyrillic text (see KAZAKH_ALPHABET)."""
    return _Translate(expression, Value(KAZAKH_ALPHABET + KAZAKH_ALPHABET.upper()), Value(_SORT_TO + _SORT_TO))
