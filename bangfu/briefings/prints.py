"""The A4 prints as documents (document.py): 一户一档 (one household's file, or a village's files in
one PDF) and a village's 公示 list. The forms' words are the official Chinese ones, as on the sheets
(monitoring.exports does the same for the notice's columns).

A household's file is read by staff only and shows ID numbers masked (households.identity.mask_id)
and years of birth; the 公示 is posted in the village and shows none of ID numbers, phones, bank
accounts or health details: its rows are monitoring.exports.notice_rows, the same as the sheet's."""

from __future__ import annotations

import datetime as dt

from bangfu.briefings.document import Document, Heading, PageBreak, Paragraph, Table, Title, cell
from bangfu.core.dates import local_today
from bangfu.households.identity import mask_id
from bangfu.households.models import Household
from bangfu.monitoring.exports import NOTICE_COLUMNS

CONTACTS_SHOWN = 20
NOTE_CHARS = 60


def _yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{fen // 100:,}" if fen % 100 == 0 else f"{fen / 100:,.2f}"


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local_today(value)
    return value.isoformat()


def _short(text: str, limit: int = NOTE_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _person(user) -> str:
    if user is None:
        return ""
    return user.display_name or user.username


def household_file_blocks(household: Household, *, policies: dict[str, str]) -> list:
    """One household's file (一户一档), from a household read with queries._files."""
    members = sorted(household.members.all(), key=lambda m: (not m.is_head, m.relation != "配偶", m.birth_date))
    categories = "、".join(str(c.get_category_display()) for c in household.categories.all())
    blocks: list = [
        Title(f"{household.head_name or household.number} 户 · 一户一档",
              f"{household.region.name} · 户编号 {household.number}"),
        Heading("一、基本情况"),
        Table(("项目", "内容", "项目", "内容"), (
            ("户主", cell(household.head_name), "家庭人口", f"{len(members)} 人"),
            ("所在村", cell(household.region.name), "住址", cell(household.address)),
            ("户类别", cell(categories), "状态", cell(household.get_status_display())),
            ("脱贫属性", cell(household.get_poverty_attribute_display()),
             "监测类型", cell(household.get_monitor_type_display())),
            ("主要致贫/返贫原因", cell(household.get_main_cause_display()), "帮扶责任人",
             cell(_person(household.caseworker))),
        ), widths=(2, 3, 2, 3)),
        Heading("二、家庭成员"),
        Table(("姓名", "与户主关系", "性别", "出生年份", "证件号码", "文化程度", "务工状况"), tuple(
            (m.name, cell(m.get_relation_display()), cell(m.get_sex_display()), cell(m.birth_shown),
             cell(mask_id(m.id_number)), cell(m.get_education_display()), cell(m.get_work_status_display()))
            for m in members) or (("—",) * 7,), widths=(2, 2, 1, 2, 4, 2, 2)),
        Heading("三、帮扶责任人"),
        Table(("帮扶责任人", "开始", "结束"), tuple(
            (_person(a.caseworker), _day(a.start), _day(a.end) or "至今") for a in household.assignments.all())
            or (("—", "—", "—"),), widths=(3, 2, 2)),
    ]
    needs = list(household.needs.all())
    rows = []
    for need in needs:
        measures = "；".join(f"{m.plan}（{_person(m.owner)}，{_day(m.due_on)}前）" for m in need.measures.all())
        rows.append((_day(need.recorded_at), cell(need.get_category_display()), _short(need.description),
                     cell(need.get_status_display()), cell(measures)))
    blocks += [Heading("四、困难诉求与帮扶措施"),
               Table(("登记日期", "类别", "诉求", "状态", "帮扶措施"), tuple(rows) or (("—",) * 5,),
                     widths=(2, 2, 4, 1.5, 4))]
    receipts = list(household.policy_receipts.all())
    blocks += [Heading("五、享受政策"),
               Table(("政策", "享受人", "期间", "金额（元）", "发放日期"), tuple(
                   (policies.get(r.policy_key, r.policy_key), r.member.name if r.member else "全户", r.period,
                    _yuan(r.amount), _day(r.paid_on)) for r in receipts) or (("—",) * 5,),
                   widths=(4, 2, 1.5, 2, 2))]
    contacts = list(household.contacts.all())[:CONTACTS_SHOWN]
    blocks += [Heading("六、走访联系记录"),
               Table(("时间", "方式", "联系人", "是否联系上", "情况"), tuple(
                   (_day(c.at), cell(c.get_channel_display()), _person(c.caseworker), "是" if c.reached else "否",
                    _short(c.notes) or "—") for c in contacts) or (("—",) * 5,),
                   widths=(2, 1.5, 2, 1.5, 6)),
               Paragraph(f"打印日期：{local_today().isoformat()}　　帮扶责任人签字：__________　　户主签字：__________",
                         indent=False)]
    return blocks


def household_files_document(households, *, policies_of, progress=None) -> Document:
    """The files of many households in one document, one household from a new page.
    `policies_of(region_code)` gives policy names; `progress(done, total)` is told as each is added."""
    document = Document("一户一档")
    households = list(households)
    for i, household in enumerate(households):
        if i:
            document.add(PageBreak())
        document.add(*household_file_blocks(household, policies=policies_of(household.region_code)))
        if progress is not None:
            progress(i + 1, len(households))
    if not households:
        document.add(Title("一户一档"), Paragraph("没有可打印的农户。", indent=False))
    return document


def notice_document(village, rows: list[list]) -> Document:
    """A village's 公示 list: the rows of monitoring.exports.notice_rows, nothing more."""
    return Document(f"{village.name} 防返贫监测对象拟纳入名单公示").add(
        Title(f"{village.name} 防返贫监测对象拟纳入名单公示"),
        Paragraph("以下农户拟纳入防止返贫监测对象，公示期间如有异议，请向村委会或镇政府反映。"),
        Table(NOTICE_COLUMNS, tuple(tuple(cell(v) for v in row) for row in rows) or (("—",) * len(NOTICE_COLUMNS),),
              widths=(1, 2, 1.5, 3, 2, 3, 2)),
        Paragraph(f"公示期：______ 至 ______　　{village.name}　　{local_today().isoformat()}", indent=False,
                  align="right"),
    )
