"""The demo fund of 送庄镇: the source report's 4 councils, 51 agreements and 29,800 yuan."""

from __future__ import annotations

from django.db.models import Sum

from bangfu.core.codes import Level
from bangfu.fund import queries
from bangfu.fund.demo import fund_demo_load
from bangfu.fund.models import Agreement, Council, Entry, EntryKind
from bangfu.regions.models import Region

from .conftest import elder_data


def test_the_demo_fund_has_the_reports_figures(make_household, personas, regions):
    for suffix, name in (("002", "东山头村"), ("003", "梁凹村"), ("004", "负图村"), ("005", "朱仓村")):
        regions[f"410308103{suffix}"] = Region.objects.create(code=f"410308103{suffix}", name=name,
                                                              level=Level.VILLAGE, parent_id="410308103")
    for n, code in enumerate(["410308103001", "410308103002", "410308103003", "410308103004", "410308103005"]):
        for k in range(2 if n < 4 else 1):
            make_household(code, members=[elder_data(name=f"老人{n}{k}")])
    result = fund_demo_load(office_username="outsider_office")

    assert result == {"councils": 4, "agreements": 51, "contributions_fen": 29_800 * 100}
    assert Council.objects.count() == 4 and Agreement.objects.count() == 51
    contributed = Entry.objects.filter(kind=EntryKind.CONTRIBUTION).aggregate(s=Sum("amount"))["s"]
    assert contributed == 2_980_000
    assert Entry.objects.filter(kind=EntryKind.MATCH).aggregate(s=Sum("amount"))["s"] == 298_000
    for agreement in Agreement.objects.all():
        totals = queries.agreement_totals(agreement)
        assert agreement.balance == totals.balance >= 0
    arrears = queries.arrears(personas["outsider_office"])
    assert len(arrears) == 4 and {a.owed for a in arrears} == {20000}
