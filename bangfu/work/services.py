"""Every write of the work app: monthly statuses (one at a time, a village's grid, an import),
back-to-work drives and their outcomes, the county's subsidy amounts, the township's subsidy
lists and the county's approval. Each checks the role, then the scope, in one transaction, with
history."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import crypto
from bangfu.core.codes import COUNTY_LENGTH, Level, prefix_q
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import can, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households import identity
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region
from bangfu.work.areas import ACTIVITY_SHORT, AREA_SHORT, area_of
from bangfu.work.forms import StatusImportForm, month_start
from bangfu.work.labour import ABLE, _birth_window, is_labourer, labourers
from bangfu.work.models import (
    AT_WORK,
    Activity,
    Area,
    Drive,
    DriveTargetRule,
    LabourStatus,
    ListStatus,
    Outcome,
    Placement,
    Source,
    SubsidyList,
    SubsidyPayment,
    SubsidyRate,
)

STATUS_FIELDS = ("activity", "reason", "place_code", "place_name", "area", "employer", "job", "wage_fen",
                 "started_on")
SUBSIDISED = (Area.OUTSIDE_PROVINCE, Area.OUTSIDE_CITY, Area.OUTSIDE_COUNTY)


def _day(value) -> str | None:
    return value.isoformat() if value else None


def status_snapshot(status: LabourStatus) -> dict[str, Any]:
    return {"member": status.member_id, "month": status.month.strftime("%Y-%m"), "activity": status.activity,
            "reason": status.reason, "place_code": status.place_code, "place_name": status.place_name,
            "area": status.area, "employer": status.employer, "job": status.job, "wage_fen": status.wage_fen,
            "started_on": _day(status.started_on), "source": status.source}


def drive_snapshot(drive: Drive) -> dict[str, Any]:
    return {"title": drive.title, "region": drive.region_code, "start": _day(drive.start), "end": _day(drive.end),
            "rule": drive.rule}


def placement_snapshot(target: Placement) -> dict[str, Any]:
    return {"drive": target.drive_id, "member": target.member_id, "outcome": target.outcome,
            "returned_on": _day(target.returned_on), "place_code": target.place_code,
            "place_name": target.place_name, "area": target.area, "reason": target.reason,
            "transport": target.transport, "subsidy_fen": target.subsidy_fen}


def rate_snapshot(rate: SubsidyRate) -> dict[str, Any]:
    return {"county": rate.county_id, "area": rate.area, "amount_fen": rate.amount_fen}


def list_snapshot(subsidy_list: SubsidyList) -> dict[str, Any]:
    return {"region": subsidy_list.region_code, "year": subsidy_list.year, "status": subsidy_list.status,
            "approved_by": subsidy_list.approved_by_id}


def payment_snapshot(payment: SubsidyPayment) -> dict[str, Any]:
    return {"list": payment.subsidy_list_id, "member": payment.member_id, "year": payment.year,
            "area": payment.area, "amount_fen": payment.amount_fen,
            "account": identity.mask_id(payment.account) if payment.account_tail else ""}


# --- monthly statuses ---------------------------------------------------------------------------

def _member_in_scope(actor: User, member: Member) -> Member:
    found = (Member.objects.select_related("household__region")
             .filter(pk=member.pk, household__in=Household.objects.visible_to(actor)).first())
    if found is None:
        raise Http404("no such member")
    return found


def _status_values(member: Member, data: dict[str, Any]) -> dict[str, Any]:
    household = member.household
    return _status_values_at(household.region_code, lambda: household.region.name, data)


def _status_values_at(home: str, home_name, data: dict[str, Any]) -> dict[str, Any]:
    """The status's values for a labourer living in `home` (`home_name()`: its name)."""
    place = data.get("place_code") or ""
    activity = data["activity"]
    place_name = data.get("place_name") or ""
    if not place and activity in (Activity.NEARBY, Activity.SELF_EMPLOYED):
        # Nearby with no place said: at home.
        place, place_name = home, place_name or home_name()
    return {
        "activity": activity, "reason": data.get("reason") or "", "place_code": place,
        "place_name": place_name,
        "area": area_of(place, home) if place else "",
        "employer": data.get("employer") or "", "job": data.get("job") or "", "wage_fen": data.get("wage"),
        "started_on": data.get("started_on"),
    }


