"""Every write to the asset register: assets by hand and from a project's handover, inspections
with photos and findings (phone forms, stored once per client id), fixes and the escalation of
overdue ones, income and costs, distribution plans (the share rule, approval, publication) and
payouts (never above the share of the distributable income). Each writes in one transaction and
records history."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.assets import defaults, photos
from bangfu.assets.models import (
    COST_CATEGORIES,
    Asset,
    AssetClass,
    AssetKind,
    AssetSetting,
    DistributionPlan,
    Finding,
    IncomeCategory,
    IncomeEntry,
    Inspection,
    OwnerLevel,
    Payout,
    Photo,
    PlanStatus,
    Share,
)
from bangfu.core.codes import COUNTY_LENGTH, Level, level_of, township_of
from bangfu.core.dates import local_today
from bangfu.core.idempotency import create_once, replayed
from bangfu.core.permissions import Role, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.notify.services import message_enqueue
from bangfu.regions.models import Region


class StateRefused(Exception):
    """A step the record's state does not allow now (409), with the reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


# --- settings ----------------------------------------------------------------------------------

def county_of(code: str) -> str:
    return code[:COUNTY_LENGTH]


def setting_for(code: str) -> AssetSetting | None:
    return AssetSetting.objects.filter(county_id=county_of(code)).first()


def interval_days(kind: str, code: str, *, setting: AssetSetting | None = None) -> int:
    setting = setting if setting is not None else setting_for(code)
    if setting and kind in (setting.intervals or {}):
        return int(setting.intervals[kind])
    return defaults.INTERVAL_DAYS.get(kind, defaults.INTERVAL_DAYS["other"])


def welfare_min_percent(code: str) -> int:
    setting = setting_for(code)
    return setting.welfare_min_percent if setting else defaults.WELFARE_MIN_PERCENT


@transaction.atomic
def asset_setting_set(*, county: Region, welfare_min_percent: int, intervals: dict[str, int], actor: User) -> AssetSetting:
    require(actor, "asset.settings")
    if actor.role != Role.ADMIN and actor.region_id != county.code:
        raise Http404("no such county")
    unknown = [kind for kind in intervals if kind not in AssetKind.values]
    if unknown:
        raise ValidationError({"intervals": _("No asset kind “%(kind)s”.") % {"kind": unknown[0]}})
    setting, created = AssetSetting.objects.select_for_update().get_or_create(
        county=county, defaults={"welfare_min_percent": welfare_min_percent, "intervals": intervals})
    before = None if created else {"welfare_min_percent": setting.welfare_min_percent, "intervals": setting.intervals}
    setting.welfare_min_percent = welfare_min_percent
    setting.intervals = intervals
    setting.save()
    record(actor, Action.CREATE if created else Action.UPDATE, setting, before=before,
           after={"welfare_min_percent": welfare_min_percent, "intervals": intervals})
    return setting


# --- assets ------------------------------------------------------------------------------------

def asset_snapshot(asset: Asset) -> dict[str, Any]:
    return {
        "name": asset.name, "asset_class": asset.asset_class, "kind": asset.kind, "value_fen": asset.value_fen,
        "owner_level": asset.owner_level, "owner_code": asset.owner_code, "owner_name": asset.owner_name,
        "household": asset.household_id, "keeper": asset.keeper, "inspector": asset.inspector_id,
        "village": asset.region_code, "location": asset.location, "project": asset.project_id,
    }


def owner_code_for(level: str, village_code: str) -> str:
    if level == OwnerLevel.COUNTY:
        return county_of(village_code)
    if level == OwnerLevel.TOWNSHIP:
        return township_of(village_code)
    return village_code


def _check_inspector(inspector: User | None, village_code: str) -> None:
    if inspector is None:
        return
    if inspector.role not in (Role.VILLAGE, Role.CASEWORKER) or not inspector.region_id \
            or not village_code.startswith(inspector.region_id):
        raise ValidationError({"inspector": _("The inspector is a village cadre or caseworker of the asset's village.")})


