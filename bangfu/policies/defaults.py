"""The policies every county starts from (the administrator edits them; a county replaces or adds
its own). Amounts in fen per period; typical figures of a county in Shandong, to be set per county."""

from __future__ import annotations

from bangfu.households import choices

C = choices.Category
POOR_OR_MONITORED = [C.REGISTERED_POOR, C.MONITORED]
ASSISTED = [C.REGISTERED_POOR, C.MONITORED, C.MINIMUM_LIVING, C.EXTREME_HARDSHIP]
HIGH_SCHOOL_AND_VOCATIONAL = [
    s.value for s in choices.SchoolStatus
    if s.name.startswith(("HIGH_", "VOCATIONAL_", "HIGHER_VOCATIONAL_"))
]

DEFAULT_POLICIES: list[dict] = [
    {"key": "dibao", "name": "低保", "department": "县民政局", "categories": [C.MINIMUM_LIVING],
     "conditions": [], "amount": 50_000, "period": "monthly", "per": "member"},
    {"key": "tekun", "name": "特困供养", "department": "县民政局", "categories": [C.EXTREME_HARDSHIP],
     "conditions": [], "amount": 110_000, "period": "monthly", "per": "member"},
    # 残疾人两项补贴: the living subsidy for a disabled person of a household in difficulty, and the
    # nursing subsidy for a severely disabled person (残疾等级 一级 or 二级) whatever the household.
    {"key": "disability", "name": "困难残疾人生活补贴", "department": "县残联",
     "categories": [C.MINIMUM_LIVING, C.EXTREME_HARDSHIP, C.DISABLED, *POOR_OR_MONITORED],
     "conditions": [{"kind": "disabled"}], "amount": 12_000, "period": "monthly", "per": "member"},
    {"key": "disability_care", "name": "重度残疾人护理补贴", "department": "县残联", "categories": [],
     "conditions": [{"kind": "disability_grade", "values": choices.SEVERE_DISABILITY_GRADES}], "amount": 9_000,
     "period": "monthly", "per": "member"},
    {"key": "medical", "name": "医保参保资助", "department": "县医保局", "categories": ASSISTED,
     "conditions": [], "amount": 38_000, "period": "yearly", "per": "member"},
    {"key": "education", "name": "教育资助（雨露计划）", "department": "县教体局", "categories": POOR_OR_MONITORED,
     "conditions": [{"kind": "in_school", "values": HIGH_SCHOOL_AND_VOCATIONAL}], "amount": 300_000,
     "period": "yearly", "per": "member"},
    {"key": "housing", "name": "危房改造", "department": "县住建局", "categories": ASSISTED,
     "conditions": [{"kind": "dilapidated"}], "amount": 2_000_000, "period": "once", "per": "household"},
    {"key": "welfare_post", "name": "公益岗位补贴", "department": "县人社局", "categories": POOR_OR_MONITORED,
     "conditions": [{"kind": "welfare_post"}], "amount": 50_000, "period": "monthly", "per": "member"},
    {"key": "industry", "name": "产业奖补", "department": "县农业农村局", "categories": POOR_OR_MONITORED,
     "conditions": [{"kind": "business_income"}], "amount": 200_000, "period": "yearly", "per": "household"},
    {"key": "microcredit", "name": "小额信贷贴息", "department": "县乡村振兴局", "categories": POOR_OR_MONITORED,
     "conditions": [{"kind": "age_between", "min": 18, "max": 65},
                    {"kind": "labor_any", "values": [choices.LaborSkill.ORDINARY, choices.LaborSkill.SKILLED]}],
     "amount": 172_500, "period": "yearly", "per": "household"},
]
