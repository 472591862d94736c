"""The demo's figures (reports) are built once its data are in, and hold the source reports' numbers."""

from __future__ import annotations

from django.test import TestCase

from bangfu.accounts.models import User
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.models import Household
from bangfu.ops.demo import LANCUN, demo_load
from bangfu.reports import queries


class DemoFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_the_townships_figures_are_there(self):
        office = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region_id=LANCUN.code).first()
        figures = queries.figures_for(user=office, region=LANCUN.code, kind="day", start=local_today())
        self.assertEqual(figures["households.category.registered_poor"], 65)
        self.assertEqual(figures["households.total"],
                         Household.objects.in_region(LANCUN.code).exclude(status="closed").count())
        self.assertGreater(figures["casework.contacts"] + figures["casework.assessed"], 0)
        self.assertTrue(figures.as_of)
