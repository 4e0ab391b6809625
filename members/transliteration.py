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
# Capitals that str.upper() would get wrong: И/Й take the dotted İ, І the plain I.
_LATIN_2021_CAPITAL = {"и": "İ", "й": "İ", "і": "I"}


def to_latin(text: str) -> str:
    """Transliterate Kazakh Cyrillic into the 2021 Kazakh Latin alphabet."""
    out = []
    for char in text:
        lower = char.lower()
        latin = _LATIN_2021.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower and latin:
            out.append(_LATIN_2021_CAPITAL.get(lower) or latin[0].upper() + latin[1:])
        else:
            out.append(latin)
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
# Step 2, in this order: digraphs of Russian-style transliteration, then doubled and
# iotated vowels, so "Zhomart"/«Жомарт» and "Tokayev"/«Тоқаев» meet.
_FOLD_REPLACE = [
    ("zh", "j"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("ts", "c"),
    ("ii", "i"), ("iu", "u"), ("ia", "a"), ("io", "o"), ("ie", "e"),
]  # fmt: skip

assert len(_FOLD_FROM) == len(_FOLD_TO), "fold tables out of step"
_FOLD_TABLE = {ord(src): dst for src, dst in zip(_FOLD_FROM, _FOLD_TO, strict=True)}
_FOLD_TABLE.update({ord(char): None for char in _FOLD_DELETE})


def search_key(text: str) -> str:
    """Fold a name in any script into its search skeleton (see the module docstring)."""
    ascii_lowered = "".join(char.lower() if char.isascii() else char for char in text)
    folded = ascii_lowered.translate(_FOLD_TABLE)
    for old, new in _FOLD_REPLACE:
        folded = folded.replace(old, new)
    return " ".join(folded.split())


class _Translate(Func):
    function = "TRANSLATE"


def search_key_expression(expression):
    """The SQL rendering of ``search_key`` (immutable, so usable in a generated column)."""
    folded = _Translate(Lower(expression), Value(_FOLD_FROM + _FOLD_DELETE), Value(_FOLD_TO))
    for old, new in _FOLD_REPLACE:
        folded = Replace(folded, Value(old), Value(new))
    return folded