def _status_write(*, member: Member, data: dict[str, Any], source: str, actor: User, client_id=None,
                  contact=None) -> tuple[LabourStatus, bool]:
    """Create or update the member's status for the month (the caller checked role and scope)."""
    if not is_labourer(member):
        raise ValidationError({"member": [_("%(name)s is not of working age with labour ability.")
                                          % {"name": member.name}]})
    month = month_start(data["month"])
    values = _status_values(member, data)
    existing = LabourStatus.objects.select_for_update().filter(member=member, month=month).first()
    if existing is None:
        def create() -> LabourStatus:
            status = LabourStatus.objects.create(
                member=member, household=member.household, region_code=member.household.region_code, month=month,
                source=source, contact=contact, client_id=client_id or None, recorded_by=actor,
                recorded_at=timezone.now(), **values)
            record(actor, Action.CREATE, status)
            return status

        if client_id:
            return create_once(LabourStatus, client_id=str(client_id), create=create)
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:  # another hand recorded the month meanwhile: update theirs
            existing = LabourStatus.objects.select_for_update().get(member=member, month=month)
    before = status_snapshot(existing)
    for key, value in values.items():
        setattr(existing, key, value)
    existing.source, existing.recorded_by, existing.recorded_at = source, actor, timezone.now()
    if contact is not None:
        existing.contact = contact
    existing.version = F("version") + 1
    existing.save()
    existing.refresh_from_db()
    record(actor, Action.UPDATE, existing, before=before)
    return existing, False


@transaction.atomic
def status_record(*, member: Member, data: dict[str, Any], actor: User, source: str = Source.API,
                  client_id=None, contact=None) -> tuple[LabourStatus, bool]:
    """Record a labourer's status for a month (`data`: a StatusForm's cleaned data). A second record
    for the same month changes the first; a retry with the same client id answers the first.
    Returns (status, created)."""
    require(actor, "labour.record")
    if client_id:
        earlier = LabourStatus.objects.filter(client_id=str(client_id)).first()
        if earlier is not None:
            if not LabourStatus.objects.visible_to(actor).filter(pk=earlier.pk).exists():
                raise ValidationError({"client_id": [_("This client id was used for another record.")]})
            return earlier, False
    member = _member_in_scope(actor, member)
    return _status_write(member=member, data=data, source=source, actor=actor, client_id=client_id,
                         contact=contact)


@transaction.atomic
def statuses_grid_save(*, village: Region, month: dt.date, rows: list[tuple[Member, dict[str, Any]]],
                       actor: User) -> int:
    """The office's statuses of a village's labourers for a month, all or none (`rows`: each member
    with a StatusForm's cleaned data). Returns how many were recorded."""
    require(actor, "labour.bulk")
    if village.level != Level.VILLAGE or not _can_see_area(actor, village.code):
        raise Http404("no such village")
    allowed = set(labourers(actor, village_code=village.code).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    for member, _data in rows:
        if member.pk not in allowed:
            errors[f"m{member.pk}.member"] = [_("%(name)s is not a labourer of this village.") % {"name": member.name}]
    if errors:
        raise ValidationError(errors)
    for member, data in rows:
        _status_write(member=member, data={**data, "month": month}, source=Source.GRID, actor=actor)
    return len(rows)


def _can_see_area(actor: User, code: str) -> bool:
    from bangfu.core.permissions import Role

    return actor.role == Role.ADMIN or (bool(actor.region_id) and code.startswith(actor.region_id))


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    changed: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, message


# The sheet's headers (spaces ignored) for each field of StatusImportForm.
IMPORT_HEADERS = {
    "id_number": ("证件号码", "身份证号", "身份证号码"),
    "month": ("月份", "统计月份"),
    "activity": ("就业状态", "就业类型", "务工状况"),
    "reason": ("原因", "未就业原因", "无法外出原因"),
    "place_code": ("务工地点代码", "地点代码", "区划代码"),
    "place_name": ("务工地点", "地点"),
    "employer": ("单位", "企业名称", "务工单位"),
    "job": ("岗位", "岗位名称", "工种"),
    "wage": ("月工资", "月收入", "月工资(元)", "月工资（元）"),
    "started_on": ("务工时间", "开始时间", "开始日期"),
}
IMPORT_COLUMN = {key: names[0] for key, names in IMPORT_HEADERS.items()}
ACTIVITY_BY_LABEL = {**{short: value for value, short in ACTIVITY_SHORT.items()},
                     **{value: value for value in Activity.values}}
MAX_IMPORT_ROWS = 20000


def _cell(value: Any) -> str:
    from bangfu.imports import columns as cols

    if cols.is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def sheet_rows(source, *, headers: dict[str, Any], required: set[str], first: str, missing: str,
               ) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str, str]]]:
    """A sheet's rows as {key: text} under the first header row (within the first rows) that names every
    `required` column (`headers`: key -> the names a column may have), or the problems as (row, column,
    message), reported on the column `first`; `missing` says which headers were looked for."""
    from bangfu.imports.readers import HEADER_SCAN_ROWS, FileError, first_sheet

    column = {key: names[0] for key, names in headers.items()}[first]
    try:
        rows = first_sheet(source).rows()
        header = None
        for count, (_number, values) in enumerate(rows):
            if count >= HEADER_SCAN_ROWS:
                break
            keys = {}
            for index, text in enumerate(values):
                plain = "".join(_cell(text).split())
                key = next((k for k, names in headers.items() if plain in names), None)
                if key:
                    keys[index] = key
            if required <= set(keys.values()):
                header = keys
                break
        if header is None:
            return [], [(1, column, _("No header row found: none of the first %(n)d rows holds %(names)s.")
                         % {"n": HEADER_SCAN_ROWS, "names": missing})]
        found = []
        for number, values in rows:
            cells = {key: _cell(values[index]) if index < len(values) else "" for index, key in header.items()}
            if not any(cells.values()):
                continue
            if len(found) >= MAX_IMPORT_ROWS:
                return [], [(number, column, _("More than %(n)d rows: split the sheet.") % {"n": MAX_IMPORT_ROWS})]
            found.append((number, cells))
    except FileError as error:
        return [], [(1, column, str(error.message))]
    return found, []


