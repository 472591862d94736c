"""The other modules' printed sheets as A4 PDF documents: a welfare-post payroll's 发放表 and 考勤表
(work), and a project stage's 公示 (projects). Each is built from the same rows as the module's own
print page, read through the module's scope door."""

from __future__ import annotations

import datetime as dt

from bangfu.briefings.document import Document, Margins, Paragraph, Table, Title, cell
from bangfu.core.dates import local_today
from bangfu.projects import queries as project_queries
from bangfu.projects import services as project_services
from bangfu.projects.models import NOTICE_STAGES, Stage
from bangfu.work import welfare
from bangfu.work.welfare_models import Attendance, Mark, Payroll


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def pay_sheet_document(*, payroll: Payroll, actor) -> Document:
    """The 发放表: welfare.payroll_rows (ID numbers and accounts masked), a signature column, the total."""
    rows = welfare.payroll_rows(payroll=payroll, actor=actor)
    total = sum(r[-1] for r in rows)
    body = tuple(tuple(cell(v) for v in (*r[:-2], f"{r[-2]:g}", f"{r[-1]:,.2f}")) + ("",) for r in rows)
    month = payroll.month
    return Document(f"{payroll.region.name}公益性岗位发放表{month:%Y-%m}", landscape=True).add(
        Title(f"{payroll.region.name}公益性岗位补贴发放表（{month.year}年{month.month}月）"),
        Table((*welfare.BANK_HEADERS, "领取人签字"), body + (("合计", "", "", "", "", "", "", f"{total:,.2f}", ""),),
              widths=(1, 2, 4, 3, 3, 3, 2, 2, 3)),
        Paragraph(f"制表人：__________　　审核人：{payroll.approved_by or '__________'}　　"
                  f"{_date(local_today())}", indent=False, align="right"),
    )


def attendance_document(*, payroll: Payroll) -> Document:
    """The 考勤表: a row an appointee, a column a day of the month (√ present, × absent, 假 leave)."""
    lines = list(payroll.lines.select_related("appointment__post__region").order_by("region_code", "pk"))
    month = payroll.month
    days = [month + dt.timedelta(days=i) for i in range(31) if (month + dt.timedelta(days=i)).month == month.month]
    marks = {(a.appointment_id, a.day): a.mark for a in Attendance.objects.filter(
        appointment__in=[line.appointment_id for line in lines], day__gte=days[0], day__lte=days[-1])}
    short = {Mark.PRESENT: "√", Mark.ABSENT: "×", Mark.LEAVE: "假"}
    rows = tuple((line.name, *(short.get(marks.get((line.appointment_id, d)), "") for d in days), f"{line.points:g}")
                 for line in lines)
    return Document(f"{payroll.region.name}公益性岗位考勤表{month:%Y-%m}", landscape=True,
                    margins=Margins(top=12, bottom=14, left=10, right=10)).add(
        Title(f"{payroll.region.name}公益性岗位考勤表（{month.year}年{month.month}月）", "√ 出勤　× 缺勤　假 请假"),
        Table(("姓名", *(str(d.day) for d in days), "得分"), rows or (("—",) * (len(days) + 2),),
              widths=(3, *(1 for _ in days), 1.6)),
        Paragraph("村干部签字：__________", indent=False, align="right"),
    )


def project_notice_document(*, project, stage: str) -> Document:
    """A project stage's 公示 (application or self-check), as the projects app's print page has it."""
    notice = project.notices.filter(stage=stage).order_by("-start", "-pk").first()
    start = notice.start if notice else local_today()
    end = notice.end if notice else project_services.notice_end(
        start, project_services.deadlines_of(project.region_code)["notice_days"])
    days = (end - start + dt.timedelta(days=1)).days
    self_check = stage == Stage.SELF_CHECKED
    money = project_queries.money(project)
    budget = "；".join(f"{row.label} {_yuan(row.budget)}" for row in money if row.source)
    budget = f"{budget}；合计 {_yuan(money[-1].budget)}" if budget else f"合计 {_yuan(money[-1].budget)}"
    villages = "、".join(r.region.name for r in project.village_rows.select_related("region"))
    rows = [("项目名称", f"{project.name}（{project.get_type_display()}）"), ("申报单位", project.region.name),
            ("受益村", villages or "—"), ("建设内容和规模", project.description or "—"), ("资金（元）", budget),
            ("受益对象", f"{project.benefit_households}户{project.benefit_persons}人 {project.benefit_note}".strip()),
            ("民主议事", f"{project.meeting_date:%Y-%m-%d} · {project.meeting_attendance}人参加 · {project.meeting_decision}")]
    if self_check:
        rows.append(("施工单位", f"{project.contractor} · 开工 {project.started_on or ''}"))
    title = f"{project.name}{'竣工自验' if self_check else '申报'}情况公示"
    document = Document(title).add(
        Title(title),
        Table(("项目", "内容"), tuple(rows), widths=(1, 3)),
        Paragraph(f"公示时间：{_date(start)}至{_date(end)}（{days}天）。公示期间如有异议，请向村委会或乡镇政府反映。"),
    )
    if notice is not None and notice.place:
        document.add(Paragraph(f"公示地点：{notice.place}", indent=False))
    document.add(Paragraph(f"{project.region.name}　　{_date(start)}", indent=False, align="right"))
    return document


def notice_stage_valid(stage: str) -> bool:
    return stage in NOTICE_STAGES
