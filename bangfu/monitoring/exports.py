"""The sheets monitoring writes: a village's public notice (no ID numbers, phones, bank accounts or
health details, by law) and a drop's outcomes back to its department."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from bangfu.imports.columns import neutralise
from bangfu.monitoring.models import Outcome

# The notice's columns: what the law allows to be posted in the village.
NOTICE_COLUMNS = ("序号", "户主姓名", "家庭人口", "村民小组/地址", "监测类型", "主要风险", "识别来源")
RESULT_LABELS = {"lead": "核实中", "open": "核实中", "duplicate": "已有线索", "below": "不符合",
                 "stranger": "未匹配", Outcome.INCLUDED: "纳入", Outcome.ALREADY: "已是监测对象",
                 Outcome.NOT_ELIGIBLE: "不符合", "already": "已是监测对象"}


def notice_rows(leads) -> list[list]:
    rows = []
    for i, lead in enumerate(leads, start=1):
        household = lead.household
        rows.append([i, household.head_name if household else lead.name,
                     household.members.count() if household else "", household.address if household else "",
                     lead.get_monitor_type_display() or "", "、".join(lead.risks), lead.get_source_display()])
    return rows


def notice_xlsx(village, leads) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([f"{village.name} 防返贫监测对象拟纳入名单公示"])
    sheet.append(list(NOTICE_COLUMNS))
    for row in notice_rows(leads):
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def outcomes_xlsx(drop, outcomes: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "办理结果"
    sheet.append(["原行号", "姓名", "身份证号后两位", "结果", "原因"])
    for entry in outcomes:
        sheet.append([entry["row"], neutralise(entry.get("name", "")), entry.get("id_tail", ""),
                      RESULT_LABELS.get(entry["result"], entry["result"]), neutralise(str(entry.get("reason", "")))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def notice_title(village) -> str:
    return _("Public notice: %(village)s") % {"village": village.name}