def _import_rows(source) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str, str]]]:
    return sheet_rows(source, headers=IMPORT_HEADERS, required={"id_number", "month", "activity"},
                      first="id_number", missing="证件号码、月份、就业状态")


class _DryRun(Exception):
    pass


def statuses_import(*, source: str | IO[bytes], actor: User, dry_run: bool = False) -> ImportResult:
    """A sheet of monthly statuses (证件号码, 月份, 就业状态, …), each row bound to StatusImportForm;
    all rows or none, the errors as (row, column, message). A dry run is the same, rolled back."""
    require(actor, "labour.import")
    result = ImportResult()
    rows, problems = _import_rows(source)
    if problems:
        result.errors = problems
        return result
    result.rows = len(rows)
    try:
        with transaction.atomic():
            _import_all(rows, actor, result)
            if result.errors or dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if result.errors:
        result.created = result.changed = 0
    return result


def _import_all(rows, actor: User, result: ImportResult) -> None:
    """Every row checked (its fields, its ID number, a member of the actor's area of working age
    with labour ability); with no error, the new months written in bulk and the months recorded
    before updated, each with its history row, as _status_write would one at a time."""
    visible = Household.objects.visible_to(actor)
    seen: dict[tuple[str, str], int] = {}
    checked: list[tuple[int, dict[str, Any], str]] = []
    # One form bound to each row in turn: a new form per row deep-copies its fields, which cost
    # more than checking the row.
    form = StatusImportForm({})
    for number, cells in rows:
        cells = {**cells, "activity": ACTIVITY_BY_LABEL.get(cells.get("activity", ""), cells.get("activity", ""))}
        form.data, form._errors = cells, None
        if not form.is_valid():
            for key, messages in form.errors.items():
                column = IMPORT_COLUMN.get(key, IMPORT_COLUMN["activity"])
                result.errors.extend((number, column, str(m)) for m in messages)
            continue
        data = dict(form.cleaned_data)
        try:
            parsed = identity.parse_id_number(data["id_number"], allow_disability=False)
        except identity.IdentityError as error:
            result.errors.append((number, IMPORT_COLUMN["id_number"], str(error)))
            continue
        key = (parsed.base, data["month"].isoformat())
        if key in seen:
            result.errors.append((number, IMPORT_COLUMN["id_number"],
                                  _("The same person and month as row %(row)d.") % {"row": seen[key]}))
            continue
        seen[key] = number
        checked.append((number, data, crypto.keyed_hash(parsed.base)))
    # The members as plain rows (id, name, skill, birth, household, home, home's name): thousands of
    # them, never model objects.
    members: dict[str, tuple] = {}
    hashes = sorted({h for _n, _d, h in checked})
    for at in range(0, len(hashes), IMPORT_CHUNK):
        for hashed, *row in (Member.objects.filter(id_hash__in=hashes[at:at + IMPORT_CHUNK], household__in=visible)
                             .values_list("id_hash", "pk", "name", "labor_skill", "birth_date", "household_id",
                                          "household__region_code", "household__region__name")):
            members[hashed] = tuple(row)
    first, last = _birth_window(local_today())
    todo: list[tuple[tuple, dict[str, Any]]] = []
    for number, data, hashed in checked:
        member = members.get(hashed)
        if member is None:
            result.errors.append((number, IMPORT_COLUMN["id_number"], _("No member of your area has this ID number.")))
        elif not (member[2] in ABLE and first <= member[3] <= last):  # labour.is_labourer
            result.errors.append((number, IMPORT_COLUMN["id_number"],
                                  _("%(name)s is not of working age with labour ability.") % {"name": member[1]}))
        else:
            todo.append((member, data))
    if result.errors:
        return
    _statuses_write_bulk(todo, actor, result)


