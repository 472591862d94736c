"""Text helpers for search: pinyin initials of Chinese names."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames read differently from the same character in ordinary words (曾 zeng, not ceng).
SURNAME_INITIALS = {
    "曾": "z", "单": "s", "仇": "q", "解": "x", "查": "z", "区": "o", "朴": "p", "乐": "y",
    "覃": "q", "翟": "z", "盖": "g", "缪": "m", "种": "c", "繁": "p", "员": "y", "秘": "b",
    "长": "c", "折": "s", "尉": "y", "纪": "j", "任": "r", "华": "h", "石": "s", "沈": "s",
    "薄": "b", "柏": "b", "臧": "z", "隗": "w", "冼": "x", "莘": "s", "郇": "h",
}


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """逄珍波 -> "pzb", 曾小贤 -> "zxx"; Latin letters are kept lower-cased, anything else dropped."""
    name = (name or "").strip()
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default", strict=False)
    if name[0] in SURNAME_INITIALS and letters:
        letters[0] = SURNAME_INITIALS[name[0]] + letters[0][1:]
    return "".join(ch for part in letters for ch in part.lower() if "a" <= ch <= "z")
