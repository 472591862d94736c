"""Postings published: as text ready to paste into a WeChat group, in numbered parts each within
a WeCom message's 2,048 bytes (UTF-8), and as a poster (PNG, phone size) drawn with Pillow.

The poster needs a CJK font: settings.POSTER_FONT (BANGFU_POSTER_FONT) when set, else the first of
FONT_CANDIDATES found (Debian's fonts-wqy-zenhei, fonts-noto-cjk). Without one, the poster is drawn
with Pillow's own font, which has no Chinese glyphs: `font_path()` returns None and the publish page
says so."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings

from bangfu.work.posting_models import Board, JobPosting

MESSAGE_BYTES = 2048
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
POSTER_SIZE = (1080, 1920)
POSTER_PER_PAGE = 6
BOARD_SHORT = {Board.BOTH: "包吃住", Board.MEALS: "包吃", Board.LODGING: "包住", Board.NONE: "不包食宿"}
SEX_SHORT = {"M": "限男性", "F": "限女性"}


def _yuan(fen: int) -> str:
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


def wage_text(p: JobPosting) -> str:
    low, high = p.wage_min_fen, p.wage_max_fen
    if low is None and high is None:
        return "面议"
    if low is not None and high is not None and low != high:
        return f"{_yuan(low)}-{_yuan(high)}元/月"
    return f"{_yuan(low if low is not None else high)}元/月" + ("起" if high is None else "")


def requirement_text(p: JobPosting) -> str:
    parts = []
    if p.age_min is not None and p.age_max is not None:
        parts.append(f"{p.age_min}-{p.age_max}岁")
    elif p.age_min is not None:
        parts.append(f"{p.age_min}岁以上")
    elif p.age_max is not None:
        parts.append(f"{p.age_max}岁以下")
    parts.append(SEX_SHORT.get(p.sex, "男女不限"))
    if p.skill:
        parts.append("技能劳动力")
    if p.skills:
        parts.append(p.skills)
    return "，".join(parts)


def posting_lines(number: int, p: JobPosting) -> list[str]:
    place = p.place_name or p.place_code
    lines = [f"{number}. {p.employer}｜{p.title} {p.openings}人",
             f"地点：{place}　月薪：{wage_text(p)}",
             f"要求：{requirement_text(p)}"]
    if p.board:
        lines.append(f"食宿：{BOARD_SHORT.get(p.board, '')}")
    lines.append(f"联系：{p.contact}　截止：{p.valid_until:%Y-%m-%d}")
    return lines


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    """The text cut to at most `limit` UTF-8 bytes, on a character's boundary."""
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")


def message_parts(title: str, postings: list[JobPosting], *, limit: int = MESSAGE_BYTES) -> list[str]:
    """The postings as messages of at most `limit` UTF-8 bytes each: a title line (numbered
    "（1/3）" when more than one), then whole postings, never one split across two messages."""
    blocks = ["\n".join(posting_lines(n, p)) for n, p in enumerate(postings, 1)]
    # The title line of the longest kind this many parts could have ("（99/99）").
    reserve = _size(f"{title}（{len(blocks)}/{len(blocks)}）\n")
    room = limit - reserve
    groups: list[list[str]] = []
    size = 0
    for block in blocks:
        block = _cut(block, room)  # a single posting longer than a message (not with the forms' bounds)
        extra = _size(block) + (2 if groups and groups[-1] else 0)  # "\n\n" between postings
        if not groups or size + extra > room:
            groups.append([block])
            size = _size(block)
        else:
            groups[-1].append(block)
            size += extra
    if not groups:
        return [title]
    total = len(groups)
    return [(f"{title}（{i}/{total}）" if total > 1 else title) + "\n" + "\n\n".join(group)
            for i, group in enumerate(groups, 1)]


def font_path() -> str | None:
    configured = getattr(settings, "POSTER_FONT", "")
    for candidate in ((configured,) if configured else ()) + FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _font(size: int):
    from PIL import ImageFont

    path = font_path()
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def poster_pages(count: int) -> int:
    return max(1, -(-count // POSTER_PER_PAGE))


def poster_png(title: str, subtitle: str, postings: list[JobPosting], *, page: int = 1) -> bytes:
    """A phone-size poster (1080×1920 PNG) of the page's postings (POSTER_PER_PAGE a page)."""
    from PIL import Image, ImageDraw

    width, height = POSTER_SIZE
    image = Image.new("RGB", POSTER_SIZE, "#fdf6ec")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 230), fill="#b71c1c")
    big, middle, small = _font(72), _font(40), _font(34)
    draw.text((60, 50), title, font=big, fill="white")
    pages = poster_pages(len(postings))
    draw.text((60, 150), subtitle + (f"（{page}/{pages}）" if pages > 1 else ""), font=small, fill="#ffe0b2")
    chosen = postings[(page - 1) * POSTER_PER_PAGE: page * POSTER_PER_PAGE]
    y = 270
    for number, p in enumerate(chosen, (page - 1) * POSTER_PER_PAGE + 1):
        top = y
        head = _wrap(draw, f"{number}. {p.employer}｜{p.title} {p.openings}人", middle, width - 140)
        body = []
        for line in posting_lines(number, p)[1:]:
            body.extend(_wrap(draw, line, small, width - 140))
        box = 30 + 52 * len(head) + 46 * len(body)
        if y + box > height - 120:
            break
        draw.rounded_rectangle((40, top, width - 40, top + box), radius=20, fill="white", outline="#e0c9a6", width=3)
        y = top + 20
        for line in head:
            draw.text((70, y), line, font=middle, fill="#b71c1c")
            y += 52
        for line in body:
            draw.text((70, y), line, font=small, fill="#333333")
            y += 46
        y = top + box + 24
    draw.text((60, height - 90), "有意者请联系村、镇帮扶干部或直接拨打联系电话", font=small, fill="#8d6e63")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