@transaction.atomic
def asset_create(*, name: str, asset_class: str, kind: str, village: Region, value_fen: int, owner_level: str,
                 owner_name: str, keeper: str, actor: User, location: str = "", household=None,
                 inspector: User | None = None, project=None, handover_item=None, check_scope: bool = True) -> Asset:
    require(actor, "asset.manage")
    if level_of(village.code) != Level.VILLAGE:
        raise ValidationError({"village": _("Choose a village.")})
    if check_scope and actor.role != Role.ADMIN and not (actor.region_id and village.code.startswith(actor.region_id)):
        raise ValidationError({"village": _("No such village in your area.")})
    if owner_level == OwnerLevel.HOUSEHOLD:
        if household is None:
            raise ValidationError({"household": _("Name the household that owns it.")})
        if household.region_id != village.code:
            raise ValidationError({"household": _("The household is not of this village.")})
    elif household is not None:
        household = None
    _check_inspector(inspector, village.code)
    asset = Asset.objects.create(
        name=name, asset_class=asset_class, kind=kind, village=village, region_code=village.code,
        value_fen=value_fen, owner_level=owner_level, owner_code=owner_code_for(owner_level, village.code),
        owner_name=owner_name, household=household, keeper=keeper, inspector=inspector, location=location,
        project=project, handover_item=handover_item, created_by=actor, created_at=timezone.now())
    record(actor, Action.CREATE, asset, after=asset_snapshot(asset),
           message=_("From the project's handover") if handover_item else "")
    return asset


@transaction.atomic
def asset_edit(*, asset: Asset, actor: User, keeper: str, inspector: User | None, location: str,
               value_fen: int) -> Asset:
    require(actor, "asset.manage")
    current = Asset.objects.visible_to(actor).select_for_update().filter(pk=asset.pk).first()
    if current is None:
        raise Http404("no such asset")
    _check_inspector(inspector, current.region_code)
    before = asset_snapshot(current)
    current.keeper, current.inspector, current.location, current.value_fen = keeper, inspector, location, value_fen
    current.save(update_fields=["keeper", "inspector", "location", "value_fen"])
    record(actor, Action.UPDATE, current, before=before, after=asset_snapshot(current))
    return current


KIND_WORDS = (("光伏", AssetKind.PV_STATION), ("大棚", AssetKind.GREENHOUSE), ("温室", AssetKind.GREENHOUSE),
              ("车间", AssetKind.WORKSHOP), ("路", AssetKind.ROAD), ("村道", AssetKind.ROAD), ("桥", AssetKind.ROAD),
              ("水", AssetKind.WATER))


def kind_from_name(name: str) -> str:
    return next((kind for word, kind in KIND_WORDS if word in name), AssetKind.OTHER)


def class_for(kind: str, owner_level: str) -> str:
    if owner_level == OwnerLevel.HOUSEHOLD:
        return AssetClass.HOUSEHOLD
    if kind in (AssetKind.PV_STATION, AssetKind.GREENHOUSE, AssetKind.WORKSHOP):
        return AssetClass.OPERATING
    return AssetClass.PUBLIC


def assets_from_handover(*, project, items, actor: User) -> list[Asset]:
    """The project's handed-over items as assets, in the project's handover transaction (projects
    calls this through `declared("project_handover_steps")`): one asset per item, in the project's
    first village (its own, for a village's project), kind and class guessed from the item's name
    and owner and corrected on the asset's page. An item registered already is left alone."""
    village_codes = [row.region_code for row in project.village_rows.all()]
    if level_of(project.region_code) == Level.VILLAGE:
        village_codes.insert(0, project.region_code)
    if not village_codes:
        return []
    village = Region.objects.get(code=village_codes[0])
    made = []
    for item in items:
        if Asset.objects.filter(handover_item=item).exists():
            continue
        kind = kind_from_name(item.name)
        owner_level = item.owner_level if item.owner_level != OwnerLevel.HOUSEHOLD else OwnerLevel.VILLAGE
        made.append(asset_create(
            name=item.name, asset_class=class_for(kind, item.owner_level), kind=kind, village=village,
            value_fen=item.value_fen, owner_level=owner_level, owner_name=item.owner_name, keeper=item.keeper,
            project=project, handover_item=item, actor=actor, check_scope=False))
    return made


def _asset_for(actor: User, asset: Asset, *, lock: bool = False) -> Asset:
    rows = Asset.objects.visible_to(actor)
    if lock:
        rows = rows.select_for_update()
    current = rows.filter(pk=asset.pk).first()
    if current is None:
        raise Http404("no such asset")
    return current


# --- inspections -------------------------------------------------------------------------------

@dataclass(frozen=True)
class InspectionData:
    day: dt.date
    checklist: dict[str, Any]
    note: str = ""
    finding: str = ""
    fix_by: dt.date | None = None


def inspection_payload(data: InspectionData, photo_hashes: list[str]) -> dict[str, Any]:
    return {"day": data.day, "checklist": data.checklist, "note": data.note, "finding": data.finding,
            "fix_by": data.fix_by, "photos": photo_hashes}