IMPORT_CHUNK = 2000
STATUS_UPDATED = (*STATUS_FIELDS, "source", "recorded_by", "recorded_at", "version")


def _statuses_write_bulk(todo: list[tuple[tuple, dict[str, Any]]], actor: User, result: ImportResult) -> None:
    """`todo`: (the member's row as _import_all reads it, the row's cleaned data)."""
    from bangfu.core import bulk
    from bangfu.history.services import changes_bulk_insert, diff

    tracked = LabourStatus.history
    months = sorted({month_start(data["month"]) for _m, data in todo})
    ids = sorted({member[0] for member, _d in todo})
    existing: dict[tuple[int, dt.date], LabourStatus] = {}
    for at in range(0, len(ids), IMPORT_CHUNK):
        for status in (LabourStatus.objects.select_for_update()
                       .filter(member_id__in=ids[at:at + IMPORT_CHUNK], month__in=months)):
            existing[(status.member_id, status.month)] = status
    now = timezone.now()
    new: list[LabourStatus] = []
    history: list[tuple] = []
    updated: list[LabourStatus] = []
    names: dict[int, str] = {}
    for (pk, name, _skill, _birth, household_id, home, home_name), data in todo:
        month = month_start(data["month"])
        names[pk] = name
        values = _status_values_at(home, lambda home_name=home_name: home_name, data)
        found = existing.get((pk, month))
        if found is None:
            new.append(LabourStatus(member_id=pk, household_id=household_id, region_code=home, month=month,
                                    source=Source.IMPORT, recorded_by=actor, recorded_at=now, **values))
            continue
        before = status_snapshot(found)
        for key, value in values.items():
            setattr(found, key, value)
        found.source, found.recorded_by, found.recorded_at, found.version = Source.IMPORT, actor, now, found.version + 1
        updated.append(found)
        before, after = diff(before, status_snapshot(found), keep=tracked.always)
        if before or after:
            history.append((Action.UPDATE, tracked.type, found.pk, f"{name} {month:%Y-%m}"[:200], household_id,
                            found.region_code, before, after))
    bulk.insert(LabourStatus, new)
    for status in new:
        history.append((Action.CREATE, tracked.type, status.pk, f"{names[status.member_id]} {status.month:%Y-%m}"[:200],
                        status.household_id, status.region_code, None, status_snapshot(status)))
    if updated:
        LabourStatus.objects.bulk_update(updated, STATUS_UPDATED, batch_size=IMPORT_CHUNK)
    changes_bulk_insert(actor=actor, message="", rows=history)
    result.created += len(new)
    result.changed += len(updated)


# --- back-to-work drives -----------------------------------------------------------------------

