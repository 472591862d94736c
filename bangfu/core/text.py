"""Text helpers: what people type or paste, cleaned; pinyin (full and initials) of Chinese names for search."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

# Surnames read differently from the same character in ordinary words (曾 zeng, not ceng).
SURNAME_INITIALS = {
    "曾": "z", "单": "s", "仇": "q", "解": "x", "查": "z", "区": "o", "朴": "p", "乐": "y",
    "覃": "q", "翟": "z", "盖": "g", "缪": "m", "种": "c", "繁": "p", "员": "y", "秘": "b",
    "长": "c", "折": "s", "尉": "y", "纪": "j", "任": "r", "华": "h", "石": "s", "沈": "s",
    "薄": "b", "柏": "b", "臧": "z", "隗": "w", "冼": "x", "莘": "s", "郇": "h",
}
# The same surnames read in full (their first letters are SURNAME_INITIALS').
SURNAME_PINYIN = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "查": "zha", "区": "ou", "朴": "piao", "乐": "yue",
    "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "种": "chong", "繁": "po", "员": "yun", "秘": "bi",
    "长": "chang", "折": "she", "尉": "yu", "纪": "ji", "任": "ren", "华": "hua", "石": "shi", "沈": "shen",
    "薄": "bo", "柏": "bai", "臧": "zang", "隗": "wei", "冼": "xian", "莘": "shen", "郇": "huan",
}


def clean_text(value: object) -> str:
    """Full-width to half-width (NFKC), spaces and invisible characters dropped."""
    text = str(value or "")
    if text.isascii():  # the common case, and a fast one: NFKC leaves ASCII as it is, with no Cf
        return "".join(text.split())
    if " " not in text and text.isprintable() and unicodedata.is_normalized("NFKC", text):
        return text  # nothing to change (isprintable is false for other spaces and format characters)
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def lone_surrogates(value: object, path: tuple = ()) -> list[tuple]:
    """Where, in decoded JSON (dicts, lists, strings), a string holds half of a UTF-16 pair
    ("\\ud800"): no database can store it (PostgreSQL refuses it, SQLite's encoder raises), and a
    form never gives one (its bytes are decoded with replacement), so only JSON can carry it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [path]
        return []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            # A broken key is reported on the object that holds it: the key itself cannot be echoed.
            found.extend([path] if lone_surrogates(key) else lone_surrogates(item, (*path, key)))
        return found
    if isinstance(value, list):
        return [where for index, item in enumerate(value) for where in lone_surrogates(item, (*path, index))]
    return []


def _letters(parts: list[str]) -> str:
    return "".join(ch for part in parts for ch in part.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=8192)
def _character_letters(character: str) -> str:
    return _letters(lazy_pinyin(character, style=Style.FIRST_LETTER, errors="default", strict=False))


@lru_cache(maxsize=65536)
def _holds_phrase(name: str) -> bool:
    """Whether some run of two or more characters is in pypinyin's phrase dictionary, where a
    character may be read otherwise than on its own (长 in 长大 and 长江)."""
    size = len(name)
    return any(name[start:end] in PHRASES_DICT for start in range(size - 1) for end in range(start + 2, size + 1))


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """逄珍波 -> "pzb", 曾小贤 -> "zxx"; Latin letters are kept lower-cased, anything else dropped."""
    name = (name or "").strip()
    if not name:
        return ""
    if _holds_phrase(name):
        letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default", strict=False)
        if name[0] in SURNAME_INITIALS and letters:
            letters[0] = SURNAME_INITIALS[name[0]] + letters[0][1:]
        return _letters(letters)
    # No phrase: pypinyin reads each character on its own, so the characters' letters, each
    # looked up once, are the same answer at a small part of the cost (most names of an import
    # are new to the cache).
    first = name[0]
    if first in SURNAME_INITIALS:
        return SURNAME_INITIALS[first] + "".join(_character_letters(ch) for ch in name[1:])
    return "".join(_character_letters(ch) for ch in name)


@lru_cache(maxsize=8192)
def _character_pinyin(character: str) -> str:
    return _letters(lazy_pinyin(character, errors="default", strict=False, v_to_u=False))


@lru_cache(maxsize=65536)
def pinyin(name: str) -> str:
    """庞振波 -> "pangzhenbo", 曾小贤 -> "zengxiaoxian", 吕 -> "lv" (ü typed as v, as on a phone's
    keyboard); Latin letters kept lower-cased, anything else dropped. The same readings as initials()."""
    name = (name or "").strip()
    if not name:
        return ""
    if _holds_phrase(name):
        syllables = lazy_pinyin(name, errors="default", strict=False, v_to_u=False)
        if name[0] in SURNAME_PINYIN and syllables:
            syllables[0] = SURNAME_PINYIN[name[0]]
        return _letters(syllables)
    first = name[0]
    if first in SURNAME_PINYIN:
        return SURNAME_PINYIN[first] + "".join(_character_pinyin(ch) for ch in name[1:])
    return "".join(_character_pinyin(ch) for ch in name)


def pinyin_query(text: str) -> str:
    """What a person typed as pinyin, in the stored form: lower case, ü or u: as v, letters only."""
    text = text.lower().replace("ü", "v").replace("u:", "v")
    return "".join(ch for ch in text if "a" <= ch <= "z")
