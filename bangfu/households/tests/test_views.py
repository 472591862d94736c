"""The household pages: contract per kind of view (anonymous, out of scope, no permission, in scope),
search and filters, reveal, optimistic locking, and the list's query count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.core import requestid
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.models import Assignment, EditConflict, Household, Member
from conftest import VILLAGE_A, VILLAGE_B, member_data


@dataclass
class World:
    a: Household  # in 戴家庄村, caseworker_a's
    b: Household  # in 北郝家庄村, caseworker_b's
    head_a: Member
    spouse_a: Member
    head_b: Member


HEAD_PHONE = "13812345678"
SPOUSE_PHONE = "13987654321"


@pytest.fixture
def world(make_household, personas) -> World:
    a = make_household(
        VILLAGE_A, caseworker=personas["caseworker_a"], phone=HEAD_PHONE,
        categories=[choices.Category.REGISTERED_POOR, choices.Category.DISABLED],
        members=[
            member_data(name="逄珍波", sex="M"),
            member_data(name="王秀英", relation=choices.Relation.SPOUSE, sex="F", phone=SPOUSE_PHONE),
        ],
    )
    b = make_household(
        VILLAGE_B, caseworker=personas["caseworker_b"], phone="13700001111", status=choices.Status.LIFTED,
        categories=[choices.Category.MINIMUM_LIVING], members=[member_data(name="郝建国", sex="M")],
    )
    return World(
        a=a, b=b,
        head_a=a.members.get(relation=choices.Relation.HEAD),
        spouse_a=a.members.get(relation=choices.Relation.SPOUSE),
        head_b=b.members.get(),
    )


def login(client, user):
    client.force_login(user)
    return client


def snapshot():
    """Everything a refused request must leave as it was."""
    return (
        Change.objects.count(),
        list(Household.objects.order_by("pk").values_list("pk", "version", "address", "caseworker_id")),
        list(Member.objects.order_by("pk").values_list("pk", "version", "relation", "name")),
        Assignment.objects.count(),
    )


# --- the contract, per kind of view ------------------------------------------------------------

# (name, url args from the world, method, the role allowed); the POST bodies are valid, so that a
# refused request is refused for who asks, not for what is asked.
HOUSEHOLD_PAGES = [
    ("households:detail", "GET", "caseworker_a"),
    ("households:edit", "GET", "caseworker_a"),
    ("households:member_add", "GET", "caseworker_a"),
    ("households:assign", "GET", "village_a"),
    ("households:delete", "GET", "office"),
]
MEMBER_PAGES = [
    ("households:member_edit", "GET", "caseworker_a"),
    ("households:member_remove", "GET", "caseworker_a"),
    ("households:member_make_head", "GET", "caseworker_a"),
]


def household_url(name, world):
    return reverse(name, args=[world.a.pk])


def member_url(name, world):
    return reverse(name, args=[world.spouse_a.pk])


def reveal_urls(world):
    return [
        reverse("households:reveal_phone", args=[world.a.pk]),
        reverse("households:member_reveal", args=[world.spouse_a.pk, "phone"]),
        reverse("households:member_reveal", args=[world.head_a.pk, "id_number"]),
    ]


def write_posts(world):
    """A valid POST for every view that writes, against household a."""
    today = dt.date.today().isoformat()
    return [
        (reverse("households:edit", args=[world.a.pk]), edit_body(world.a, address="新地址")),
        (reverse("households:delete", args=[world.a.pk]), {"reason": "重复登记"}),
        (reverse("households:assign", args=[world.a.pk]), {"caseworker": "", "start": today}),
        (reverse("households:member_add", args=[world.a.pk]), member_body(name="逄小明", relation="之子")),
        (reverse("households:member_edit", args=[world.spouse_a.pk]),
         member_body(name="王秀兰", relation="配偶", sex="F", version=world.spouse_a.version, id_number="")),
        (reverse("households:member_remove", args=[world.spouse_a.pk]), {"reason": ""}),
        (reverse("households:member_make_head", args=[world.spouse_a.pk]), {"former_head_relation": "配偶"}),
        (reverse("households:assign_bulk"), {"household": [world.a.pk], "caseworker": "", "start": today}),
    ]


def edit_body(household, **overrides):
    body = {
        "region": household.region_code, "number": household.number, "address": household.address,
        "phone": "", "status": household.status, "categories": household.category_values(),
        "monitor_type": household.monitor_type, "identification_standard": household.identification_standard,
        "poverty_attribute": household.poverty_attribute, "main_cause": household.main_cause,
        "other_causes": household.other_causes, "risks": household.risks, "risk_elimination_method": "",
        "risk_eliminated_on": "", "farmland_mu": "", "road_type": "", "housing_area": "",
        "dilapidated": "unknown", "dilapidation_level": "", "safe_water": "true", "electricity": "true",
        "sanitary_toilet": "unknown", "fuel_type": "", "wage_income": "", "business_income": "",
        "property_income": "", "transfer_income": "", "business_expense": "", "version": household.version,
    }
    body.update(overrides)
    return body


def create_body(*, region=VILLAGE_A, head=None, **overrides):
    """A valid POST for the create page: the household's fields and its head's (prefix "head-")."""
    body = {
        "region": region, "number": "", "address": "", "phone": "", "status": "active",
        "categories": ["registered_poor"], "monitor_type": "", "identification_standard": "国家标准",
        "poverty_attribute": "一般脱贫户", "main_cause": "因病", "risk_elimination_method": "",
        "risk_eliminated_on": "", "farmland_mu": "", "road_type": "", "housing_area": "", "dilapidated": "unknown",
        "dilapidation_level": "", "safe_water": "true", "electricity": "true", "sanitary_toilet": "unknown",
        "fuel_type": "", "wage_income": "", "business_income": "", "property_income": "", "transfer_income": "",
        "business_expense": "",
    }
    body.update(overrides)
    body.update(member_body(prefix="head-", **{"name": "新户主", "relation": "", **(head or {})}))
    return body


def member_body(*, prefix="", sex="M", **overrides):
    from conftest import person_id

    body = {
        "name": "逄小明", "relation": "之子", "id_type": "居民身份证", "id_number": person_id(sex=sex),
        "sex": "", "birth_date": "", "ethnicity": "汉族", "phone": "", "education": "初中", "school_status": "",
        "labor_skill": "普通劳动力", "work_status": "", "work_months": "", "work_place": "", "employer": "",
        "political_status": "群众", "pension_insured": "unknown", "medical_insured": "true",
        "critical_illness_insured": "unknown", "disability_category": "", "welfare_post_type": "",
        "welfare_post_months": "", "health": ["健康"],
    }
    body.update(overrides)
    return {f"{prefix}{key}": value for key, value in body.items()}


ALL_GET = [name for name, *_ in HOUSEHOLD_PAGES] + [name for name, *_ in MEMBER_PAGES]


def all_get_urls(world):
    return [household_url(n, world) for n, *_ in HOUSEHOLD_PAGES] + [member_url(n, world) for n, *_ in MEMBER_PAGES]


def test_anonymous_is_sent_to_login(client, world):
    urls = [reverse("households:list"), reverse("households:create"), reverse("households:assign_bulk"),
            *all_get_urls(world)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    before = snapshot()
    for url in reveal_urls(world):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for url, body in write_posts(world):
        assert client.post(url, body).status_code == 302, url
    assert snapshot() == before


def test_out_of_scope_is_404_and_writes_nothing(client, world, personas):
    login(client, personas["caseworker_b"])
    for url in all_get_urls(world):
        assert client.get(url).status_code == 404, url
    before = snapshot()
    for url in reveal_urls(world):
        assert client.post(url).status_code == 404, url
    for url, body in write_posts(world):
        # caseworker_b may change households (their own), so these are refused for scope: 404.
        # Assigning is refused for the role first (403) - either way nothing is written.
        assert client.post(url, body).status_code in (403, 404), url
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider_office", "caseworker_b"])
def test_out_of_scope_pages_say_not_found(client, world, personas, persona):
    login(client, personas[persona])
    response = client.get(reverse("households:detail", args=[world.a.pk]))
    assert response.status_code == 404
    assert world.a.head_name not in response.content.decode()


def test_out_of_scope_office_cannot_write(client, world, personas):
    login(client, personas["outsider_office"])
    before = snapshot()
    for url, body in write_posts(world):
        assert client.post(url, body).status_code == 404, url
    for url in reveal_urls(world):
        assert client.post(url).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize(("persona", "url_name", "method"), [
    ("caseworker_a", "households:delete", "GET"),
    ("caseworker_a", "households:delete", "POST"),
    ("caseworker_a", "households:assign", "GET"),
    ("caseworker_a", "households:assign", "POST"),
    ("caseworker_a", "households:create", "GET"),
    ("caseworker_a", "households:create", "POST"),
    ("county", "households:edit", "GET"),
    ("county", "households:edit", "POST"),
    ("county", "households:member_add", "POST"),
    ("village_a", "households:delete", "POST"),
])
def test_no_permission_is_403_and_writes_nothing(client, world, personas, persona, url_name, method):
    login(client, personas[persona])
    url = reverse(url_name) if url_name == "households:create" else reverse(url_name, args=[world.a.pk])
    body = {
        "households:delete": {"reason": "x"},
        "households:assign": {"caseworker": personas["caseworker_a"].pk, "start": dt.date.today().isoformat()},
        "households:edit": edit_body(world.a, address="改了"),
        "households:member_add": member_body(),
        "households:create": create_body(address="新户"),
    }[url_name]
    before = snapshot()
    response = client.get(url) if method == "GET" else client.post(url, body)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("persona", "url_kind"), [
    ("caseworker_a", "id_number"),
    ("village_a", "id_number"),
    ("county", "id_number"),
    ("county", "phone"),
    ("county", "household_phone"),
])
def test_reveal_without_permission_is_403_and_records_nothing(client, world, personas, persona, url_kind):
    login(client, personas[persona])
    url = (reverse("households:reveal_phone", args=[world.a.pk]) if url_kind == "household_phone"
           else reverse("households:member_reveal", args=[world.spouse_a.pk, url_kind]))
    before = snapshot()
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert snapshot() == before
    assert SPOUSE_PHONE not in response.content.decode()


def test_member_pages_of_other_households_are_404_for_members_of_mine(client, world, personas):
    login(client, personas["caseworker_a"])
    for name, *_ in MEMBER_PAGES:
        assert client.get(reverse(name, args=[world.head_b.pk])).status_code == 404


def test_reveal_needs_post(client, world, personas):
    login(client, personas["office"])
    before = snapshot()
    assert client.get(reverse("households:reveal_phone", args=[world.a.pk])).status_code == 405
    assert client.get(reverse("households:member_reveal", args=[world.head_a.pk, "id_number"])).status_code == 405
    assert snapshot() == before


def test_unknown_reveal_field_is_404(client, world, personas):
    login(client, personas["office"])
    assert client.post(reverse("households:member_reveal", args=[world.head_a.pk, "name"])).status_code == 404


@pytest.mark.parametrize("persona", ["caseworker_a", "village_a", "office", "county", "admin"])
def test_in_scope_pages_render(client, world, personas, persona):
    login(client, personas[persona])
    allowed = {
        "households:detail": True,
        "households:edit": persona != "county",
        "households:member_add": persona != "county",
        "households:assign": persona in {"village_a", "office", "admin"},
        "households:delete": persona in {"office", "admin"},
        "households:member_edit": persona != "county",
        "households:member_remove": persona != "county",
        "households:member_make_head": persona != "county",
    }
    for url, name in zip(all_get_urls(world), ALL_GET, strict=True):
        response = client.get(url)
        assert response.status_code == (200 if allowed[name] else 403), (name, response.status_code)
    assert client.get(reverse("households:list")).status_code == 200


# --- the list: search, filters, scope --------------------------------------------------------

def detail_link(household) -> str:
    return f'href="{reverse("households:detail", args=[household.pk])}"'


def listed(client, **params) -> str:
    response = client.get(reverse("households:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_by_name_initials_id_tail_and_number(client, world, personas):
    login(client, personas["office"])
    tail = world.head_a.id_number[-4:]
    tail6 = world.head_a.id_number[-6:]
    for q in ["逄珍波", "逄", "王秀", "pzb", "PZB", "wxy", tail6, world.a.number]:
        html = listed(client, q=q)
        assert world.a.number in html, q
        assert world.b.number not in html, q
    assert world.a.number in listed(client, q=tail)
    html = listed(client, q="郝建国")
    assert world.b.number in html and world.a.number not in html
    html = listed(client, q="hjg")
    assert world.b.number in html and world.a.number not in html
    assert "没有符合条件的户" in listed(client, q="不存在的人")


def test_filters(client, world, personas):
    login(client, personas["office"])
    cases = [
        ({"village": VILLAGE_A}, world.a),
        ({"village": VILLAGE_B}, world.b),
        ({"category": "disabled"}, world.a),
        ({"category": "minimum_living"}, world.b),
        ({"caseworker": personas["caseworker_b"].pk}, world.b),
        ({"status": "lifted"}, world.b),
        ({"status": "active"}, world.a),
    ]
    for params, expected in cases:
        html = listed(client, **params)
        other = world.b if expected is world.a else world.a
        assert expected.number in html, params
        assert other.number not in html, params
    # Filters that do not parse are ignored, never an error.
    html = listed(client, caseworker="abc", village="nowhere", category="nope", request_id="not-a-uuid")
    assert world.a.number in html and world.b.number in html


def test_filter_by_request_id(client, world, personas):
    login(client, personas["office"])
    with requestid.bound() as request_id:
        client.post(reverse("households:edit", args=[world.b.pk]), edit_body(world.b, address="导入改的"))
    # The request got its own id from the middleware: find it from the change it wrote.
    request_id = Change.objects.filter(household_id=world.b.pk, action="update").latest("id").request_id
    html = listed(client, request_id=str(request_id))
    assert detail_link(world.b) in html and detail_link(world.a) not in html
    assert "正在显示同一次操作或导入中变更的农户" in html


def test_count_and_empty_list(client, world, personas):
    login(client, personas["office"])
    assert "共 2 户" in listed(client)
    login(client, personas["outsider_office"])
    html = listed(client)
    assert "共 0 户" in html and world.a.number not in html


def test_count_beyond_the_limit(client, world, personas, settings):
    settings.COUNT_LIMIT = 1
    login(client, personas["office"])
    assert "1+ 户" in listed(client)


def test_caseworker_sees_only_own_households_in_list_search_and_history(client, world, personas):
    login(client, personas["caseworker_a"])
    html = listed(client)
    assert world.a.number in html and world.b.number not in html
    for q in ["郝建国", "hjg", world.b.number, world.head_b.id_number[-6:]]:
        html = listed(client, q=q)
        assert detail_link(world.b) not in html and "共 0 户" in html, q
    assert client.get(reverse("households:detail", args=[world.b.pk])).status_code == 404
    # Filters cannot widen the scope either.
    assert detail_link(world.b) not in listed(client, village=VILLAGE_B)
    request_id = Change.objects.filter(household_id=world.b.pk).values_list("request_id", flat=True).first()
    assert detail_link(world.b) not in listed(client, request_id=str(request_id))


def test_caseworker_list_has_no_bulk_assign_and_no_caseworker_filter(client, world, personas):
    login(client, personas["caseworker_a"])
    html = listed(client)
    assert 'name="household"' not in html
    assert 'name="caseworker"' not in html
    login(client, personas["village_a"])
    html = listed(client)
    assert 'name="household"' in html and 'name="caseworker"' in html


def test_htmx_request_gets_only_the_results(client, world, personas):
    login(client, personas["office"])
    response = client.get(reverse("households:list"), {"q": "pzb"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert world.a.number in html
    assert "<html" not in html and 'id="filters"' not in html
    # A history restore gets the whole page.
    response = client.get(reverse("households:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_keyset_pages(client, make_household, personas, settings):
    settings.PAGE_SIZE = 2
    made = [make_household(VILLAGE_A, members=[member_data(name=f"张{i}")]) for i in range(5)]
    login(client, personas["office"])
    seen, url, pages = [], reverse("households:list"), 0
    while url:
        response = client.get(url)
        html = response.content.decode()
        seen += [h.number for h in made if h.number in html]
        url = response.context["next_url"] and reverse("households:list") + response.context["next_url"]
        pages += 1
        if url:
            assert "下一页" in html
    assert pages == 3
    assert sorted(seen) == sorted(h.number for h in made)


def _queries_for_list(client, count):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("households:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="col-number"') == count
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client, make_household, personas):
    login(client, personas["office"])
    caseworker = personas["caseworker_a"]
    for i in range(5):
        make_household(VILLAGE_A, caseworker=caseworker, members=[member_data(name=f"李{i}")],
                       categories=["registered_poor", "disabled"])
    five = _queries_for_list(client, 5)
    for i in range(45):
        make_household(VILLAGE_B if i % 2 else VILLAGE_A, caseworker=caseworker if i % 2 == 0 else None,
                       members=[member_data(name=f"王{i}")], categories=["monitored"], monitor_type="marginal")
    fifty = _queries_for_list(client, 50)
    assert five == fifty
    assert fifty <= 12


# --- the household page ------------------------------------------------------------------------

def test_detail_shows_the_household_but_never_full_personal_data(client, world, personas):
    login(client, personas["office"])
    response = client.get(reverse("households:detail", args=[world.a.pk]))
    html = response.content.decode()
    assert "逄珍波" in html and "王秀英" in html
    assert "青岛市 即墨区 蓝村街道 戴家庄村" in html
    assert "建档立卡户" in html and "残疾人" in html
    assert "138****5678" in html and "139****4321" in html
    for secret in [HEAD_PHONE, SPOUSE_PHONE, world.head_a.id_number, world.spouse_a.id_number]:
        assert secret not in html
    assert world.head_a.id_number[:4] + "*" * 12 + world.head_a.id_number[-2:] in html
    assert "caseworker_a" in html  # the caseworker and the assignment history
    assert "变更记录" in html


def test_the_birth_date_is_shown_to_roles_that_may_reveal_the_id_number_and_the_year_to_the_others(
        client, world, personas):
    born = world.head_a.birth_date
    url = reverse("households:detail", args=[world.a.pk])
    login(client, personas["office"])
    assert born.isoformat() in client.get(url).content.decode()
    for persona in ("county", "village_a", "caseworker_a"):
        login(client, personas[persona])
        html = client.get(url).content.decode()
        assert f"{born.year}年生" in html and born.isoformat() not in html, persona


def test_edit_forms_never_show_full_personal_data(client, world, personas):
    login(client, personas["office"])
    for url in [reverse("households:edit", args=[world.a.pk]),
                reverse("households:member_edit", args=[world.spouse_a.pk])]:
        html = client.get(url).content.decode()
        for secret in [HEAD_PHONE, SPOUSE_PHONE, world.spouse_a.id_number]:
            assert secret not in html, url


def test_reveal_buttons_follow_permissions(client, world, personas):
    reveal_id = reverse("households:member_reveal", args=[world.head_a.pk, "id_number"])
    reveal_phone = reverse("households:member_reveal", args=[world.spouse_a.pk, "phone"])
    login(client, personas["caseworker_a"])
    html = client.get(reverse("households:detail", args=[world.a.pk])).content.decode()
    assert reveal_phone in html and reveal_id not in html
    login(client, personas["office"])
    html = client.get(reverse("households:detail", args=[world.a.pk])).content.decode()
    assert reveal_phone in html and reveal_id in html


def test_reveal_records_history(client, world, personas):
    login(client, personas["caseworker_a"])
    before = Change.objects.filter(action="reveal").count()
    response = client.post(reverse("households:member_reveal", args=[world.spouse_a.pk, "phone"]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert SPOUSE_PHONE in response.content.decode()
    assert "<html" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    response = client.post(reverse("households:reveal_phone", args=[world.a.pk]), HTTP_HX_REQUEST="true")
    assert HEAD_PHONE in response.content.decode()
    rows = Change.objects.filter(action="reveal").order_by("id")
    assert rows.count() == before + 2
    assert {(r.object_type, r.message, r.actor_id) for r in rows} == {
        ("member", "phone", personas["caseworker_a"].pk), ("household", "phone", personas["caseworker_a"].pk),
    }
    login(client, personas["office"])
    response = client.post(reverse("households:member_reveal", args=[world.head_a.pk, "id_number"]))
    assert response.status_code == 200  # without htmx: a small page of its own
    assert world.head_a.id_number in response.content.decode()
    row = Change.objects.filter(action="reveal").latest("id")
    assert (row.object_id, row.message, row.actor_id) == (world.head_a.pk, "id_number", personas["office"].pk)
    # The timeline says who looked.
    html = client.get(reverse("households:detail", args=[world.a.pk])).content.decode()
    assert "查看了完整的证件号码" in html


def test_history_shows_field_names_and_before_after(client, world, personas):
    login(client, personas["village_a"])
    response = client.post(reverse("households:edit", args=[world.a.pk]),
                           edit_body(world.a, address="戴家庄村东街3号", status="lifted", farmland_mu="2.5",
                                     wage_income="12000.50"))
    assert response.status_code == 302
    html = client.get(reverse("households:detail", args=[world.a.pk])).content.decode()
    assert "住址" in html and "戴家庄村东街3号" in html
    assert "在册" in html and "已脱贫" in html
    assert "12,000.50 元" in html
    assert "_hash" not in html
    assert "phone_hash" not in html and "id_hash" not in html


# --- forms --------------------------------------------------------------------------------------

def test_create_household_with_its_head(client, regions, personas):
    login(client, personas["village_a"])
    assert client.get(reverse("households:create")).status_code == 200
    body = create_body(address="戴家庄村1号", phone="138 1234 5678", head={"name": "逄珍波"})
    response = client.post(reverse("households:create"), body)
    assert response.status_code == 302, response.context and [
        f.errors for f in [response.context["form"], response.context["head_form"]]]
    household = Household.objects.get()
    assert household.head_name == "逄珍波"
    assert household.phone == "13812345678"
    assert household.members.get().relation == choices.Relation.HEAD
    assert response["Location"] == reverse("households:detail", args=[household.pk])


def test_create_shows_errors_on_the_fields_in_chinese(client, world, personas):
    login(client, personas["village_a"])
    body = create_body(phone="123", head={"name": "新人", "id_number": "110105194912310021"})
    before = snapshot()
    response = client.post(reverse("households:create"), body)
    assert response.status_code == 200
    assert snapshot() == before
    assert "校验位错误" in response.context["head_form"].errors["id_number"][0]
    assert response.context["form"].errors["phone"]
    html = response.content.decode()
    assert "校验位错误" in html
    assert 'aria-invalid="true"' in html
    # An ID number already registered names where (a service check, put on the member's field)
    # when the household is one the user sees, and only says it is taken when it is not.
    body["head-id_number"] = world.head_a.id_number
    body["phone"] = ""
    response = client.post(reverse("households:create"), body)
    assert response.status_code == 200
    message = response.context["head_form"].errors["id_number"][0]
    assert "该证件号码已登记" in message and world.a.number in message
    body["head-id_number"] = world.head_b.id_number
    response = client.post(reverse("households:create"), body)
    message = response.context["head_form"].errors["id_number"][0]
    assert "该证件号码已在您的查看范围之外登记" in message
    assert world.b.number not in message and "郝建国" not in message and "北郝家庄" not in message
    assert snapshot() == before


def test_the_registrys_refusal_shows_with_the_forms_own_errors_in_one_round(client, world, personas):
    login(client, personas["village_a"])
    before = snapshot()
    body = create_body(phone="123", head={"name": "新人", "id_number": world.head_a.id_number})
    response = client.post(reverse("households:create"), body)
    assert response.context["form"].errors["phone"]
    assert "该证件号码已登记" in response.context["head_form"].errors["id_number"][0]
    body = member_body(name="逄小明", relation="之子", id_number=world.spouse_a.id_number, phone="123")
    response = client.post(reverse("households:member_add", args=[world.a.pk]), body)
    form = response.context["form"]
    assert form.errors["phone"] and "该证件号码已登记" in form.errors["id_number"][0]
    assert snapshot() == before


def test_create_refuses_a_village_outside_the_scope(client, world, personas):
    login(client, personas["village_a"])
    body = create_body(region=VILLAGE_B, head={"name": "新人"})
    before = snapshot()
    response = client.post(reverse("households:create"), body)
    assert response.status_code == 200 and response.context["form"].errors["region"]
    assert snapshot() == before


def test_edit_on_a_stale_version_of_the_same_field_is_held_for_review(client, world, personas):
    login(client, personas["caseworker_a"])
    stale = world.a.version
    # Someone else saves first.
    other = client.post(reverse("households:edit", args=[world.a.pk]), edit_body(world.a, address="先改的"))
    assert other.status_code == 302
    before = snapshot()
    response = client.post(reverse("households:edit", args=[world.a.pk]),
                           edit_body(world.a, address="我的改动", version=stale), follow=True)
    assert "有人在您打开表单之后修改了相同的字段" in response.content.decode()
    assert snapshot()[1:] == before[1:]  # the household as it was; history holds the held edit
    assert Household.objects.get(pk=world.a.pk).address == "先改的"
    conflict = EditConflict.objects.get()
    assert conflict.fields == ["address"] and conflict.mine == {"address": "我的改动"}


def test_edit_on_a_stale_version_of_other_fields_is_applied_keeping_theirs(client, world, personas):
    login(client, personas["caseworker_a"])
    stale = world.a.version
    assert client.post(reverse("households:edit", args=[world.a.pk]),
                       edit_body(world.a, address="先改的")).status_code == 302
    # The page sends every field: the address as it was read, which is not a change of it.
    response = client.post(reverse("households:edit", args=[world.a.pk]),
                           edit_body(world.a, road_type="砂石路", version=stale), follow=True)
    assert "修改已保存" in response.content.decode()
    household = Household.objects.get(pk=world.a.pk)
    assert household.address == "先改的" and household.road_type == "砂石路"
    assert household.version == stale + 2
    assert not EditConflict.objects.exists()


def test_edit_keeps_the_phone_when_left_empty_and_clears_it_on_request(client, world, personas):
    login(client, personas["caseworker_a"])
    url = reverse("households:edit", args=[world.a.pk])
    assert client.post(url, edit_body(world.a, address="甲")).status_code == 302
    household = Household.objects.get(pk=world.a.pk)
    assert household.phone == HEAD_PHONE and household.address == "甲"
    assert client.post(url, edit_body(household, phone="0532-88881234")).status_code == 302
    household = Household.objects.get(pk=world.a.pk)
    assert household.phone == "0532-88881234"
    assert client.post(url, edit_body(household, phone_clear="on")).status_code == 302
    assert Household.objects.get(pk=world.a.pk).phone == ""


def test_caseworker_cannot_move_a_household(client, world, personas):
    login(client, personas["caseworker_a"])
    response = client.post(reverse("households:edit", args=[world.a.pk]),
                           edit_body(world.a, region=VILLAGE_B, address="搬家"))
    assert response.status_code == 302  # the village field is disabled for a caseworker: ignored
    household = Household.objects.get(pk=world.a.pk)
    assert household.region_code == VILLAGE_A and household.address == "搬家"


def test_member_add_edit_make_head_and_remove(client, world, personas):
    login(client, personas["caseworker_a"])
    response = client.post(reverse("households:member_add", args=[world.a.pk]),
                           member_body(name="逄小明", relation="之子", phone="13600001234"))
    assert response.status_code == 302
    son = Member.objects.get(name="逄小明")
    assert son.phone == "13600001234"

    # Edit: the ID and phone inputs start empty; empty keeps them.
    url = reverse("households:member_edit", args=[son.pk])
    response = client.post(url, member_body(name="逄晓明", relation="之子", id_number="", version=son.version))
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.name == "逄晓明" and son.phone == "13600001234" and son.id_hash

    # A stale member version that changes the same field is held, not applied.
    before = snapshot()
    response = client.post(url, member_body(name="又改", relation="之子", id_number="", version=1))
    assert response.status_code == 302 and snapshot()[1:] == before[1:]
    assert EditConflict.objects.get(member=son).overlap == ["name"]

    # Make the spouse the head; the former head becomes the spouse.
    response = client.post(reverse("households:member_make_head", args=[world.spouse_a.pk]),
                           {"former_head_relation": "配偶"})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.head_name == "王秀英"
    assert Member.objects.get(pk=world.head_a.pk).relation == "配偶"

    # The head cannot be removed while others remain; the message shows on the page.
    before = snapshot()
    response = client.post(reverse("households:member_remove", args=[world.spouse_a.pk]), {"reason": ""})
    assert response.status_code == 200 and "先将其他成员设为户主" in response.content.decode()
    assert snapshot() == before
    response = client.post(reverse("households:member_remove", args=[son.pk]), {"reason": "分户"})
    assert response.status_code == 302
    assert not Member.objects.filter(pk=son.pk).exists()


def test_member_add_rules_show_on_fields(client, world, personas):
    login(client, personas["caseworker_a"])
    before = snapshot()
    response = client.post(reverse("households:member_add", args=[world.a.pk]),
                           member_body(name="第二配偶", relation="配偶", sex="F"))
    assert response.status_code == 200
    assert "王秀英" in response.context["form"].errors["relation"][0]
    assert snapshot() == before


def test_make_head_needs_a_relation(client, world, personas):
    login(client, personas["caseworker_a"])
    before = snapshot()
    response = client.post(reverse("households:member_make_head", args=[world.spouse_a.pk]), {})
    assert response.status_code == 200 and response.context["form"].errors["former_head_relation"]
    assert snapshot() == before
    # The former head cannot stay the head, nor take a relation that does not exist.
    for relation in ("户主", "邻居"):
        response = client.post(reverse("households:member_make_head", args=[world.spouse_a.pk]),
                               {"former_head_relation": relation})
        assert response.status_code == 200 and response.context["form"].errors["former_head_relation"]
        assert snapshot() == before


def test_delete_household(client, world, personas):
    login(client, personas["office"])
    response = client.post(reverse("households:delete", args=[world.a.pk]), {"reason": "重复登记"})
    assert response.status_code == 302
    assert not Household.objects.filter(pk=world.a.pk).exists()
    assert Change.objects.filter(household_id=world.a.pk, action="delete", object_type="household").exists()


def test_assign_one_household(client, world, personas, regions):
    from bangfu.accounts.services import user_add

    new, _ = user_add(username="cw_new", role="caseworker", region_code=VILLAGE_A, password="x" * 12,
                      display_name="新干部", check_password=False)
    login(client, personas["village_a"])
    url = reverse("households:assign", args=[world.a.pk])
    html = client.get(url).content.decode()
    assert "新干部" in html and "caseworker_b" not in html  # only caseworkers of the household's area
    response = client.post(url, {"caseworker": new.pk, "start": dt.date.today().isoformat()})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.caseworker == new
    html = client.get(reverse("households:detail", args=[world.a.pk])).content.decode()
    assert "新干部" in html
    # A caseworker of another village is refused on the field.
    before = snapshot()
    response = client.post(url, {"caseworker": personas["caseworker_b"].pk, "start": dt.date.today().isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["caseworker"]
    assert snapshot() == before


def test_assign_many_households_from_the_list(client, make_household, world, personas):
    more = make_household(VILLAGE_A, members=[member_data(name="赵六")])
    login(client, personas["office"])
    url = reverse("households:assign_bulk")
    response = client.get(url, {"household": [world.a.pk, more.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "逄珍波" in html and "赵六" in html
    response = client.post(url, {"household": [world.a.pk, more.pk], "caseworker": personas["caseworker_a"].pk,
                                 "start": dt.date.today().isoformat()})
    assert response.status_code == 302
    more.refresh_from_db()
    assert more.caseworker == personas["caseworker_a"]
    # Households of two villages: only caseworkers who can take both are offered.
    response = client.get(url, {"household": [world.a.pk, world.b.pk]})
    assert list(response.context["form"].fields["caseworker"].queryset) == []
    # Nothing selected: a hint, not an error.
    assert "请先在列表中选择" in client.get(url).content.decode()


def test_bulk_assign_with_a_household_outside_the_scope_is_404(client, world, personas, make_household):
    login(client, personas["village_a"])
    before = snapshot()
    response = client.post(reverse("households:assign_bulk"), {
        "household": [world.a.pk, world.b.pk], "caseworker": personas["caseworker_a"].pk,
        "start": dt.date.today().isoformat(),
    })
    assert response.status_code == 404
    assert snapshot() == before
