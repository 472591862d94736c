"""The CJK fonts the prints are set in: found on the system at run time (Debian's fonts-noto-cjk,
else fonts-wqy-zenhei), or named by the settings BANGFU_PRINT_FONT and BANGFU_PRINT_SERIF_FONT.

A TrueType/OpenType collection (.ttc) holds several faces: Noto's first face is the Japanese one,
whose glyph forms differ from the mainland's, so the face whose family name ends in "SC" is taken.
Without any CJK font, `print_fonts()` returns None and the print pages say so rather than write a
PDF of empty boxes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

SANS_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
SANS_BOLD_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",)
SERIF_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",)
SERIF_BOLD_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",)


@dataclass(frozen=True)
class Face:
    path: str
    index: int  # the face within a collection (0 for a single font file)
    family: str  # its family name, as a word processor names it


@dataclass(frozen=True)
class PrintFonts:
    sans: Face
    sans_bold: Face | None
    serif: Face  # the sans face when no serif (宋) font is installed
    serif_bold: Face | None


def _first(configured: str, candidates: tuple[str, ...]) -> str | None:
    for candidate in ((configured,) if configured else ()) + candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@lru_cache(maxsize=16)
def _face(path: str) -> Face:
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        collection = TTCollection(path, lazy=True)
        names = [font["name"].getDebugName(1) or "" for font in collection.fonts]
        for i, name in enumerate(names):
            if name.endswith((" SC", "SC")):
                return Face(path, i, name)
        return Face(path, 0, names[0] if names else Path(path).stem)
    font = TTFont(path, lazy=True)
    return Face(path, 0, font["name"].getDebugName(1) or Path(path).stem)


def print_fonts() -> PrintFonts | None:
    sans = _first(getattr(settings, "PRINT_FONT", ""), SANS_CANDIDATES)
    if sans is None:
        return None
    serif = _first(getattr(settings, "PRINT_SERIF_FONT", ""), SERIF_CANDIDATES)
    sans_bold = _first("", SANS_BOLD_CANDIDATES) if "Noto" in sans else None
    serif_bold = _first("", SERIF_BOLD_CANDIDATES) if serif else None
    return PrintFonts(
        sans=_face(sans), sans_bold=_face(sans_bold) if sans_bold else None,
        serif=_face(serif) if serif else _face(sans), serif_bold=_face(serif_bold) if serif_bold else None,
    )
