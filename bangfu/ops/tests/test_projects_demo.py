"""The demo's project library: 蓝村街道's four infrastructure projects at different stages, with payments."""

from __future__ import annotations

from django.test import TestCase

from bangfu.ops.demo import LANCUN, demo_load
from bangfu.projects.models import LedgerKind, Project, Stage
from bangfu.projects.queries import money
from bangfu.projects.services import projects_escalate


class ProjectsDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_four_infrastructure_projects_at_different_stages(self):
        projects = list(Project.objects.filter(region_code__startswith=LANCUN.code))
        assert len(projects) == 4 and {p.type for p in projects} == {"infrastructure"}
        assert {p.stage for p in projects} == {Stage.VILLAGE_NOTICE, Stage.COUNTY_APPROVED, Stage.BUILDING,
                                               Stage.HANDED_OVER}

    def test_payments_within_the_allocations_and_the_handed_over_project_fully_paid(self):
        paid = Project.objects.filter(ledger__kind=LedgerKind.PAYMENT).distinct()
        assert paid.count() == 2
        for project in paid:
            assert all(row.paid <= row.allocated for row in money(project))
        done = Project.objects.get(stage=Stage.HANDED_OVER)
        assert money(done)[-1].rate == 100.0 and done.handover.count() == 1

    def test_loading_again_changes_nothing_and_escalation_finds_nothing_yet(self):
        from bangfu.projects.demo import demo_projects

        demo_projects()
        assert Project.objects.count() == 4
        assert projects_escalate() == 0
