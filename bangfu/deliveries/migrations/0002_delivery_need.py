"""A delivery may answer a need: delivered, it resolves the need."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deliveries', '0001_initial'),
        ('needs', '0002_need_contact'),
    ]

    operations = [
        migrations.AddField(
            model_name='delivery',
            name='need',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='needs.need', verbose_name='need'),
        ),
    ]
