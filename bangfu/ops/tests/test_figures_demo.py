"""The demo's figures (reports) are built once its data are in, and hold the source reports' numbers."""

from __future__ import annotations

import datetime as dt

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

    def test_the_years_briefings_carry_the_source_reports_figures(self):
        """A briefing of the demo's year for each township: 蓝村街道's 65 registered-poor households,
        7 labourers back at work and 4 projects; 送庄镇's 4 councils, 51 agreements and 29,800 yuan of
        support money; and 送庄镇's briefing of February and March, its 236 postings (230 and more
        pushed; the year adds the postings open now)."""
        from bangfu.briefings.services import briefing_generate
        from bangfu.ops.demo import SONGZHUANG
        from bangfu.work.posting_demo import report_year

        today = local_today()
        start = today.replace(month=1, day=1)
        texts = {}
        for plan in (LANCUN, SONGZHUANG):
            office = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region_id=plan.code).first()
            briefing = briefing_generate(actor=office, region_code=plan.code, start=start,
                                         end=today.replace(month=12, day=31))
            texts[plan.code] = "".join(text for _heading, text in briefing.sections)
        lancun, songzhuang = texts[LANCUN.code], texts[SONGZHUANG.code]
        self.assertIn("其中脱贫户65户", lancun)
        self.assertIn("本期7人返岗", lancun)
        self.assertIn("项目库共有项目4个", lancun)
        self.assertIn("成立孝善理事会4个，签订赡养协议51份，本期收到赡养金29,800元", songzhuang)
        office = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region_id=SONGZHUANG.code).first()
        year = report_year(today)
        spring = briefing_generate(actor=office, region_code=SONGZHUANG.code,
                                   start=dt.date(year, 2, 1), end=dt.date(year, 3, 31))
        self.assertIn("发布就业岗位236条", "".join(text for _heading, text in spring.sections))
