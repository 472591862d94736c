"""The daily-check board: counts per village or caseworker cover every check, the households not
checked yet come page by page (numbered pages, no row twice, none left out), one group at a time if
asked; the page costs the same number of queries whatever the size."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.emergency import queries
from bangfu.emergency.models import HealthCheck
from bangfu.emergency.services import check_submit, checks_generate
from conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(emergency, make_household, personas):
    homes = [make_household(caseworker=personas["caseworker_a"]) for _ in range(6)]
    homes.append(make_household())  # nobody responsible yet
    homes += [make_household(VILLAGE_B, caseworker=personas["caseworker_b"]) for _ in range(3)]
    checks_generate()
    done = HealthCheck.objects.get(household=homes[0])
    check_submit(check=done, actor=personas["caseworker_a"], client_id=str(uuid.uuid4()),
                 temperatures={f"m{homes[0].members.first().pk}": "36.5"}, disinfection=True, symptoms=False,
                 supplies_enough=True, help_needed=False)
    return homes


def test_counts_cover_everything_and_pages_cover_the_rest_once(many, personas):
    office, today = personas["office"], local_today()
    board = queries.check_board(office, today, per_page=4)
    assert [(g.key, g.due, g.done) for g in board.groups] == [(VILLAGE_A, 7, 1), (VILLAGE_B, 3, 0)]
    assert board.page.paginator.num_pages == 3 and board.page.paginator.count == 9
    seen = []
    for number in (1, 2, 3):
        seen += [c.household_id for c in queries.check_board(office, today, per_page=4, page=number).page]
    assert sorted(seen) == sorted(h.pk for h in many[1:]) and len(set(seen)) == 9
    assert queries.check_board(office, today, per_page=4, page=99).page.number == 3  # past the end: the last


def test_one_group_at_a_time(many, personas):
    board = queries.check_board(personas["office"], local_today(), group=VILLAGE_B)
    assert board.group.label == "北郝家庄村"
    assert {c.household.region_code for c in board.page} == {VILLAGE_B} and len(board.page) == 3


def test_by_caseworker_with_the_unassigned_apart(many, personas):
    board = queries.check_board(personas["office"], local_today(), by="caseworker")
    assert {g.key: (g.due, g.done) for g in board.groups} == {
        str(personas["caseworker_a"].pk): (6, 1), str(personas["caseworker_b"].pk): (3, 0), "none": (1, 0)}
    unassigned = queries.check_board(personas["office"], local_today(), by="caseworker", group="none")
    assert [c.household_id for c in unassigned.page] == [many[6].pk]


def test_the_page_numbers_its_pages(client, many, personas, monkeypatch):
    monkeypatch.setattr(queries, "BOARD_PAGE", 4)
    client.force_login(personas["office"])
    url = reverse("emergencies:checks")
    html = client.get(url).content.decode()
    assert "7" in html and 'rel="next"' in html and 'rel="prev"' not in html
    last = client.get(url, {"page": 3}).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert len(re.findall(r'href="/emergencies/checks/\d+/"', last)) == 1
    village_b = client.get(url, {"group": VILLAGE_B}).content.decode()
    assert len(re.findall(r'href="/emergencies/checks/\d+/"', village_b)) == 3 and 'rel="next"' not in village_b


def test_the_board_costs_the_same_queries_whatever_the_size(client, emergency, make_household, personas):
    make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    client.force_login(personas["office"])
    url = reverse("emergencies:checks")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"page": 1}).status_code == 200
    assert len(many) == len(few)


def test_scope_of_the_board(client, many, personas):
    client.force_login(personas["caseworker_b"])
    board = queries.check_board(personas["caseworker_b"], local_today())
    assert [g.key for g in board.groups] == [VILLAGE_B]
    client.force_login(personas["outsider_office"])
    html = client.get(reverse("emergencies:checks")).content.decode()
    assert "/emergencies/checks/" not in html.split("<main", 1)[1]


def test_the_groups_come_a_page_at_a_time(emergency, make_household, personas, regions):
    """A county has over a thousand caseworkers: their groups are paged, the furthest behind first,
    each group on one page only, the chosen group known even when it is on another page."""
    from conftest import _user

    workers = [_user(f"worker{n}", "caseworker", VILLAGE_A) for n in range(5)]
    for n, worker in enumerate(workers):
        for _ in range(n + 1):
            make_household(caseworker=worker)
    checks_generate()
    office, today = personas["office"], local_today()
    pages = [queries.check_board(office, today, by="caseworker", group_page=number, groups_per_page=2, page=None)
             for number in (1, 2, 3)]
    assert [len(p.groups) for p in pages] == [2, 2, 1]
    assert pages[0].group_page.paginator.count == 5
    assert [g.key for p in pages for g in p.groups] == [str(w.pk) for w in reversed(workers)]
    assert [g.due for p in pages for g in p.groups] == [5, 4, 3, 2, 1]
    far = queries.check_board(office, today, by="caseworker", group=str(workers[0].pk), groups_per_page=2)
    assert far.group.due == 1 and far.group.label == "worker0" and [c.household.caseworker_id for c in far.page] == [
        workers[0].pk]
    assert queries.check_board(office, today, by="caseworker", group="x", groups_per_page=2).group is None


def test_the_board_pages_its_groups_in_the_same_queries(client, emergency, make_household, personas, monkeypatch):
    from conftest import _user

    monkeypatch.setattr(queries, "GROUPS_PAGE", 2)
    client.force_login(personas["office"])
    url = reverse("emergencies:checks")
    make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    with CaptureQueriesContext(connection) as few:
        html = client.get(url, {"by": "caseworker"}).content.decode()
    assert "groups=2" not in html
    for n in range(6):
        make_household(caseworker=_user(f"worker{n}", "caseworker", VILLAGE_A))
    checks_generate()
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"by": "caseworker", "groups": 2}).content.decode()
    assert len(many) == len(few)
    assert html.count('class="board-group') == 2 and "groups=3" in html and "groups=1" in html
    assert "第 2 页，共 4 页 · 7 名帮扶责任人" in html
