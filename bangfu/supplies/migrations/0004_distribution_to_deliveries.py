"""Distributions belong to the deliveries app (bangfu.deliveries), which makes one delivery per
household of each: the model leaves this app's state; its table (supplies_distribution) and rows
stay where they are, now the deliveries app's. After the delivery model left the emergency app,
whose state still pointed at this one."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('emergency', '0005_delivery_to_deliveries'),
        ('supplies', '0003_distribution_supplies_short'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Distribution')],
            database_operations=[],
        ),
    ]