def drive_candidates(*, township_code: str, rule: str, start: dt.date):
    """The labourers a drive targets: of the township, of working age with labour ability, and by
    its rule: those with a month 外出务工 in the year before the drive starts whose latest status
    so far this year (if any) is not at work; or everyone whose latest status is not at work."""
    members = labourers(None, township_code=township_code, today=start)
    this_year = dt.date(start.year, 1, 1)
    at_work_now = (LabourStatus.objects.filter(prefix_q("region_code", township_code), month__gte=this_year,
                                               month__lte=start)
                   .order_by("member_id", "-month").values_list("member_id", "activity"))
    latest: dict[int, str] = {}
    for member_id, activity in at_work_now:
        latest.setdefault(member_id, activity)
    back = {m for m, activity in latest.items() if activity in AT_WORK}
    if rule == DriveTargetRule.MIGRANT_LAST_YEAR:
        away = set(LabourStatus.objects.filter(
            prefix_q("region_code", township_code), activity=Activity.MIGRANT,
            month__gte=dt.date(start.year - 1, 1, 1), month__lt=this_year).values_list("member_id", flat=True))
        return members.filter(pk__in=away - back)
    earlier = (LabourStatus.objects.filter(prefix_q("region_code", township_code), month__lte=start)
               .order_by("member_id", "-month").values_list("member_id", "activity"))
    last: dict[int, str] = {}
    for member_id, activity in earlier:
        last.setdefault(member_id, activity)
    return members.exclude(pk__in={m for m, activity in last.items() if activity in AT_WORK})


@transaction.atomic
def drive_create(*, township: Region, title: str, start: dt.date, end: dt.date, rule: str, actor: User) -> Drive:
    """A township's back-to-work drive, with its targets chosen by the rule as of its start."""
    require(actor, "drive.manage")
    if township.level != Level.TOWNSHIP or not _can_see_area(actor, township.code):
        raise ValidationError({"township": [_("Choose a township of your area.")]})
    if end < start:
        raise ValidationError({"end": [_("The end cannot be before the start.")]})
    if rule not in DriveTargetRule.values:
        raise ValidationError({"rule": [_("Select a valid choice.")]})
    drive = Drive.objects.create(title=title.strip(), region=township, region_code=township.code, start=start,
                                 end=end, rule=rule, created_by=actor, created_at=timezone.now())
    record(actor, Action.CREATE, drive)
    targets = [Placement(drive=drive, member=m, household_id=m.household_id, region_code=m.household.region_code)
               for m in drive_candidates(township_code=township.code, rule=rule, start=start)
               .select_related("household")]
    for target in Placement.objects.bulk_create(targets):
        record(actor, Action.CREATE, target)
    return drive


def subsidy_amounts(county_code: str) -> dict[str, int]:
    """The county's yearly subsidy by 地域, in fen: its own amounts, or the deployment's
    (settings.WORK_SUBSIDY_DEFAULT_FEN: 省外 500 / 省内市外 400 / 市内县外 300 yuan by default, one
    county's rule)."""
    amounts = {Area(area): fen for area, fen in settings.WORK_SUBSIDY_DEFAULT_FEN.items()}
    amounts.update(SubsidyRate.objects.filter(county_id=county_code).values_list("area", "amount_fen"))
    amounts[Area.IN_COUNTY] = 0
    return amounts


@transaction.atomic
def drive_outcome_record(*, target: Placement, data: dict[str, Any], actor: User,
                         version: int | None = None) -> Placement:
    """What became of a labourer a drive targets (`data`: an OutcomeForm's cleaned data). Back at
    work, the subsidy due is the county's amount for the 地域, and the month's status follows."""
    require(actor, "drive.record")
    target = Placement.objects.visible_to(actor).select_related("member__household", "drive").filter(
        pk=target.pk).select_for_update(of=("self",)).first()
    if target is None:
        raise Http404("no such labourer in this drive")
    home = target.member.household.region_code
    outcome = data["outcome"]
    place = data.get("place_code") or ""
    if outcome == Outcome.NEARBY and not place:
        place = home
    if version is not None and version != target.version:
        # The same outcome sent again (a phone's retry after its first send was stored): the row as it is.
        returned_on = data.get("returned_on") if outcome in (Outcome.RETURNED, Outcome.NEARBY) else None
        if (target.outcome, target.returned_on, target.place_code, target.reason, target.transport) == (
                outcome, returned_on, place, data.get("reason") or "", data.get("transport") or ""):
            return target
        raise ConflictError(target.version)
    before = placement_snapshot(target)
    target.outcome = outcome
    target.returned_on = data.get("returned_on") if outcome in (Outcome.RETURNED, Outcome.NEARBY) else None
    target.place_code, target.place_name = place, data.get("place_name") or ""
    target.area = area_of(place, home) if place else ""
    target.reason = data.get("reason") or ""
    target.transport = data.get("transport") or ""
    target.subsidy_fen = (subsidy_amounts(home[:COUNTY_LENGTH]).get(target.area, 0)
                          if outcome == Outcome.RETURNED and target.area else 0)
    target.version = F("version") + 1
    target.save()
    target.refresh_from_db()
    record(actor, Action.UPDATE, target, before=before)
    if target.returned_on is not None and is_labourer(target.member):
        _status_write(member=target.member, source=Source.DRIVE, actor=actor, data={
            "month": target.returned_on, "started_on": target.returned_on,
            "activity": Activity.MIGRANT if outcome == Outcome.RETURNED else Activity.NEARBY,
            "place_code": target.place_code, "place_name": target.place_name})
    return target


