"""优先 means 特困供养, 留守老人 and 重残 (bangfu.deliveries.services.PRIORITY_CATEGORIES), no longer every
special group: the open deliveries take the new reasons in place of "special_group" (other apps'
reasons, such as quarantine, stay). Delivered and failed ones keep what they were handed out with."""

from django.db import migrations

OPEN = ("requested", "assigned")
REASONS = {"extreme_hardship": "extreme_hardship", "elderly_alone": "elderly_alone"}
DISABLED, UNABLE = "残疾", ("丧失劳动力", "无劳动力")


def regroup(apps, schema_editor):
    Delivery = apps.get_model("deliveries", "Delivery")
    HouseholdCategory = apps.get_model("households", "HouseholdCategory")
    Member = apps.get_model("households", "Member")
    rows = list(Delivery.objects.filter(status__in=OPEN, priority_reasons__isnull=False)
                .only("pk", "household_id", "priority_reasons", "priority"))
    rows = [row for row in rows if "special_group" in (row.priority_reasons or [])]
    if not rows:
        return
    ids = {row.household_id for row in rows}
    categories: dict[int, set[str]] = {}
    for household_id, category in HouseholdCategory.objects.filter(household_id__in=ids).values_list(
            "household_id", "category"):
        categories.setdefault(household_id, set()).add(category)
    severe = {household_id for household_id, health in Member.objects.filter(
        household_id__in=ids, labor_skill__in=UNABLE).values_list("household_id", "health")
        if DISABLED in (health or [])}
    for row in rows:
        reasons = [reason for category, reason in REASONS.items() if category in categories.get(row.household_id, ())]
        if row.household_id in severe:
            reasons.append("severe_disability")
        reasons += [reason for reason in row.priority_reasons if reason != "special_group"]
        row.priority_reasons, row.priority = reasons, bool(reasons)
    Delivery.objects.bulk_update(rows, ["priority_reasons", "priority"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("deliveries", "0002_delivery_need"),
        ("households", "0001_initial"),
    ]

    operations = [migrations.RunPython(regroup, migrations.RunPython.noop)]
