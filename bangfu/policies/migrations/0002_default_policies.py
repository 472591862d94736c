"""The default policies every county starts from (bangfu.policies.defaults, as it stood here)."""

from django.db import migrations

DEFAULTS = [
    ("dibao", "低保", "县民政局", ["minimum_living"], [], 50_000, "monthly", "member"),
    ("tekun", "特困供养", "县民政局", ["extreme_hardship"], [], 110_000, "monthly", "member"),
    ("disability", "残疾人两项补贴", "县残联",
     ["minimum_living", "extreme_hardship", "disabled", "registered_poor", "monitored"], [{"kind": "disabled"}],
     12_000, "monthly", "member"),
    ("medical", "医保参保资助", "县医保局", ["registered_poor", "monitored", "minimum_living", "extreme_hardship"],
     [], 38_000, "yearly", "member"),
    ("education", "教育资助（雨露计划）", "县教体局", ["registered_poor", "monitored"],
     [{"kind": "in_school", "values": ["普通高中一年级", "普通高中二年级", "普通高中三年级", "中职一年级", "中职二年级",
                                        "中职三年级", "高职高专一年级", "高职高专二年级", "高职高专三年级"]}],
     300_000, "yearly", "member"),
    ("housing", "危房改造", "县住建局", ["registered_poor", "monitored", "minimum_living", "extreme_hardship"],
     [{"kind": "dilapidated"}], 2_000_000, "once", "household"),
    ("welfare_post", "公益岗位补贴", "县人社局", ["registered_poor", "monitored"], [{"kind": "welfare_post"}],
     50_000, "monthly", "member"),
    ("industry", "产业奖补", "县农业农村局", ["registered_poor", "monitored"], [{"kind": "business_income"}],
     200_000, "yearly", "household"),
    ("microcredit", "小额信贷贴息", "县乡村振兴局", ["registered_poor", "monitored"],
     [{"kind": "age_between", "min": 18, "max": 65}, {"kind": "labor_any", "values": ["普通劳动力", "技能劳动力"]}],
     172_500, "yearly", "household"),
]


def add_defaults(apps, schema_editor):
    Policy = apps.get_model("policies", "Policy")
    for key, name, department, categories, conditions, amount, period, per in DEFAULTS:
        Policy.objects.get_or_create(county_code="", key=key, defaults={
            "name": name, "department": department, "categories": categories, "conditions": conditions,
            "amount": amount, "period": period, "per": per})


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
