"""The demo's monitoring part: leads in every stage in both townships, and a drop with mixed rows."""

from __future__ import annotations

from django.test import TestCase

from bangfu.monitoring.models import DepartmentDrop, Lead, Stage
from bangfu.ops.demo import LANCUN, SONGZHUANG, demo_load


class MonitoringDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_both_townships_have_a_lead_in_every_stage(self):
        for township in (LANCUN.code, SONGZHUANG.code):
            stages = set(Lead.objects.filter(region_code__startswith=township).values_list("stage", flat=True))
            assert {Stage.LEAD, Stage.VERIFY, Stage.COMPARE, Stage.DELIBERATE, Stage.PUBLICIZE, Stage.REVIEW,
                    Stage.DECIDE, Stage.MONITORED, Stage.NOT_INCLUDED} <= stages, township

    def test_the_drop_has_mixed_rows(self):
        drop = DepartmentDrop.objects.get()
        results = [row["result"] for row in drop.rows]
        assert {"lead", "below", "already", "duplicate", "stranger"} <= set(results)

    def test_plans_a_clearance_done_and_one_refused_and_every_rule_flags(self):
        from bangfu.monitoring.models import Clearance, ClearanceStage, Flag, PlanMeasure
        from bangfu.monitoring.rules import RULES

        assert PlanMeasure.objects.exists()
        assert set(Clearance.objects.values_list("stage", flat=True)) == {ClearanceStage.CLEARED,
                                                                          ClearanceStage.REFUSED}
        assert {rule.code for rule in RULES} <= set(Flag.objects.values_list("rule", flat=True))
