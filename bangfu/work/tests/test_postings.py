"""Job postings: matching (requirements, nearest first, scope), a referral's steps and a hire's
monthly status, the sheet's import (errors by row and column, all or nothing), the group's text
within a WeCom message's bytes, the poster (a phone-size PNG), the pages and the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.history.models import Change
from bangfu.regions.models import Region
from bangfu.work import posting_queries as pq
from bangfu.work import postings, publishing, services
from bangfu.work.models import Activity, LabourStatus
from bangfu.work.posting_models import JobPosting, PostingStatus, Publication, Referral, Step
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = pytest.mark.django_db
TODAY = local_today()
TOWNSHIP = "370215010"


def _birth(age: int) -> dt.date:
    return dt.date(TODAY.year - age, 3, 1)


def _data(**overrides):
    data = {"employer": "青岛某电子厂", "title": "普工", "openings": 20, "place_code": "370215", "place_name": "即墨区",
            "wage_min": 400000, "wage_max": 600000, "age_min": 18, "age_max": 45, "sex": "", "skill": "",
            "skills": "", "board": "both", "contact": "张经理 13800000000",
            "valid_until": TODAY + dt.timedelta(days=30), "source": "即墨区人社局"}
    data.update(overrides)
    return data


def _township():
    return Region.objects.get(code=TOWNSHIP)


def _unemployed(member, actor):
    services.status_record(member=member, data={"month": TODAY.replace(day=1), "activity": Activity.UNEMPLOYED,
                                                "reason": "找不到工作"}, actor=actor)


@pytest.fixture
def seekers(make_household, personas, worker, neighbour):
    """Looking for work: the worker (45, village A), the neighbour (30, village B), 丽 (25, a woman
    of village A); at work: 忙 (28, village A)."""
    office = personas["office"]
    woman = make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="丽", sex="F", birth_date=_birth(25))]).members.get()
    busy = make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="忙", birth_date=_birth(28))]).members.get()
    for member in (worker, neighbour, woman):
        _unemployed(member, office)
    services.status_record(member=busy, data={"month": TODAY.replace(day=1), "activity": Activity.MIGRANT,
                                              "place_code": "44"}, actor=office)
    return {"worker": worker, "neighbour": neighbour, "woman": woman, "busy": busy}


def test_distance_by_code_relation():
    assert pq.distance(VILLAGE_A, VILLAGE_A) == 0
    assert pq.distance(VILLAGE_A, VILLAGE_B) == 1
    assert pq.distance(VILLAGE_A, "370215") == 2
    assert pq.distance(VILLAGE_A, "370211") == 3
    assert pq.distance(VILLAGE_A, "37") == 4
    assert pq.distance(VILLAGE_A, "441900") == 5


def test_matches_meet_requirements_nearest_first(seekers, personas):
    office = personas["office"]
    posting = postings.posting_create(township=_township(), data=_data(place_code=VILLAGE_B, age_max=50),
                                      actor=office)
    names = [m.name for m, _d in pq.matches(office, posting)]
    # At work is left out; the neighbour's village is the place itself, so first.
    assert names[0] == "郝强" and set(names) == {"郝强", "戴明", "丽"}
    assert [d for _m, d in pq.matches(office, posting)][:1] == [0]

    young = postings.posting_create(township=_township(), data=_data(age_max=35), actor=office)
    assert {m.name for m, _d in pq.matches(office, young)} == {"郝强", "丽"}
    women = postings.posting_create(township=_township(), data=_data(sex="F"), actor=office)
    assert [m.name for m, _d in pq.matches(office, women)] == ["丽"]
    skilled = postings.posting_create(township=_township(), data=_data(skill="skilled"), actor=office)
    assert pq.matches(office, skilled) == []


def test_matches_are_scoped(seekers, personas):
    posting = postings.posting_create(township=_township(), data=_data(), actor=personas["office"])
    # The caseworker of village A sees their village's labourers only; an outsider not the posting.
    assert {m.name for m, _d in pq.matches(personas["caseworker_a"], posting)} == {"戴明", "丽"}
    with pytest.raises(Http404):
        pq.posting_get(personas["outsider_office"], posting.pk)
    assert not JobPosting.objects.visible_to(personas["outsider_office"]).exists()


def test_postings_for_a_labourer(seekers, personas):
    office = personas["office"]
    near = postings.posting_create(township=_township(), data=_data(place_code=VILLAGE_A), actor=office)
    far = postings.posting_create(township=_township(), data=_data(place_code="44"), actor=office)
    postings.posting_create(township=_township(), data=_data(sex="F"), actor=office)
    closed = postings.posting_create(township=_township(), data=_data(), actor=office)
    postings.posting_close(posting=closed, actor=office)
    found = [p for p, _d in pq.postings_for_member(office, seekers["worker"])]
    assert found == [near, far]


def test_hire_records_the_month_and_is_idempotent(seekers, personas):
    posting = postings.posting_create(township=_township(), data=_data(place_code="441900", place_name="东莞市"),
                                      actor=personas["office"])
    worker, caseworker = seekers["worker"], personas["caseworker_a"]
    told, changed = postings.referral_record(posting=posting, member=worker, step=Step.TOLD, actor=caseworker,
                                             client_id="c-1")
    again, changed_again = postings.referral_record(posting=posting, member=worker, step=Step.TOLD,
                                                    actor=caseworker, client_id="c-1")
    assert changed and not changed_again and told.pk == again.pk
    postings.referral_record(posting=posting, member=worker, step=Step.HIRED, actor=caseworker, client_id="c-2")
    # An earlier step never undoes a hire.
    postings.referral_record(posting=posting, member=worker, step=Step.INTERESTED, actor=caseworker)
    assert Referral.objects.get().step == Step.HIRED
    status = LabourStatus.objects.get(member=worker, month=TODAY.replace(day=1))
    assert (status.activity, status.employer, status.place_code, status.wage_fen) == (
        Activity.MIGRANT, "青岛某电子厂", "441900", 400000)
    assert Change.objects.filter(object_type="referral").count() == 2
    # No longer looking for work: no longer a match.
    assert worker not in [m for m, _d in pq.matches(personas["office"], posting)]


def test_referral_outside_scope_and_by_role(seekers, personas):
    posting = postings.posting_create(township=_township(), data=_data(), actor=personas["office"])
    with pytest.raises(Http404):
        postings.referral_record(posting=posting, member=seekers["neighbour"], step=Step.TOLD,
                                 actor=personas["caseworker_a"])
    with pytest.raises(PermissionDenied):
        postings.posting_create(township=_township(), data=_data(), actor=personas["caseworker_a"])


def _sheet(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["单位", "岗位", "人数", "地点代码", "地点", "最低月薪", "最高月薪", "最小年龄", "最大年龄", "性别",
                  "食宿", "联系方式", "有效期至", "来源"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "postings.xlsx"
    return out


def test_import_all_or_nothing_with_row_and_column(personas):
    until = (TODAY + dt.timedelta(days=20)).isoformat()
    good = ["即墨服装厂", "缝纫工", 10, "370215", "即墨区", 3500, 5000, 18, 50, "女", "包吃住", "李 0532-1234567",
            until, "区人社局"]
    bad = ["即墨机械厂", "焊工", "十", "99999", "", 6000, 5000, "", "", "不限", "", "王 139", until, ""]
    result = postings.postings_import(source=_sheet([good, bad]), township=_township(), actor=personas["office"])
    assert result.created == 0 and JobPosting.objects.count() == 0
    assert {(row, column) for row, column, _m in result.errors} == {(3, "人数"), (3, "地点代码"), (3, "最高月薪")}
    result = postings.postings_import(source=_sheet([good]), township=_township(), actor=personas["office"])
    assert result.created == 1 and not result.errors
    posting = JobPosting.objects.get()
    assert (posting.sex, posting.board, posting.wage_min_fen) == ("F", "both", 350000)


def test_text_fits_a_wecom_message_in_numbered_parts(personas):
    office = personas["office"]
    many = [postings.posting_create(township=_township(), data=_data(title=f"岗位{i}", skills="持证上岗" * 20),
                                    actor=office) for i in range(30)]
    parts = publishing.message_parts("【蓝村街道岗位信息】", many)
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= publishing.MESSAGE_BYTES for p in parts)
    assert parts[0].startswith(f"【蓝村街道岗位信息】（1/{len(parts)}）")
    # Every posting once, whole, in order.
    text = "\n".join(parts)
    assert [text.count(f"{i}. 青岛某电子厂｜岗位{i - 1} ") for i in range(1, 31)] == [1] * 30
    assert publishing.message_parts("T", many[:1]) == ["T\n" + "\n".join(publishing.posting_lines(1, many[0]))]


def test_poster_is_a_phone_size_png(personas):
    office = personas["office"]
    chosen = [postings.posting_create(township=_township(), data=_data(title=f"岗位{i}"), actor=office)
              for i in range(8)]
    png = publishing.poster_png("【蓝村街道岗位信息】", "2020-02-20", chosen, page=2)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == publishing.POSTER_SIZE
    assert publishing.poster_pages(8) == 2
    assert publishing.font_path() is None or publishing.font_path().endswith((".ttc", ".ttf"))


def test_publication_counts_postings_pushed(personas):
    office = personas["office"]
    chosen = [postings.posting_create(township=_township(), data=_data(title=f"岗位{i}"), actor=office)
              for i in range(3)]
    postings.publication_create(township=_township(), postings=chosen[:2], actor=office)
    postings.publication_create(township=_township(), postings=chosen[1:], actor=office)
    assert Publication.objects.count() == 2
    assert postings.published_count(TOWNSHIP, TODAY, TODAY) == 3
    postings.posting_close(posting=chosen[0], actor=office)
    with pytest.raises(ValidationError):
        postings.publication_create(township=_township(), postings=chosen[:1], actor=office)


def test_pages(client, seekers, personas):
    client.force_login(personas["office"])
    response = client.post(reverse("work:posting_add"), {**_data(wage_min="4000", wage_max="3000"),
                                                         "valid_until": ""})
    assert response.status_code == 200 and not JobPosting.objects.exists()
    body = {**_data(wage_min="4000", wage_max="6000")}
    body = {k: ("" if v is None else v) for k, v in body.items()}
    response = client.post(reverse("work:posting_add"), body)
    posting = JobPosting.objects.get()
    assert response.status_code == 302 and posting.wage_max_fen == 600000
    page = client.get(reverse("work:posting", args=[posting.pk])).content.decode()
    assert "戴明" in page and "忙" not in page and "data-outbox" in page
    response = client.post(reverse("work:publish"), {"township": TOWNSHIP, "posting": [posting.pk]})
    publication = Publication.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("work:publication", args=[publication.pk])).content.decode()
    assert "普工" in page
    poster = client.get(reverse("work:publication_poster", args=[publication.pk]) + "?page=1")
    assert poster["Content-Type"] == "image/png"
    assert client.get(reverse("work:publication_poster", args=[publication.pk]) + "?page=9").status_code == 404
    client.post(reverse("work:posting_close", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED


def test_api(seekers, personas):
    api = ApiClient(personas["office"])
    body = {k: v for k, v in _data().items() if k not in ("wage_min", "wage_max")}
    body.update(wage_min_fen=400000, wage_max_fen=500000, valid_until=body["valid_until"].isoformat())
    created = api.post("/api/postings", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert [p["id"] for p in api.get("/api/postings").json()] == [pk]
    matches = api.get(f"/api/postings/{pk}/matches").json()
    assert {m["name"] for m in matches} == {"戴明", "郝强", "丽"}
    bad = api.post("/api/postings", {**body, "place_code": "9"})
    assert bad.status_code == 422
    assert ApiClient(personas["outsider_office"]).get(f"/api/postings/{pk}/matches").status_code == 404
    assert ApiClient(personas["caseworker_a"]).post("/api/postings", body).status_code == 403


def test_the_demo_pushes_songzhuangs_postings_and_hires(seekers, personas, make_household):
    from bangfu.work.posting_demo import REPORT_POSTINGS, postings_demo_load, report_year

    counts = postings_demo_load()
    year = report_year(local_today())
    assert postings.published_count("410308103", dt.date(year, 2, 1), dt.date(year, 3, 31)) == REPORT_POSTINGS >= 230
    assert counts["hired"] >= 1
    assert Referral.objects.filter(step=Step.HIRED).exists()
    assert JobPosting.objects.filter(region_code=TOWNSHIP, status=PostingStatus.OPEN).count() == 12


def test_referral_import_and_labourer_pages(client, seekers, personas):
    import uuid

    posting = postings.posting_create(township=_township(), data=_data(), actor=personas["office"])
    client.force_login(personas["caseworker_a"])
    worker = seekers["worker"]
    body = {"member": worker.pk, "step": Step.INTERESTED, "client_id": str(uuid.uuid4())}
    assert client.post(reverse("work:posting_refer", args=[posting.pk]), body).status_code == 302
    client.post(reverse("work:posting_refer", args=[posting.pk]), body)  # resent: one record
    assert Referral.objects.get().step == Step.INTERESTED and Change.objects.filter(object_type="referral").count() == 1
    # Another village's labourer is not the caseworker's to record.
    client.post(reverse("work:posting_refer", args=[posting.pk]),
                {"member": seekers["neighbour"].pk, "step": Step.TOLD, "client_id": str(uuid.uuid4())})
    assert Referral.objects.count() == 1
    page = client.get(reverse("work:labourer_postings", args=[worker.pk])).content.decode()
    assert "青岛某电子厂" in page
    client.force_login(personas["office"])
    sheet = _sheet([["厂", "工", 0, "37", "", "", "", "", "", "", "", "", "2020-13-01", ""]])
    page = client.post(reverse("work:posting_import"), {"file": sheet}).content.decode()
    assert "人数" in page and "有效期至" in page and JobPosting.objects.count() == 1
