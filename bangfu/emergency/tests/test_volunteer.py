"""The village volunteer: the daily checks of their village (list, form, API) and nothing else. Every
page and API read of the project is swept as a volunteer, with real rows of their own village behind
each id, so a page that forgot its permission check fails here."""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.deliveries.models import Delivery
from bangfu.deliveries.services import delivery_create
from bangfu.emergency.models import CheckStatus, FeverAlert, HealthCheck
from bangfu.emergency.services import checks_generate, returnee_register
from bangfu.history.models import Change
from bangfu.needs.models import Need
from bangfu.needs.services import need_create
from conftest import VILLAGE_B, person_id

pytestmark = pytest.mark.django_db

# What a volunteer may open; everything else answers 403 (or 404, never 200). (The API: bangfu.api.tests.)
# A volunteer changes their own password too, and sends the daily check through the phone's outbox: its
# page (drawn from the phone's own storage, no server rows) and its service worker (a static script).
ALLOWED_PAGES = {"home", "emergencies:checks", "emergencies:check", "accounts:login", "accounts:logout",
                 "accounts:password", "set_language", "core:outbox", "core:service_worker"}


@pytest.fixture
def village(make_household, personas, emergency, rice, stocked):
    home = make_household(caseworker=personas["caseworker_a"])
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    returnee_register(emergency=emergency, household=home, name="返乡甲", id_number=person_id(), origin="武汉",
                      arrival=local_today(), transport="train", actor=personas["office"])
    delivery_create(household=home, kind="errand", description="买药", actor=personas["office"])
    need_create(household=home, category="medical", description="需要轮椅", client_id=uuid.uuid4(),
                actor=personas["caseworker_a"])
    checks_generate()
    return {"home": home, "other": other, "check": HealthCheck.objects.get(household=home),
            "other_check": HealthCheck.objects.get(household=other)}


def _page_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("api/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _page_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _ids_in_village(village, emergency) -> set[int]:
    """The ids of rows of the volunteer's own village, so a path's id points at something real."""
    home = village["home"]
    ids = {home.pk, emergency.pk, village["check"].pk, *home.members.values_list("pk", flat=True),
           *Need.objects.filter(household=home).values_list("pk", flat=True),
           *Delivery.objects.filter(household=home).values_list("pk", flat=True)}
    return ids


def _paths(name, pattern, ids):
    converters = pattern.pattern.converters
    if not converters:
        return [reverse(name)]
    out = []
    for value in sorted(ids):
        kwargs = {key: (value if type(conv).__name__ == "IntConverter" else
                        {"field": "id_number", "kind": "receive", "action": "resolve"}.get(key, "x"))
                  for key, conv in converters.items()}
        out.append(reverse(name, kwargs=kwargs))
    return out


def test_every_other_page_is_refused(client, village, volunteer_a, emergency):
    client.force_login(volunteer_a)
    ids = _ids_in_village(village, emergency)
    before = Change.objects.count()
    checked, leaks = 0, []
    for name, pattern in _page_patterns():
        if name in ALLOWED_PAGES:
            continue
        for path in _paths(name, pattern, ids):
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                if status not in (403, 404, 405):
                    leaks.append(f"{method.upper()} {path} ({name}): {status}")
                checked += 1
    assert not leaks, "\n".join(leaks)
    assert checked > 100
    assert Change.objects.count() == before  # nothing written, nothing revealed


def test_menu_holds_only_the_checks(client, village, volunteer_a):
    client.force_login(volunteer_a)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("emergencies:checks")
    html = response.content.decode()
    nav = html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert reverse("emergencies:checks") in nav
    for other in ("households:list", "needs:board", "deliveries:deliveries", "supplies:stock", "imports:upload",
                  "emergencies:list", "notify:inbox"):
        assert f'href="{reverse(other)}"' not in html, other
    # The board lists the village's households not yet checked, and only those.
    assert reverse("emergencies:check", args=[village["check"].pk]) in html
    assert reverse("emergencies:check", args=[village["other_check"].pk]) not in html


def test_the_volunteer_records_a_check_with_a_fever(client, village, volunteer_a, emergency):
    check = village["check"]
    head = village["home"].members.first()
    client.force_login(volunteer_a)
    url = reverse("emergencies:check", args=[check.pk])
    html = client.get(url).content.decode()
    assert head.name in html
    assert reverse("households:detail", args=[village["home"].pk]) not in html
    data = {"client_id": str(uuid.uuid4()), f"t_m{head.pk}": "38.4", "disinfection": "yes", "symptoms": "no",
            "supplies": "yes", "help": "no", "note": ""}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("emergencies:checks")
    check.refresh_from_db()
    assert check.status == CheckStatus.DONE and check.done_by == volunteer_a
    alert = FeverAlert.objects.get()
    assert alert.raised_by == volunteer_a and alert.need.urgency == "urgent"
    # The need is on the household's record, but the volunteer cannot open it.
    assert client.get(reverse("needs:detail", args=[alert.need_id])).status_code in (403, 404)
    assert Change.objects.filter(object_type="healthcheck", object_id=check.pk, actor=volunteer_a).exists()


def test_another_villages_check_is_404(client, village, volunteer_a):
    client.force_login(volunteer_a)
    url = reverse("emergencies:check", args=[village["other_check"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"client_id": "x"}).status_code == 404
    assert HealthCheck.objects.get(pk=village["other_check"].pk).status == CheckStatus.DUE


def test_the_volunteer_api_lists_and_records_checks_of_the_village(village, volunteer_a):
    api = ApiClient(volunteer_a)
    rows = api.get("/api/checks").json()
    assert [row["id"] for row in rows] == [village["check"].pk]
    head = village["home"].members.first()
    body = {"client_id": str(uuid.uuid4()), "temperatures": {f"m{head.pk}": 36.6}, "disinfection": True,
            "symptoms": False, "supplies_enough": True, "help_needed": False}
    assert api.post(f"/api/checks/{village['check'].pk}", body).status_code == 201
    assert api.post(f"/api/checks/{village['check'].pk}", body).status_code == 200
    assert api.post(f"/api/checks/{village['other_check'].pk}", {**body, "client_id": "y"}).status_code == 404
    # Writes elsewhere are refused, and write nothing.
    before = (Need.objects.count(), Delivery.objects.count())
    assert api.post("/api/needs", {"household": village["home"].pk, "category": "medical",
                                   "description": "x", "client_id": str(uuid.uuid4())}).status_code == 403
    assert api.post("/api/deliveries", {"household": village["home"].pk, "kind": "errand",
                                        "description": "x"}).status_code == 403
    assert (Need.objects.count(), Delivery.objects.count()) == before


def test_the_volunteer_may_not_reveal_or_edit(volunteer_a, village):
    from bangfu.core.permissions import PermissionDenied
    from bangfu.households.services import household_update, member_reveal

    member = village["home"].members.first()
    with pytest.raises(PermissionDenied):
        member_reveal(actor=volunteer_a, member=member, field="id_number")
    with pytest.raises(PermissionDenied):
        member_reveal(actor=volunteer_a, member=member, field="phone")
    with pytest.raises(PermissionDenied):
        household_update(actor=volunteer_a, household=village["home"], version=village["home"].version,
                         data={"address": "x"})
    assert not Change.objects.filter(actor=volunteer_a).exists()
