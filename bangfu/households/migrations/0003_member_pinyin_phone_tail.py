"""Search by full pinyin and by a phone's last 4 digits: each member's name in pinyin, written
from now on with the name and filled here for the members already stored; indexes on the pinyin
and on the stored phone tails (of members and of households)."""

from django.db import migrations, models

BATCH = 2000


def fill_pinyin(apps, schema_editor):
    from bangfu.core.text import pinyin

    Member = apps.get_model("households", "Member")
    last = 0
    while True:
        batch = list(Member.objects.filter(pk__gt=last).order_by("pk").only("pk", "name")[:BATCH])
        if not batch:
            return
        for member in batch:
            member.name_pinyin = pinyin(member.name)
        Member.objects.bulk_update(batch, ["name_pinyin"], batch_size=BATCH)
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0002_member_name_pattern_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="name_pinyin",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill_pinyin, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["phone_tail"], name="household_phone_tail"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["name_pinyin"], name="member_pinyin"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["phone_tail"], name="member_phone_tail"),
        ),
    ]
