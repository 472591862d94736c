"""Assets' rules: the register from a project's handover, inspection schedules, findings and their
escalation (Shanghai days), idempotent inspections with photos, the distribution share rule and
payouts never above the distributable income, scope."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from bangfu.assets import queries, services
from bangfu.assets.models import AssetKind, AssetSetting, Finding, IncomeCategory, PlanStatus, Share
from bangfu.assets.tests.conftest import jpeg
from bangfu.core.dates import local_today
from bangfu.core.idempotency import ReplayMismatch
from bangfu.core.permissions import PermissionDenied
from bangfu.notify.models import Message

pytestmark = pytest.mark.django_db


def upload(data: bytes, name="p.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def inspect(asset, actor, *, day=None, finding="", fix_by=None, photos=(), client_id=None, checklist=None):
    return services.inspection_create(
        asset=asset, actor=actor, client_id=client_id or uuid.uuid4(), uploads=photos,
        data=services.InspectionData(day=day or local_today(), checklist=checklist or {"panels_clean": True,
                                                                                     "meter_reading": 1234.5},
                                     finding=finding, fix_by=fix_by))


# --- schedules ---------------------------------------------------------------------------------

def test_a_new_asset_is_due_at_once_and_a_pv_station_monthly_after(station, personas):
    today = local_today()
    assert [d.asset for d in queries.inspections_due(queries.assets_list(personas["office"]), today=today)] == [station]
    inspect(station, personas["caseworker_a"], day=today - dt.timedelta(days=29))
    assert queries.inspections_due(queries.assets_list(personas["office"]), today=today) == []
    # Thirty days after the last one it is due again, and overdue the day after.
    due = queries.inspections_due(queries.assets_list(personas["office"]), today=today + dt.timedelta(days=1))
    assert [d.due for d in due] == [today + dt.timedelta(days=1)]
    assert not due[0].overdue(today + dt.timedelta(days=1))
    assert due[0].overdue(today + dt.timedelta(days=2))


def test_a_county_sets_its_own_interval(station, personas, regions):
    services.asset_setting_set(county=regions["370215"], welfare_min_percent=60,
                               intervals={AssetKind.PV_STATION: 7}, actor=personas["county"])
    today = local_today()
    inspect(station, personas["caseworker_a"], day=today - dt.timedelta(days=8))
    assert [d.asset for d in queries.inspections_due(queries.assets_list(personas["office"]), today=today)] == [station]


def test_the_keepers_day_shows_the_inspection_due(station, personas):
    from bangfu.assets.worklist import inspections_section

    section = inspections_section(personas["caseworker_a"], local_today())
    assert section is not None and section.items[0].asset == station
    assert inspections_section(personas["caseworker_b"], local_today()) is None
    inspect(station, personas["caseworker_a"])
    assert inspections_section(personas["caseworker_a"], local_today()) is None


# --- findings ----------------------------------------------------------------------------------

def test_an_overdue_fix_is_escalated_once_to_the_township_office(station, personas):
    today = local_today()
    inspect(station, personas["caseworker_a"], day=today - dt.timedelta(days=20), finding="逆变器报警",
            fix_by=today - dt.timedelta(days=1))
    inspect(station, personas["caseworker_a"], day=today, finding="围栏破损", fix_by=today)
    assert services.findings_escalate(today=today) == 1
    assert services.findings_escalate(today=today) == 0
    messages = list(Message.objects.filter(kind="asset.fix_overdue"))
    assert len(messages) == 1 and "逆变器报警" in messages[0].body
    # The fix due today is not overdue until tomorrow (Shanghai days).
    assert services.findings_escalate(today=today + dt.timedelta(days=1)) == 1


def test_a_fix_is_closed_once_and_not_escalated(station, personas):
    today = local_today()
    inspection, _ = inspect(station, personas["caseworker_a"], day=today - dt.timedelta(days=3), finding="面板积灰",
                            fix_by=today - dt.timedelta(days=1))
    finding = inspection.findings.get()
    with pytest.raises(ValidationError):
        services.finding_fix(finding=finding, fixed_on=today, note="", actor=personas["caseworker_a"])
    services.finding_fix(finding=finding, fixed_on=today, note="已清洗", actor=personas["caseworker_a"])
    assert services.findings_escalate(today=today) == 0
    assert Finding.objects.get().fixed_on == today


def test_a_finding_without_a_day_gets_the_default(station, personas):
    inspection, _ = inspect(station, personas["caseworker_a"], finding="杂草")
    assert inspection.findings.get().fix_by == local_today() + dt.timedelta(days=14)


# --- idempotency and photos --------------------------------------------------------------------

def test_the_same_inspection_is_stored_once_and_another_body_refused(station, personas):
    client_id = uuid.uuid4()
    photo = jpeg(800, 600)
    first, created = inspect(station, personas["caseworker_a"], client_id=client_id, photos=[upload(photo)])
    again, created_again = inspect(station, personas["caseworker_a"], client_id=client_id, photos=[upload(photo)])
    assert created and not created_again and first.pk == again.pk
    assert first.photos.count() == 1
    with pytest.raises(ReplayMismatch):  # another photo under the same id
        inspect(station, personas["caseworker_a"], client_id=client_id, photos=[upload(jpeg(800, 600, (1, 2, 3)))])
    with pytest.raises(ReplayMismatch):  # another checklist
        inspect(station, personas["caseworker_a"], client_id=client_id, photos=[upload(photo)],
                checklist={"panels_clean": False})


def test_a_photo_is_resized_turned_and_stripped(station, personas):
    inspection, _ = inspect(station, personas["caseworker_a"], photos=[upload(jpeg(3000, 2000, orientation=6))])
    photo = inspection.photos.get()
    # Orientation 6: the camera was turned, so the picture stands up; the longest side is 1600 px.
    assert (photo.width, photo.height) == (1067, 1600)
    from bangfu.assets.photos import photo_file

    with Image.open(photo_file(photo.path)) as image:
        assert image.size == (1067, 1600) and image.format == "JPEG"
        assert not image.getexif()


def test_too_many_or_not_photos_are_refused(station, personas):
    with pytest.raises(ValidationError) as error:
        inspect(station, personas["caseworker_a"], photos=[upload(jpeg(10, 10)) for _ in range(5)])
    assert "photos" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        inspect(station, personas["caseworker_a"], photos=[upload(b"not a picture", "x.jpg")])
    assert "photos" in error.value.message_dict


# --- scope -------------------------------------------------------------------------------------

def test_scope(station, other_station, personas):
    assert list(queries.assets_list(personas["office"])) == [station]
    assert list(queries.assets_list(personas["county"])) == [station]
    assert list(queries.assets_list(personas["caseworker_b"])) == []
    assert list(queries.assets_list(personas["outsider_office"])) == [other_station]
    with pytest.raises(Http404):
        inspect(station, personas["caseworker_b"])
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=services.plan_create(asset=station, year=2025, shares={"welfare": 100}, meeting="",
                                                        actor=personas["village_a"]), actor=personas["village_a"])


# --- income and distribution -------------------------------------------------------------------

def _income(asset, actor, amount, category=IncomeCategory.POWER, month=None):
    return services.income_record(asset=asset, month=month or local_today().replace(day=1), category=category,
                                  amount_fen=amount, note="", client_id=uuid.uuid4(), actor=actor)


def test_the_welfare_share_is_at_least_the_countys_rule(station, personas, regions):
    with pytest.raises(ValidationError) as error:
        services.plan_create(asset=station, year=2025, shares={"welfare": 50, "collective": 50}, meeting="",
                             actor=personas["village_a"])
    assert "60%" in error.value.message_dict["welfare_percent"][0] and "50%" in error.value.message_dict["welfare_percent"][0]
    with pytest.raises(ValidationError):  # not adding up to 100
        services.plan_create(asset=station, year=2025, shares={"welfare": 60, "collective": 30}, meeting="",
                             actor=personas["village_a"])
    services.plan_create(asset=station, year=2025, shares={"welfare": 60, "collective": 40}, meeting="",
                         actor=personas["village_a"])
    services.asset_setting_set(county=regions["370215"], welfare_min_percent=70, intervals={}, actor=personas["county"])
    with pytest.raises(ValidationError):
        services.plan_create(asset=station, year=2026, shares={"welfare": 60, "collective": 40}, meeting="",
                             actor=personas["village_a"])
    assert AssetSetting.objects.get().welfare_min_percent == 70


def test_payouts_never_above_the_distributable_income(station, personas):
    year = local_today().year
    _income(station, personas["village_a"], 1_000_000)
    _income(station, personas["village_a"], 200_000, category=IncomeCategory.LAND_RENT)
    plan = services.plan_create(asset=station, year=year, shares={"welfare": 75, "collective": 25}, meeting="村民代表大会",
                                actor=personas["village_a"])

    def pay(amount, share=Share.WELFARE):
        return services.payout_record(plan=plan, share=share, amount_fen=amount, day=local_today(), payee="公益岗",
                                      client_id=uuid.uuid4(), actor=personas["village_a"])

    with pytest.raises(services.StateRefused):
        pay(100)  # not published
    with pytest.raises(services.StateRefused):
        services.plan_publish(plan=plan, actor=personas["village_a"])  # not approved
    services.plan_approve(plan=plan, actor=personas["office"])
    services.plan_publish(plan=plan, actor=personas["village_a"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    # 800,000 distributable: 600,000 to welfare posts, 200,000 to the collective.
    pay(500_000)
    with pytest.raises(ValidationError) as error:
        pay(100_001)
    assert "1,000.00" in error.value.message_dict["amount"][0]
    pay(100_000)
    pay(200_000, Share.COLLECTIVE)
    with pytest.raises(ValidationError):
        pay(1, Share.COLLECTIVE)
    assert sum(services.share_paid(plan).values()) == services.year_money(station, year).distributable


def test_the_handover_registers_the_assets(personas, regions):
    from bangfu.assets.models import Asset, AssetClass
    from bangfu.projects.models import HandoverItem, Project, Stage

    project = Project.objects.create(
        client_id=uuid.uuid4(), name="戴家庄村光伏电站", type="industry", level="village", region=regions["370215010001"],
        region_code="370215010001", meeting_date=local_today(), meeting_attendance=20, meeting_decision="同意",
        stage=Stage.COUNTY_CHECKED, stage_since=local_today(), created_by=personas["office"],
        created_at="2025-01-01T00:00:00Z")
    from bangfu.projects.services import project_step

    project_step(project=project, action="hand_over", actor=personas["office"], data={"items": [
        {"name": "光伏电站 100kW", "value_fen": 50_000_000, "owner_level": "village", "owner_name": "戴家庄村",
         "keeper": "戴家庄村委会"},
        {"name": "村道 1.2公里", "value_fen": 10_000_000, "owner_level": "village", "owner_name": "戴家庄村",
         "keeper": "戴家庄村委会"}]})
    assets = {a.name: a for a in Asset.objects.all()}
    assert assets["光伏电站 100kW"].kind == "pv_station" and assets["光伏电站 100kW"].asset_class == AssetClass.OPERATING
    assert assets["村道 1.2公里"].kind == "road" and assets["村道 1.2公里"].asset_class == AssetClass.PUBLIC
    assert {a.handover_item_id for a in assets.values()} == set(HandoverItem.objects.values_list("pk", flat=True))
    assert all(a.project_id == project.pk and a.region_code == "370215010001" for a in assets.values())
