"""The items every township keeps during an epidemic, shared by all townships (the source reports'
口罩、消毒液; 大米、面粉、食用油、蔬菜)."""

from django.db import migrations

DEFAULTS = [
    ("口罩", "protective", "只"),
    ("消毒液", "protective", "瓶"),
    ("大米", "living", "kg"),
    ("面粉", "living", "kg"),
    ("食用油", "living", "桶"),
    ("蔬菜", "living", "kg"),
]


def add_defaults(apps, schema_editor):
    Item = apps.get_model("supplies", "Item")
    for name, kind, unit in DEFAULTS:
        Item.objects.get_or_create(township=None, name=name, defaults={"kind": kind, "unit": unit})


def remove_defaults(apps, schema_editor):
    Item = apps.get_model("supplies", "Item")
    Item.objects.filter(township=None, name__in=[name for name, _kind, _unit in DEFAULTS], stocks__isnull=True,
                        moves__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
