"""The delivery and distribution models, moved here from the emergency and supplies apps with their
tables (emergency_delivery, supplies_distribution) and rows as they are: only the state changes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('households', '0002_member_name_pattern_index'),
        ('regions', '0001_initial'),
        ('supplies', '0004_distribution_to_deliveries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Distribution',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=100, verbose_name='title')),
                        ('quantity', models.PositiveIntegerField(verbose_name='quantity per household')),
                        ('villages', models.JSONField(blank=True, default=list, verbose_name='villages')),
                        ('categories', models.JSONField(blank=True, default=list, verbose_name='categories')),
                        ('supplies_short', models.BooleanField(default=False, verbose_name='only households short of supplies')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='planned at')),
                        ('client_id', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='planned by')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='distributions', to='supplies.item', verbose_name='item')),
                        ('township', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='township')),
                    ],
                    options={
                        'verbose_name': 'distribution',
                        'verbose_name_plural': 'distributions',
                        'db_table': 'supplies_distribution',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region_code', models.CharField(editable=False, max_length=15)),
                        ('kind', models.CharField(choices=[('goods', 'Goods delivered'), ('errand', 'Errand')], max_length=10, verbose_name='kind')),
                        ('source', models.CharField(blank=True, choices=[('stock', 'From stock'), ('bought', 'Bought for the household')], max_length=10, verbose_name='goods from')),
                        ('quantity', models.PositiveIntegerField(blank=True, null=True, verbose_name='quantity')),
                        ('description', models.CharField(blank=True, max_length=300, verbose_name='what to do or buy')),
                        ('cost', models.BigIntegerField(blank=True, null=True, verbose_name='cost')),
                        ('sequence', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                        ('priority', models.BooleanField(default=False, verbose_name='priority')),
                        ('priority_reasons', models.JSONField(blank=True, default=list)),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('assigned', 'Assigned'), ('delivered', 'Delivered'), ('failed', 'Not delivered')], default='requested', max_length=10, verbose_name='status')),
                        ('requested_at', models.DateTimeField(verbose_name='requested at')),
                        ('assigned_at', models.DateTimeField(blank=True, null=True, verbose_name='assigned at')),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done at')),
                        ('received_by', models.CharField(blank=True, max_length=50, verbose_name='received by')),
                        ('failure_reason', models.CharField(blank=True, max_length=200, verbose_name='reason it failed')),
                        ('client_id', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('caseworker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to=settings.AUTH_USER_MODEL, verbose_name='caseworker')),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='done by')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='households.household', verbose_name='household')),
                        ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='supplies.item', verbose_name='item')),
                        ('reopened_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('stock_move', models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='delivery', to='supplies.stockmove')),
                        ('distribution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='deliveries.distribution', verbose_name='distribution')),
                    ],
                    options={
                        'verbose_name': 'delivery',
                        'verbose_name_plural': 'deliveries',
                        'db_table': 'emergency_delivery',
                    },
                ),
                migrations.AddConstraint(
                    model_name='distribution',
                    constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='distribution_quantity_positive'),
                ),
                migrations.AddIndex(
                    model_name='delivery',
                    index=models.Index(fields=['region_code', 'status'], name='delivery_region_status'),
                ),
                migrations.AddIndex(
                    model_name='delivery',
                    index=models.Index(fields=['caseworker', 'status'], name='delivery_caseworker_status'),
                ),
                migrations.AddIndex(
                    model_name='delivery',
                    index=models.Index(fields=['distribution', 'sequence'], name='delivery_distribution'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'errand'), models.Q(('description', ''), _negated=True)), models.Q(('item__isnull', False), ('kind', 'goods'), ('quantity__gt', 0), ('source', 'stock')), models.Q(('kind', 'goods'), ('source', 'bought'), models.Q(('description', ''), _negated=True)), _connector='OR'), name='delivery_says_what'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'delivered'), _negated=True), ('done_at__isnull', False), _connector='OR'), name='delivery_delivered_has_time'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'failed'), _negated=True), models.Q(('failure_reason', ''), _negated=True), _connector='OR'), name='delivery_failed_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'assigned'), _negated=True), ('caseworker__isnull', False), _connector='OR'), name='delivery_assigned_has_caseworker'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.UniqueConstraint(condition=models.Q(('distribution__isnull', False)), fields=('distribution', 'household'), name='delivery_once_per_distribution'),
                ),
            ],
            database_operations=[],
        ),
    ]
