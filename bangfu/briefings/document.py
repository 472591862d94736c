"""The documents the app writes, as one small content model (a masthead, titles, headings,
paragraphs, tables, page breaks) that `pdf.py` and `docx.py` both render: a print is built once and
written in either format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres (A4 portrait)."""

    top: float = 20
    bottom: float = 18
    left: float = 18
    right: float = 18


# GB/T 9704-2012 (党政机关公文格式): 天头 37 mm, 订口 28 mm; the body block 156 x 225 mm.
GBT9704 = Margins(top=37, bottom=35, left=28, right=26)


@dataclass(frozen=True)
class Masthead:
    """The briefing's 报头: its name in red, 第X期, the issuing unit left and the date right, a red rule."""

    name: str
    number: str
    unit: str
    date: str


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: str = ""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True  # the first line indented by two characters, as Chinese prose is
    align: str = "left"  # left, right, center


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative widths, one per column; equal when empty


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Masthead | Title | Heading | Paragraph | Table | PageBreak


@dataclass
class Document:
    title: str  # the file's title (PDF metadata, .docx core properties)
    blocks: list[Block] = field(default_factory=list)
    margins: Margins = Margins()
    body_pt: float = 11
    title_pt: float = 16
    footer: bool = True  # "第 X 页 共 Y 页" at the foot of every page
    # Titles and body in the serif (宋) face, as a briefing is; a print's forms keep to the sans face,
    # and a PDF then embeds only that one (each face loaded costs about half a second).
    serif: bool = False
    landscape: bool = False  # A4 across (a month's attendance: a column a day)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def cell(value: object) -> str:
    """A table cell's text: empty values as a dash."""
    if value is None or value == "":
        return "—"
    return str(value)
