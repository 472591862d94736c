"""A Document (document.py) written as an A4 PDF with fpdf2, in the CJK fonts of fonts.py."""

from __future__ import annotations

from fpdf import FPDF, FontFace
from fpdf.enums import Align, WrapMode, XPos, YPos

from bangfu.briefings.document import Document, Heading, Masthead, PageBreak, Paragraph, Table, Title
from bangfu.briefings.fonts import Face, PrintFonts

RED = (200, 16, 16)
BLACK = (0, 0, 0)
PT_TO_MM = 25.4 / 72
INDENT = "\u3000\u3000"  # two ideographic spaces: the first-line indent of Chinese prose
# Never at the start of a line (避头): closing punctuation; never at the end (避尾): opening.
NOT_FIRST = frozenset("，。、；：？！）》」』】〕”’…—·%,.;:?!)]}")
NOT_LAST = frozenset("（《「『【〔“‘([{")


class NoFontError(RuntimeError):
    """No CJK font on the system: a PDF would show empty boxes for every Chinese character."""


class _Pdf(FPDF):
    page_footer = True

    def footer(self) -> None:
        if not self.page_footer:
            return
        self.set_y(-12)
        self.set_font("sans", "", 9)
        self.set_text_color(*BLACK)
        self.cell(0, 6, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def _add(pdf: FPDF, family: str, style: str, face: Face) -> None:
    pdf.add_font(family, style, face.path, collection_font_number=face.index)


def _line_mm(pt: float) -> float:
    return pt * PT_TO_MM * 1.5


def render_pdf(document: Document, fonts: PrintFonts | None) -> bytes:
    if fonts is None:
        raise NoFontError("no CJK font found")
    pdf = _Pdf(orientation="L" if document.landscape else "P", unit="mm", format="A4")
    pdf.page_footer = document.footer
    margins = document.margins
    pdf.set_margins(margins.left, margins.top, margins.right)
    pdf.set_auto_page_break(True, margin=margins.bottom)
    pdf.set_title(document.title)
    pdf.set_creator("bangfu")
    _add(pdf, "sans", "", fonts.sans)
    _add(pdf, "sans", "B", fonts.sans_bold or fonts.sans)
    if document.serif:
        _add(pdf, "serif", "", fonts.serif)
        _add(pdf, "serif", "B", fonts.serif_bold or fonts.serif)
    serif = "serif" if document.serif else "sans"
    pdf.add_page()
    body = document.body_pt
    for block in document.blocks:
        if isinstance(block, PageBreak):
            pdf.add_page()
        elif isinstance(block, Masthead):
            _masthead(pdf, block, document, serif)
        elif isinstance(block, Title):
            pdf.set_text_color(*BLACK)
            pdf.set_font(serif, "B", document.title_pt)
            pdf.multi_cell(0, _line_mm(document.title_pt), block.text, align=Align.C, wrapmode=WrapMode.CHAR,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if block.subtitle:
                pdf.set_font("sans", "", body)
                pdf.multi_cell(0, _line_mm(body), block.subtitle, align=Align.C, wrapmode=WrapMode.CHAR,
                               new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(_line_mm(body) / 2)
        elif isinstance(block, Heading):
            size = body + (1 if block.level == 1 else 0)
            pdf.set_text_color(*BLACK)
            pdf.set_font("sans", "B", size)
            pdf.ln(_line_mm(body) / 4)
            pdf.multi_cell(0, _line_mm(size), block.text, wrapmode=WrapMode.CHAR,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif isinstance(block, Paragraph):
            pdf.set_text_color(*BLACK)
            pdf.set_font(serif, "", body)
            text = (INDENT + block.text) if block.indent else block.text
            align = {"right": Align.R, "center": Align.C}.get(block.align, Align.L)
            if align == Align.L:
                text = "\n".join(_lines(pdf, text, pdf.epw - 2 * pdf.c_margin))
            pdf.multi_cell(0, _line_mm(body), text, align=align, wrapmode=WrapMode.CHAR,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif isinstance(block, Table):
            _table(pdf, block, body)
    return bytes(pdf.output())


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """Chinese prose broken into lines that fit `width` in the current font, a character at a time,
    keeping closing punctuation off the start of a line and opening punctuation off its end (the
    character before is carried down with it)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and pdf.get_string_width(line + char) > width:
            carried = ""
            while len(line) > 1 and (char in NOT_FIRST if not carried else carried[0] in NOT_FIRST):
                carried = line[-1] + carried
                line = line[:-1]
            while len(line) > 1 and line[-1] in NOT_LAST:
                carried = line[-1] + carried
                line = line[:-1]
            lines.append(line)
            line = carried
        line += char
    if line:
        lines.append(line)
    return lines


def _masthead(pdf: FPDF, block: Masthead, document: Document, serif: str) -> None:
    pdf.set_text_color(*RED)
    pdf.set_font(serif, "B", 30)
    pdf.multi_cell(0, 16, block.name, align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*BLACK)
    pdf.set_font(serif, "", document.body_pt)
    line = _line_mm(document.body_pt)
    pdf.cell(0, line, block.number, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    width = pdf.epw / 2
    pdf.cell(width, line, block.unit, align=Align.L)
    pdf.cell(width, line, block.date, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1.5
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(*BLACK)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 6)


def _table(pdf: FPDF, block: Table, body: float) -> None:
    size = min(body, 10.5)
    pdf.set_text_color(*BLACK)
    pdf.set_font("sans", "", size)
    widths = block.widths or tuple(1 for _ in block.columns)
    with pdf.table(col_widths=widths, line_height=_line_mm(size) * 0.9, text_align="LEFT",
                   headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
                   repeat_headings=1, wrapmode=WrapMode.CHAR, padding=1) as table:
        table.row(block.columns)
        for row in block.rows:
            table.row(row)
    pdf.ln(_line_mm(size) / 2)
