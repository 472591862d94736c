"""The document writer: one content model, read back from the PDF and the .docx it writes."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument

from bangfu.briefings.docx import render_docx
from bangfu.briefings.document import GBT9704, Document, Heading, Masthead, PageBreak, Paragraph, Table, Title
from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.pdf import NoFontError, render_pdf
from bangfu.briefings.tests.helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.skipif(print_fonts() is None, reason="no CJK font installed (fonts-noto-cjk)")


def _document() -> Document:
    return Document("工作简报", margins=GBT9704, body_pt=16, title_pt=22, serif=True).add(
        Masthead("送庄镇脱贫攻坚工作简报", "第3期", "送庄镇人民政府", "2026年3月31日"),
        Title("一季度工作情况"),
        Heading("一、基本情况"),
        Paragraph("全镇共有脱贫户65户，外出务工7人返岗。"),
        Table(("序号", "户主姓名"), (("1", "赵大山"), ("2", "钱小河"))),
        PageBreak(),
        Paragraph("下一步打算。", indent=False),
    )


def test_the_pdf_holds_every_block_in_order_on_a4_pages():
    data = render_pdf(_document(), print_fonts())
    text = pdf_text(data)
    for expected in ("送庄镇脱贫攻坚工作简报", "第3期", "一季度工作情况", "一、基本情况", "全镇共有脱贫户65户",
                     "赵大山", "钱小河", "下一步打算", "第1页共2页"):
        assert expected in text
    assert text.index("一、基本情况") < text.index("赵大山") < text.index("下一步打算")
    assert pdf_pages(data) == 2
    from pypdf import PdfReader
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_the_docx_holds_the_same_text_with_the_gbt9704_page():
    word = WordDocument(io.BytesIO(render_docx(_document())))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "送庄镇脱贫攻坚工作简报" in text and "一季度工作情况" in text and "全镇共有脱贫户65户" in text
    assert [c.text for c in word.tables[0].rows[1].cells] == ["1", "赵大山"]
    section = word.sections[0]
    assert (section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm) == \
        pytest.approx((37, 35, 28, 26), abs=0.1)
    title = next(p for p in word.paragraphs if p.text == "一季度工作情况")
    assert title.runs[0].font.size.pt == 22
    body = next(p for p in word.paragraphs if p.text.startswith("全镇"))
    assert body.runs[0].font.size.pt == 16


def test_without_a_cjk_font_no_pdf_is_written():
    with pytest.raises(NoFontError):
        render_pdf(_document(), None)


def test_a_configured_font_is_taken_first(settings):
    settings.PRINT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    fonts = print_fonts()
    if fonts.sans.path != settings.PRINT_FONT:
        pytest.skip("fonts-wqy-zenhei not installed")
    assert fonts.sans.family.startswith("WenQuanYi")