# --- employment subsidies ----------------------------------------------------------------------

@transaction.atomic
def subsidy_rates_set(*, county: Region, amounts: dict[str, int], actor: User) -> None:
    """The county's yearly subsidy by 地域, in fen."""
    require(actor, "subsidy.rates")
    if county.level != Level.COUNTY or not _can_see_area(actor, county.code):
        raise Http404("no such county")
    for area in SUBSIDISED:
        amount = amounts[area]
        rate = SubsidyRate.objects.select_for_update().filter(county=county, area=area).first()
        if rate is None:
            rate = SubsidyRate.objects.create(county=county, area=area, amount_fen=amount)
            record(actor, Action.CREATE, rate)
        elif rate.amount_fen != amount:
            before = rate_snapshot(rate)
            rate.amount_fen, rate.version = amount, rate.version + 1
            rate.save(update_fields=["amount_fen", "version"])
            record(actor, Action.UPDATE, rate, before=before)


def subsidy_candidates(*, township_code: str, year: int):
    """The labourers of the township due a subsidy for the year: a month working outside the county
    that year (the farthest such month counts), none paid for the year yet. (member id, area,
    place name) each."""
    paid = SubsidyPayment.objects.filter(year=year, region_code__startswith=township_code).values("member_id")
    rows = (LabourStatus.objects.filter(prefix_q("region_code", township_code), month__year=year,
                                        area__in=SUBSIDISED)
            .exclude(member_id__in=paid).order_by("member_id", "month").values_list("member_id", "area", "place_name"))
    rank = {area: i for i, area in enumerate(SUBSIDISED)}
    best: dict[int, tuple[str, str]] = {}
    for member_id, area, place in rows:
        if member_id not in best or rank[area] < rank[best[member_id][0]]:
            best[member_id] = (area, place)
    return best


@transaction.atomic
def subsidy_list_prepare(*, township: Region, year: int, actor: User) -> SubsidyList:
    """The township office's list of the year's employment subsidies: every labourer of the township
    who worked outside the county that year and has no payment for it, at the county's amount."""
    require(actor, "subsidy.prepare")
    if township.level != Level.TOWNSHIP or not _can_see_area(actor, township.code):
        raise ValidationError({"township": [_("Choose a township of your area.")]})
    if year > local_today().year:
        raise ValidationError({"year": [_("A list is for this year or a past one.")]})
    due = subsidy_candidates(township_code=township.code, year=year)
    if not due:
        raise ValidationError({"year": [_("No labourer of the township is due a subsidy for %(year)d.")
                                        % {"year": year}]})
    subsidy_list = SubsidyList.objects.create(region=township, region_code=township.code, year=year,
                                              prepared_by=actor, prepared_at=timezone.now())
    record(actor, Action.CREATE, subsidy_list)
    amounts = subsidy_amounts(township.code[:COUNTY_LENGTH])
    members = Member.objects.select_related("household").in_bulk(list(due))
    for member_id, (area, place) in sorted(due.items()):
        member = members[member_id]
        payment = SubsidyPayment.objects.create(
            subsidy_list=subsidy_list, member=member, household_id=member.household_id,
            region_code=member.household.region_code, name=member.name,
            id_number_encrypted=crypto.encrypt(member.id_number), year=year, area=area, place_name=place,
            amount_fen=amounts[area])
        record(actor, Action.CREATE, payment)
    return subsidy_list


def _list_locked(actor: User, subsidy_list: SubsidyList) -> SubsidyList:
    found = SubsidyList.objects.visible_to(actor).select_for_update().filter(pk=subsidy_list.pk).first()
    if found is None:
        raise Http404("no such list")
    return found