def checklist_clean(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The checklist's answers for the kind: each yes/no a bool, each reading a number or absent."""
    clean: dict[str, Any] = {}
    for key, _label, type_ in defaults.CHECKLISTS.get(kind, defaults.CHECKLISTS["other"]):
        value = values.get(key)
        if type_ == defaults.CHECK:
            clean[key] = bool(value)
        elif value not in (None, ""):
            clean[key] = value if isinstance(value, (int, float)) else float(value)
    return clean


def inspection_create(*, asset: Asset, data: InspectionData, client_id: uuid.UUID | str, actor: User,
                      uploads=()) -> tuple[Inspection, bool]:
    """One inspection, once per client id (the same id with another body, photos' bytes included:
    409). A finding opens a fix due by `fix_by` (FIX_DAYS from the day by default)."""
    require(actor, "asset.inspect")
    uploads = list(uploads)
    if len(uploads) > defaults.PHOTOS_MAX:
        raise ValidationError({"photos": _("At most %(count)s photos an inspection.") % {"count": defaults.PHOTOS_MAX}})
    hashes = [photos.file_digest(upload) for upload in uploads]
    payload = inspection_payload(data, hashes)
    existing = replayed(Inspection, client_id=client_id, payload=payload)
    if existing is not None:
        if existing.asset_id != asset.pk:
            raise Http404("no such asset")
        _asset_for(actor, existing.asset)
        return existing, False
    prepared = [photos.photo_prepare(upload) for upload in uploads]
    today = local_today()
    if data.day > today:
        raise ValidationError({"day": _("The inspection day cannot be after today.")})
    if data.fix_by is not None and data.fix_by < data.day:
        raise ValidationError({"fix_by": _("The fix-by day cannot be before the inspection.")})
    if data.fix_by is not None and not data.finding:
        raise ValidationError({"finding": _("Say what is to be fixed.")})

    with transaction.atomic():
        current = _asset_for(actor, asset)
        checklist = checklist_clean(current.kind, data.checklist)

        def create() -> Inspection:
            inspection = Inspection.objects.create(
                client_id=client_id, asset=current, day=data.day, checklist=checklist, note=data.note,
                inspector=actor, recorded_at=timezone.now())
            for item in prepared:
                Photo.objects.create(inspection=inspection, path=photos.photo_save(item, asset_id=current.pk),
                                     width=item.width, height=item.height, size=len(item.data), sha256=item.sha256)
            after = {"day": data.day.isoformat(), "checklist": checklist, "note": data.note, "photos": len(prepared)}
            if data.finding:
                finding = Finding.objects.create(
                    inspection=inspection, asset=current, region_code=current.region_code, text=data.finding,
                    fix_by=data.fix_by or data.day + dt.timedelta(days=defaults.FIX_DAYS))
                after.update(finding=finding.text, fix_by=finding.fix_by.isoformat())
            record(actor, Action.CREATE, inspection, after=after, message=_("Inspection"))
            return inspection

        return create_once(Inspection, client_id=client_id, create=create, payload=payload)


@transaction.atomic
def finding_fix(*, finding: Finding, fixed_on: dt.date, note: str, actor: User) -> Finding:
    """Close a finding as fixed (once: a second close changes nothing)."""
    require(actor, "asset.fix")
    current = Finding.objects.select_for_update().filter(pk=finding.pk, asset__in=Asset.objects.visible_to(actor)).first()
    if current is None:
        raise Http404("no such finding")
    if current.fixed_on is not None:
        return current
    if fixed_on > local_today():
        raise ValidationError({"fixed_on": _("The day fixed cannot be after today.")})
    if fixed_on < current.inspection.day:
        raise ValidationError({"fixed_on": _("The day fixed cannot be before the inspection.")})
    if not note:
        raise ValidationError({"note": _("Say how it was fixed.")})
    current.fixed_on, current.fix_note, current.fixed_by = fixed_on, note, actor
    current.save(update_fields=["fixed_on", "fix_note", "fixed_by"])
    record(actor, Action.UPDATE, current, before={"fixed_on": None, "fix_note": ""},
           after={"fixed_on": fixed_on.isoformat(), "fix_note": note}, message=_("Fixed"))
    return current


def findings_escalate(*, today: dt.date | None = None) -> int:
    """Each finding past its fix-by day and not fixed goes to the township office once (escalated_at
    set by compare-and-set, so however often this runs). Returns how many it escalated."""
    today = today or local_today()
    now = timezone.now()
    count = 0
    for finding in Finding.objects.filter(fixed_on__isnull=True, fix_by__lt=today, escalated_at__isnull=True) \
            .select_related("asset").order_by("fix_by", "pk"):
        with transaction.atomic():
            if not Finding.objects.filter(pk=finding.pk, escalated_at__isnull=True, fixed_on__isnull=True) \
                    .update(escalated_at=now):
                continue
            message_enqueue(
                kind="asset.fix_overdue", dedupe_key=f"asset-fix-overdue:{finding.pk}",
                subject=_("Fix overdue: %(asset)s") % {"asset": finding.asset.name},
                body=_("“%(finding)s”, to be fixed by %(fix_by)s.") % {
                    "finding": finding.text, "fix_by": finding.fix_by.isoformat()},
                link=reverse("assets:detail", args=[finding.asset_id]),
                role=Role.TOWNSHIP_OFFICE, region_code=township_of(finding.region_code))
            record(None, Action.UPDATE, finding, before={"escalated_at": None},
                   after={"escalated_at": now.isoformat()}, message=_("Overdue: escalated"))
            count += 1
    return count


# --- income, plans, payouts --------------------------------------------------------------------

def income_record(*, asset: Asset, month: dt.date, category: str, amount_fen: int, note: str,
                  client_id: uuid.UUID | str, actor: User) -> tuple[IncomeEntry, bool]:
    require(actor, "asset.income")
    month = month.replace(day=1)
    payload = {"month": month, "category": category, "amount_fen": amount_fen, "note": note}
    existing = replayed(IncomeEntry, client_id=client_id, payload=payload)
    if existing is not None:
        if existing.asset_id != asset.pk:
            raise Http404("no such asset")
        _asset_for(actor, existing.asset)
        return existing, False
    if category not in IncomeCategory.values:
        raise ValidationError({"category": _("Choose an item.")})
    if amount_fen <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if month > local_today():
        raise ValidationError({"month": _("The month cannot be after this one.")})
    with transaction.atomic():
        current = _asset_for(actor, asset)

        def create() -> IncomeEntry:
            entry = IncomeEntry.objects.create(
                client_id=client_id, asset=current, month=month, category=category, amount_fen=amount_fen, note=note,
                recorded_by=actor, recorded_at=timezone.now())
            record(actor, Action.CREATE, entry, after={"month": month.isoformat()[:7], "category": category,
                                                        "amount_fen": amount_fen, "note": note})
            return entry

        return create_once(IncomeEntry, client_id=client_id, create=create, payload=payload)


@dataclass(frozen=True)
class YearMoney:
    income: int
    costs: int

    @property
    def distributable(self) -> int:
        return max(self.income - self.costs, 0)


def year_money(asset: Asset, year: int) -> YearMoney:
    rows = IncomeEntry.objects.filter(asset=asset, month__year=year).values("category").annotate(total=Sum("amount_fen"))
    income = sum(r["total"] for r in rows if r["category"] not in COST_CATEGORIES)
    costs = sum(r["total"] for r in rows if r["category"] in COST_CATEGORIES)
    return YearMoney(income=income, costs=costs)


def share_rule_check(*, code: str, shares: dict[str, int]) -> None:
    """The shares add up to 100, and the public-welfare post pay is at least the county's least share."""
    total = sum(shares.values())
    if total != 100:
        raise ValidationError({"welfare_percent": _("The shares add up to %(total)s%%, not 100%%.") % {"total": total}})
    least = welfare_min_percent(code)
    if shares[Share.WELFARE] < least:
        raise ValidationError({"welfare_percent": _(
            "At least %(least)s%% goes to public-welfare post pay (the county's rule); this plan gives %(given)s%%.") % {
            "least": least, "given": shares[Share.WELFARE]}})


@transaction.atomic
def plan_create(*, asset: Asset, year: int, shares: dict[str, int], meeting: str, actor: User) -> DistributionPlan:
    """Draft (or redraft, while not approved) an asset's plan for a year."""
    require(actor, "asset.plan")
    current = _asset_for(actor, asset, lock=True)
    shares = {share: int(shares.get(share) or 0) for share in Share.values}
    share_rule_check(code=current.region_code, shares=shares)
    plan = DistributionPlan.objects.filter(asset=current, year=year).first()
    fields = {f"{share}_percent": value for share, value in shares.items()}
    if plan is None:
        plan = DistributionPlan.objects.create(asset=current, year=year, meeting=meeting, created_by=actor, **fields)
        record(actor, Action.CREATE, plan, after={"year": year, "meeting": meeting, **fields, "status": plan.status})
        return plan
    if plan.status != PlanStatus.DRAFT:
        raise StateRefused(_("The %(year)s plan is approved already: it is not changed.") % {"year": year})
    before = {**{f"{s}_percent": plan.percent(s) for s in Share.values}, "meeting": plan.meeting}
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.meeting = meeting
    plan.save()
    record(actor, Action.UPDATE, plan, before=before, after={**fields, "meeting": meeting})
    return plan


def _plan_for(actor: User, plan: DistributionPlan) -> DistributionPlan:
    current = DistributionPlan.objects.select_for_update().filter(
        pk=plan.pk, asset__in=Asset.objects.visible_to(actor)).first()
    if current is None:
        raise Http404("no such plan")
    return current


@transaction.atomic
def plan_approve(*, plan: DistributionPlan, actor: User) -> DistributionPlan:
    require(actor, "asset.approve")
    current = _plan_for(actor, plan)
    if current.status != PlanStatus.DRAFT:
        raise StateRefused(_("This plan is “%(status)s” already.") % {"status": current.get_status_display()})
    share_rule_check(code=current.asset.region_code,
                     shares={share: current.percent(share) for share in Share.values})
    current.status, current.approved_by, current.approved_at = PlanStatus.APPROVED, actor, timezone.now()
    current.save(update_fields=["status", "approved_by", "approved_at"])
    record(actor, Action.UPDATE, current, before={"status": PlanStatus.DRAFT}, after={"status": current.status},
           message=_("Approved"))
    return current


@transaction.atomic
def plan_publish(*, plan: DistributionPlan, actor: User) -> DistributionPlan:
    require(actor, "asset.plan")
    current = _plan_for(actor, plan)
    if current.status != PlanStatus.APPROVED:
        raise StateRefused(_("Only an approved plan is published; this one is “%(status)s”.") % {
            "status": current.get_status_display()})
    current.status, current.published_on = PlanStatus.PUBLISHED, local_today()
    current.save(update_fields=["status", "published_on"])
    record(actor, Action.UPDATE, current, before={"status": PlanStatus.APPROVED}, after={"status": current.status},
           message=_("Published"))
    return current


def share_paid(plan: DistributionPlan) -> dict[str, int]:
    paid = {share: 0 for share in Share.values}
    for row in plan.payouts.values("share").annotate(total=Sum("amount_fen")):
        paid[row["share"]] = row["total"]
    return paid


def payout_record(*, plan: DistributionPlan, share: str, amount_fen: int, day: dt.date, payee: str,
                  client_id: uuid.UUID | str, actor: User) -> tuple[Payout, bool]:
    """Pay out of a published plan's share, once per client id; never above that share of the year's
    distributable income (the asset's row is locked, so two payouts at once are counted in turn)."""
    require(actor, "asset.income")
    payload = {"share": share, "amount_fen": amount_fen, "day": day, "payee": payee}
    existing = replayed(Payout, client_id=client_id, payload=payload)
    if existing is not None:
        if existing.plan_id != plan.pk:
            raise Http404("no such plan")
        _asset_for(actor, existing.plan.asset)
        return existing, False
    if share not in Share.values:
        raise ValidationError({"share": _("Choose a share.")})
    if amount_fen <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    with transaction.atomic():
        asset = _asset_for(actor, plan.asset, lock=True)
        current = DistributionPlan.objects.get(pk=plan.pk)
        if current.status != PlanStatus.PUBLISHED:
            raise StateRefused(_("Payouts follow a published plan; this one is “%(status)s”.") % {
                "status": current.get_status_display()})
        money = year_money(asset, current.year)
        cap = money.distributable * current.percent(share) // 100
        paid = share_paid(current)[share]
        if paid + amount_fen > cap:
            raise ValidationError({"amount": _(
                "Only %(left)s yuan of the %(share)s share remain (%(percent)s%% of %(distributable)s yuan "
                "distributable, %(paid)s paid).") % {
                "left": yuan(max(cap - paid, 0)), "share": Share(share).label, "percent": current.percent(share),
                "distributable": yuan(money.distributable), "paid": yuan(paid)}})

        def create() -> Payout:
            payout = Payout.objects.create(client_id=client_id, plan=current, share=share, amount_fen=amount_fen,
                                           day=day, payee=payee, recorded_by=actor, recorded_at=timezone.now())
            record(actor, Action.CREATE, payout, after={"share": share, "amount_fen": amount_fen,
                                                         "day": day.isoformat(), "payee": payee})
            return payout

        return create_once(Payout, client_id=client_id, create=create, payload=payload)
