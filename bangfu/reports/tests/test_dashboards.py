"""The dashboards: each stays within its reader's area, shows the figures the store holds, links a
number to its list only for a reader who may open that list, and hands a chart's rows out as Excel."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.core.dates import local_today
from bangfu.reports import dashboards, queries, services
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, member_data

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


@pytest.fixture
def figures(make_household):
    make_household(VILLAGE_A, members=[member_data(), member_data(relation="配偶", name="王芳", sex="F")])
    make_household(VILLAGE_A)
    make_household(VILLAGE_B)
    for _ in range(5):
        make_household(VILLAGE_OTHER)
    services.figures_rebuild()


def _page(user, **query):
    client = Client()
    client.force_login(user)
    return client.get(reverse("reports:dashboard"), query)


def _tile(board, key):
    return next(tile for group in board.groups for tile in group.tiles if tile.key == key)


def test_the_numbers_shown_are_the_stores(figures, personas):
    office = personas["office"]
    today = local_today()
    board = dashboards.dashboard_read(user=office)
    assert board.region.code == TOWNSHIP and board.kind == "month"
    stored = queries.figures_for(user=office, region=TOWNSHIP, kind="month", start=today)
    shown = {tile.key: tile.value for group in board.groups for tile in group.tiles}
    assert shown == dict(stored)
    assert _tile(board, "households.total").value == 3
    assert _tile(board, "households.total").previous == 0  # the month before: nothing yet
    assert [(row.name, row.cells[0]) for row in board.children] == [("戴家庄村", "2"), ("北郝家庄村", "1")]
    page = _page(office)
    assert page.status_code == 200
    html = page.content.decode()
    assert "数据截至" in html
    assert html.count('class="tile"') == len(shown)


def test_a_township_never_shows_another_townships_figures(figures, personas):
    office = personas["office"]
    assert _page(office, region="410308103").status_code == 404
    assert _page(personas["outsider_office"]).context["board"].groups[0].tiles[0].value == 5
    assert _tile(dashboards.dashboard_read(user=office), "households.total").value == 3


def test_a_county_sees_its_townships_and_drills_down(figures, personas):
    county = personas["county"]
    board = _page(county).context["board"]
    assert board.region.code == "370215"
    assert [row.code for row in board.children] == [TOWNSHIP]
    assert board.children[0].href.startswith(reverse("reports:dashboard") + "?region=" + TOWNSHIP)
    township = _page(county, region=TOWNSHIP).context["board"]
    assert [row.code for row in township.children] == [VILLAGE_A, VILLAGE_B]
    assert [code for code, _name in township.crumbs] == ["370215", TOWNSHIP]
    assert _page(county, region="410308").status_code == 404


def test_a_province_sees_its_province(figures, personas):
    board = _page(personas["province"]).context["board"]
    assert board.region.code == "37" and _tile(board, "households.total").value == 3
    assert [row.code for row in board.children] == ["3702"]
    assert _page(personas["province"], region="41").status_code == 404


def test_village_staff_have_no_dashboard(figures, personas):
    for name in ("village_a", "caseworker_a"):
        assert _page(personas[name]).status_code == 403


def test_links_lead_only_to_lists_the_reader_may_open(figures, personas):
    board = dashboards.dashboard_read(user=personas["office"])
    assert _tile(board, "households.total").href == reverse("households:list") + "?region=" + TOWNSHIP
    assert _tile(board, "needs.open").href == reverse("needs:board") + "?region=" + TOWNSHIP
    assert _tile(board, "casework.coverage").href == ""  # a rate: no list
    assert _tile(board, "casework.contacts").href == ""  # no list declared
    assert dashboards.list_link(personas["office"], "households:list", TOWNSHIP)
    # A list guarded by a permission the reader lacks is not linked.
    assert dashboards.list_link(personas["office"], "reports:dashboard", TOWNSHIP)
    assert not dashboards.list_link(personas["village_a"], "reports:dashboard", VILLAGE_A)


def test_the_excel_download_holds_the_charts_rows(figures, personas):
    office = personas["office"]
    board = dashboards.dashboard_read(user=office)
    chart = next(chart for chart in board.charts if chart.id == "children")
    client = Client()
    client.force_login(office)
    response = client.get(reverse("reports:dashboard_xlsx"), {"chart": "children", "period": "month"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == chart.rows()
    assert rows[1][:2] == ["戴家庄村", 2]
    assert client.get(reverse("reports:dashboard_xlsx"), {"chart": "nothing"}).status_code == 404
    trend = client.get(reverse("reports:dashboard_xlsx"), {"chart": "trend-households", "period": "day"})
    trend_rows = list(load_workbook(io.BytesIO(trend.content)).active.iter_rows(min_row=3, values_only=True))
    assert len(trend_rows) == dashboards.TREND_COUNT and trend_rows[-1][1] == 3
