"""A generated briefing (Briefing) as a document: the 报头 (red name, 第X期, unit and date, a red
rule), the title, then each section as filled in, laid out per GB/T 9704 (A4; margins 37/35/28/26 mm;
title 22 pt, about 2号, in the serif face; body 16 pt, 3号)."""

from __future__ import annotations

from bangfu.briefings.document import GBT9704, Document, Heading, Masthead, Paragraph, Title
from bangfu.regions.models import Region


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def briefing_title(briefing) -> str:
    region = Region.objects.filter(code=briefing.region_code).values_list("name", flat=True).first() or ""
    return f"{region}工作情况（{_date(briefing.start)}至{_date(briefing.end)}）"


def briefing_document(briefing) -> Document:
    document = Document(str(briefing), margins=GBT9704, body_pt=16, title_pt=22, serif=True)
    document.add(Masthead(briefing.name, f"{briefing.year}年第{briefing.number}期", briefing.unit,
                          _date(briefing.issued_on)),
                 Title(briefing_title(briefing)))
    for heading, text in briefing.sections:
        document.add(Heading(heading), Paragraph(text))
    return document
