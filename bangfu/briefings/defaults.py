"""The default briefing template: its sections in order, each a heading and sentences with
placeholders (figures.py). A township's office edits its own copy (BriefingTemplate)."""

from __future__ import annotations

SECTIONS = (
    ("basic", "一、基本情况",
     "截至{end}，{area}共有农户{households.total}户{households.persons}人，其中脱贫户{households.category.registered_poor}户，"
     "监测对象{households.monitored}户。"),
    ("coverage", "二、走访覆盖和“两不愁三保障”",
     "{start}至{end}，帮扶责任人走访联系{casework.contacts}次，走访农户{casework.contacted}户，"
     "覆盖率{casework.coverage}；核查“两不愁三保障”{casework.assessed}户，全部达标{casework.four_met}户。"),
    ("needs", "三、困难诉求和帮扶措施",
     "本期新登记困难诉求{needs.reported}件，办结{needs.resolved}件，尚未办结{needs.open}件，均已落实帮扶责任人和帮扶措施。"),
    ("emergency", "四、应急处置",
     "开展每日核查{emergency.checks_done}户次，发现发热人员{emergency.fevers}人，登记返乡人员{emergency.returnees}人，"
     "均已按要求跟踪处置。"),
    ("employment", "五、就业帮扶",
     "外出务工{work.migrant}人，本期{work.returned}人返岗，发布就业岗位{work.postings_published}条。"),
    ("welfare_posts", "六、公益性岗位",
     "公益性岗位在岗{work.welfare_filled}人，本期发放岗位补贴{work.pay_issued}元。"),
    ("projects", "七、项目和资金",
     "项目库共有项目{projects.total}个，在建{projects.building}个，已移交{projects.handed_over}个；"
     "下达资金{projects.allocated}元，已支出{projects.paid}元，支出率{projects.spending_rate}。"),
    ("assets", "八、扶贫资产",
     "登记扶贫资产{assets.count}项，本期资产收益{assets.income}元。"),
    ("fund", "九、孝善基金",
     "成立孝善理事会{fund.councils}个，签订赡养协议{fund.agreements}份，本期收到赡养金{fund.contributions}元，"
     "向老人发放{fund.payouts}元。"),
    ("monitoring", "十、防返贫监测",
     "本期收到监测线索：农户自主申报{monitoring.leads.application}条、干部排查{monitoring.leads.cadre}条、"
     "部门筛查预警{monitoring.leads.department}条；新识别监测对象{monitoring.identified}户，风险消除{monitoring.cleared}户。"),
    ("problems", "十一、发现的问题",
     "一是超期未办结的困难诉求{needs.overdue}件；二是超期未核实的监测线索{monitoring.leads_overdue}条；"
     "三是超期的项目环节{projects.overdue}个。"),
    ("next_steps", "十二、下步打算",
     "针对发现的问题，逐户逐项明确责任人和完成时限，限期办结销号；持续开展走访排查，确保应纳尽纳、应帮尽帮。"),
)
HEADINGS = {key: heading for key, heading, _text in SECTIONS}
TEXTS = {key: text for key, _heading, text in SECTIONS}


def default_name(region) -> str:
    return f"{region.name}脱贫攻坚工作简报"


def default_unit(region) -> str:
    if region.name.endswith("街道"):
        return f"{region.name}办事处"
    return f"{region.name}人民政府"
