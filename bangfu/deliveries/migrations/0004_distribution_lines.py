"""A distribution takes several items (大米, 面粉, 食用油 in one plan): its item and quantity become its
first line, each existing plan keeping exactly what it planned; a household gets one delivery per
item of a plan."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def item_to_line(apps, schema_editor):
    Distribution = apps.get_model("deliveries", "Distribution")
    DistributionLine = apps.get_model("deliveries", "DistributionLine")
    DistributionLine.objects.bulk_create([
        DistributionLine(distribution_id=pk, item_id=item_id, quantity=quantity)
        for pk, item_id, quantity in Distribution.objects.order_by("pk").values_list("pk", "item_id", "quantity")
    ], batch_size=500)


def line_to_item(apps, schema_editor):
    Distribution = apps.get_model("deliveries", "Distribution")
    DistributionLine = apps.get_model("deliveries", "DistributionLine")
    for line in DistributionLine.objects.order_by("distribution_id", "-id"):
        Distribution.objects.filter(pk=line.distribution_id).update(item_id=line.item_id, quantity=line.quantity)


class Migration(migrations.Migration):

    dependencies = [
        ('deliveries', '0003_priority_groups'),
        ('supplies', '0004_distribution_to_deliveries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DistributionLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.PositiveIntegerField(verbose_name='quantity per household')),
                ('distribution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines',
                                                   to='deliveries.distribution')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                           related_name='distribution_lines', to='supplies.item',
                                           verbose_name='item')),
            ],
            options={
                'verbose_name': 'item of a distribution',
                'ordering': ['distribution_id', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='distributionline',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)),
                                              name='distribution_line_quantity_positive'),
        ),
        migrations.AddConstraint(
            model_name='distributionline',
            constraint=models.UniqueConstraint(fields=('distribution', 'item'), name='distribution_line_item_once'),
        ),
        migrations.RunPython(item_to_line, line_to_item),
        migrations.RemoveConstraint(
            model_name='delivery',
            name='delivery_once_per_distribution',
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.UniqueConstraint(condition=models.Q(('distribution__isnull', False)),
                                               fields=('distribution', 'household', 'item'),
                                               name='delivery_once_per_distribution_item'),
        ),
        migrations.RemoveConstraint(
            model_name='distribution',
            name='distribution_quantity_positive',
        ),
        migrations.RemoveField(
            model_name='distribution',
            name='item',
        ),
        migrations.RemoveField(
            model_name='distribution',
            name='quantity',
        ),
    ]