@transaction.atomic
def subsidy_account_set(*, payment: SubsidyPayment, account: str, actor: User,
                        version: int | None = None) -> SubsidyPayment:
    """The bank card a payment goes to, while its list is being prepared."""
    require(actor, "subsidy.prepare")
    payment = SubsidyPayment.objects.visible_to(actor).select_for_update().filter(pk=payment.pk).first()
    if payment is None:
        raise Http404("no such payment")
    subsidy_list = _list_locked(actor, payment.subsidy_list)
    if subsidy_list.status != ListStatus.DRAFT:
        raise ValidationError({"list": [_("The list is approved; it can no longer change.")]})
    if version is not None and version != payment.version:
        raise ConflictError(payment.version)
    before = payment_snapshot(payment)
    payment.account_encrypted, payment.account_tail = crypto.encrypt(account), account[-4:]
    payment.version += 1
    payment.save(update_fields=["account_encrypted", "account_tail", "version"])
    record(actor, Action.UPDATE, payment, before=before)
    return payment


@transaction.atomic
def subsidy_payment_remove(*, payment: SubsidyPayment, actor: User) -> None:
    """Take a payment off a list being prepared (the labourer may then be paid on another)."""
    require(actor, "subsidy.prepare")
    payment = SubsidyPayment.objects.visible_to(actor).select_for_update().filter(pk=payment.pk).first()
    if payment is None:
        raise Http404("no such payment")
    if _list_locked(actor, payment.subsidy_list).status != ListStatus.DRAFT:
        raise ValidationError({"list": [_("The list is approved; it can no longer change.")]})
    record(actor, Action.DELETE, payment)
    payment.delete()


@transaction.atomic
def subsidy_list_approve(*, subsidy_list: SubsidyList, actor: User, version: int | None = None) -> SubsidyList:
    """The county approves a township's list; from then on it does not change."""
    require(actor, "subsidy.approve")
    subsidy_list = _list_locked(actor, subsidy_list)
    if version is not None and version != subsidy_list.version:
        raise ConflictError(subsidy_list.version)
    if subsidy_list.status != ListStatus.DRAFT:
        raise ValidationError({"list": [_("The list is already approved.")]})
    if not subsidy_list.payments.exists():
        raise ValidationError({"list": [_("The list holds no payment.")]})
    before = list_snapshot(subsidy_list)
    subsidy_list.status, subsidy_list.approved_by, subsidy_list.approved_at = (
        ListStatus.APPROVED, actor, timezone.now())
    subsidy_list.version += 1
    subsidy_list.save(update_fields=["status", "approved_by", "approved_at", "version"])
    record(actor, Action.UPDATE, subsidy_list, before=before)
    return subsidy_list


EXPORT_HEADERS = ("序号", "姓名", "证件号码", "银行卡号", "村", "务工地点", "地域", "金额(元)")


def subsidy_export(*, subsidy_list: SubsidyList, actor: User) -> bytes:
    """The approved list as the bank's .xlsx. The ID number and card number in full only for the
    roles that may reveal ID numbers; masked for the others. The export is kept in history."""
    from openpyxl import Workbook

    require(actor, "subsidy.view")
    found = SubsidyList.objects.visible_to(actor).filter(pk=subsidy_list.pk).first()
    if found is None:
        raise Http404("no such list")
    if found.status != ListStatus.APPROVED:
        raise ValidationError({"list": [_("Only an approved list goes to the bank.")]})
    reveal = can(actor, "member.reveal_id")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{found.year}")
    ws.append(list(EXPORT_HEADERS))
    payments = found.payments.select_related("household__region").order_by("region_code", "pk")
    for n, p in enumerate(payments, 1):
        id_number = p.id_number
        account = p.account
        ws.append([n, p.name, id_number if reveal else identity.mask_id(id_number),
                   account if reveal else (f"****{p.account_tail}" if p.account_tail else ""),
                   p.household.region.name, p.place_name, AREA_SHORT[p.area],
                   p.amount_fen / 100])
    out = io.BytesIO()
    wb.save(out)
    record(actor, Action.EXPORT, found, after={"rows": found.payments.count(), "revealed": reveal},
           message=_("Exported for the bank"))
    return out.getvalue()
