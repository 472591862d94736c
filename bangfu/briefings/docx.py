"""A Document (document.py) written as an editable A4 .docx with python-docx.

Word picks fonts by name on the reader's machine: Chinese text is set in 宋体 for titles and 仿宋
for the body (GB/T 9704 names 方正小标宋 and 仿宋_GB2312, which are commercial; these two come with
every office's Windows), with the Noto family that the PDF uses named as the Latin font."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bangfu.briefings.document import Document, Heading, Masthead, PageBreak, Paragraph, Table, Title

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
RED = RGBColor(0xC8, 0x10, 0x10)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "center": WD_ALIGN_PARAGRAPH.CENTER}


def _font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _red_rule(paragraph) -> None:
    """A thick red line under the paragraph (the masthead's rule)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C81010")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    word.core_properties.title = document.title
    section = word.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if document.landscape else (Mm(210), Mm(297))
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    margins = document.margins
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    normal = word.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(document.body_pt)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    body = document.body_pt
    for block in document.blocks:
        if isinstance(block, PageBreak):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Masthead):
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(block.name), TITLE_FONT, 30, bold=True, color=RED)
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(block.number), BODY_FONT, body)
            p = word.add_paragraph()
            p.paragraph_format.tab_stops.add_tab_stop(section.page_width - section.left_margin - section.right_margin,
                                                      alignment=2)  # right
            _font(p.add_run(f"{block.unit}\t{block.date}"), BODY_FONT, body)
            _red_rule(p)
        elif isinstance(block, Title):
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(block.text), TITLE_FONT, document.title_pt, bold=True)
            if block.subtitle:
                p = word.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _font(p.add_run(block.subtitle), BODY_FONT, body)
        elif isinstance(block, Heading):
            p = word.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(body * 2) if body >= 14 else None
            _font(p.add_run(block.text), HEADING_FONT, body, bold=body < 14)
        elif isinstance(block, Paragraph):
            p = word.add_paragraph()
            p.alignment = ALIGN.get(block.align, WD_ALIGN_PARAGRAPH.JUSTIFY)
            if block.indent:
                p.paragraph_format.first_line_indent = Pt(body * 2)
            _font(p.add_run(block.text), BODY_FONT, body)
        elif isinstance(block, Table):
            _table(word, block, min(body, 10.5))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _table(word, block: Table, size: float) -> None:
    table = word.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.columns):
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, size, bold=True)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, size)
    word.add_paragraph()
