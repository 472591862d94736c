"""Two open campaigns of one area never share a name. Open campaigns that already do keep the
oldest's name; each later one gets a number after its name (电话随访暖心（2）), so caseworkers can
tell them apart, before the database's guard is added."""

from django.conf import settings
from django.db import migrations, models


def number_duplicates(apps, schema_editor):
    Campaign = apps.get_model("casework", "Campaign")
    seen: dict[tuple[str, str], int] = {}
    taken = set(Campaign.objects.filter(status="open").values_list("region_code", "name"))
    for campaign in Campaign.objects.filter(status="open").order_by("created_at", "id"):
        key = (campaign.region_code, campaign.name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            continue
        number = seen[key]
        while (campaign.region_code, f"{campaign.name[:95]}（{number}）") in taken:
            number += 1
        campaign.name = f"{campaign.name[:95]}（{number}）"
        taken.add((campaign.region_code, campaign.name))
        campaign.save(update_fields=["name"])


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0003_household_case_not_met_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(number_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('region_code', 'name'), name='campaign_name_once_open'),
        ),
    ]
