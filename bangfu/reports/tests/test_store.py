"""The summary tables: a rebuild stores each village's figures and their sums above, the reads
stay within the reader's area, the refresh takes in what history says changed."""

from __future__ import annotations

import pytest
from django.http import Http404

from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.households.choices import Status
from bangfu.reports import queries, services
from bangfu.reports.models import Figure
from bangfu.reports.periods import period_after, period_end, period_start
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, member_data

pytestmark = pytest.mark.django_db


def test_periods_cover_the_days():
    day = local_today()
    for kind in ("day", "week", "month", "year"):
        start = period_start(kind, day)
        assert start <= day <= period_end(kind, start)
        assert period_start(kind, period_after(kind, start)) == period_after(kind, start)


def test_rebuild_stores_villages_and_their_sums(make_household, personas):
    make_household(VILLAGE_A, members=[member_data(), member_data(relation="配偶", name="王芳", sex="F")])
    make_household(VILLAGE_A, status=Status.LIFTED)
    make_household(VILLAGE_B)
    make_household(VILLAGE_OTHER)
    services.figures_rebuild()
    today = local_today()
    rows = Figure.objects.filter(kind="day", start=today, indicator="households.total")
    assert dict(rows.values_list("region", "value")) == {
        VILLAGE_A: 2, VILLAGE_B: 1, "370215010": 3, "370215": 3, "3702": 3, "37": 3,
        VILLAGE_OTHER: 1, "410308103": 1, "410308": 1, "4103": 1, "41": 1}
    admin = personas["admin"]
    figures = queries.figures_for(user=admin, region=VILLAGE_A, kind="month", start=today)
    assert figures["households.persons"] == 3
    assert figures["households.status.lifted"] == 1
    assert figures["casework.coverage"] == 0.0
    assert figures.computed_at is not None and len(figures.as_of) == 5
    children = queries.figures_by_child(user=admin, region="370215010", kind="week", start=today)
    assert [(c.code, c.figures["households.total"]) for c in children] == [(VILLAGE_A, 2), (VILLAGE_B, 1)]
    series = queries.figures_series(user=admin, region="37", key="households.total", kind="day", count=3)
    assert [value for _start, value in series.points] == [0, 0, 3]


def test_reads_stay_within_the_area(make_household, personas, volunteer_a):
    make_household(VILLAGE_A)
    services.figures_rebuild()
    today = local_today()
    office, county, village = personas["office"], personas["county"], personas["village_a"]
    assert queries.figures_for(user=office, region="370215010", kind="day", start=today)["households.total"] == 1
    assert queries.figures_for(user=county, region="370215", kind="day", start=today)["households.total"] == 1
    assert queries.figures_for(user=village, region=VILLAGE_A, kind="day", start=today)["households.total"] == 1
    for user, region in ((office, "370215"), (office, "410308103"), (village, VILLAGE_B), (village, "370215010"),
                         (personas["caseworker_a"], VILLAGE_B), (personas["outsider_office"], VILLAGE_A)):
        with pytest.raises(Http404):
            queries.figures_for(user=user, region=region, kind="day", start=today)
        with pytest.raises(Http404):
            queries.figures_by_child(user=user, region=region, kind="day", start=today)
    with pytest.raises(PermissionDenied):
        queries.figures_for(user=volunteer_a, region=VILLAGE_A, kind="day", start=today)


@pytest.mark.parametrize("wide", [True, False])
def test_refresh_takes_in_only_what_changed(make_household, personas, monkeypatch, wide):
    """Whether the dirty villages are read as code ranges or kept from a read of every village."""
    monkeypatch.setattr(services, "_wide", lambda villages, region: wide)
    make_household(VILLAGE_A)
    make_household(VILLAGE_OTHER)
    services.figures_rebuild()
    assert services.figures_refresh().villages == 0
    make_household(VILLAGE_B)
    done = services.figures_refresh()
    assert done.villages == 1
    admin = personas["admin"]
    today = local_today()
    assert queries.figures_for(user=admin, region="370215010", kind="year", start=today)["households.total"] == 2
    assert queries.figures_for(user=admin, region="41", kind="week", start=today)["households.total"] == 1
    assert services.figures_refresh().villages == 0


def test_a_fold_of_history_rows_is_not_a_change(make_household):
    from bangfu.history.services import area_changes_fold

    make_household(VILLAGE_A)
    make_household(VILLAGE_A)
    services.figures_rebuild()
    assert area_changes_fold() > 0
    assert services.figures_refresh().villages == 0


def test_the_api_answers_within_the_area(client, make_household, personas):
    make_household(VILLAGE_A)
    services.figures_rebuild()
    client.force_login(personas["office"])
    answer = client.get("/api/figures", {"region": "370215010", "period": "month",
                                         "indicator": ["households.total", "casework.coverage"]})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [(f["key"], f["value"]) for f in body["figures"]] == [("households.total", 1), ("casework.coverage", 0.0)]
    assert body["as_of"] and body["as_of_label"].startswith("数据截至")
    assert client.get("/api/figures", {"region": "370215"}).status_code == 404
    assert client.get("/api/figures", {"region": "410308103"}).status_code == 404
    assert client.get("/api/figures", {"region": "370215010", "indicator": "nope"}).status_code == 404


def test_the_command_rebuilds_a_region(make_household):
    from django.core.management import call_command

    make_household(VILLAGE_A)
    make_household(VILLAGE_B)
    call_command("rollups", "rebuild", "--region", VILLAGE_B)
    values = dict(Figure.objects.filter(kind="day", indicator="households.total").values_list("region", "value"))
    assert values == {VILLAGE_B: 1, "370215010": 1, "370215": 1, "3702": 1, "37": 1}
    call_command("rollups", "rebuild")
    values = dict(Figure.objects.filter(kind="day", indicator="households.total").values_list("region", "value"))
    assert values["370215010"] == 2
