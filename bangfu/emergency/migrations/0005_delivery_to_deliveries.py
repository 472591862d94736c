"""Deliveries became an app of their own (bangfu.deliveries): the model leaves this app's state; its
table (emergency_delivery) and rows stay where they are, now the deliveries app's."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('emergency', '0004_delivery_reopened_by'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Delivery')],
            database_operations=[],
        ),
    ]
