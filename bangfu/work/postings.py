"""Every write of job postings: a township office's postings (one, or a sheet of them, all or
nothing), closing one, a caseworker's referral of a labourer (told, interested, hired: a hire
records the labourer's month at work) and a publication. Each checks the role, then the scope, in
one transaction, with history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region
from bangfu.work.areas import area_of
from bangfu.work.forms import month_start
from bangfu.work.models import Activity, Area, Source
from bangfu.work.posting_forms import PostingImportForm
from bangfu.work.posting_models import JobPosting, PostingStatus, Publication, Referral, Step

POSTING_FIELDS = ("employer", "title", "openings", "place_code", "place_name", "wage_min_fen", "wage_max_fen",
                  "age_min", "age_max", "sex", "skill", "skills", "board", "contact", "valid_until", "source")
STEP_ORDER = {Step.TOLD: 1, Step.INTERESTED: 2, Step.HIRED: 3}


def posting_snapshot(p: JobPosting) -> dict[str, Any]:
    return {"region": p.region_code, **{key: getattr(p, key) for key in POSTING_FIELDS if key != "valid_until"},
            "valid_until": p.valid_until.isoformat() if p.valid_until else None, "status": p.status}


def referral_snapshot(r: Referral) -> dict[str, Any]:
    return {"posting": r.posting_id, "member": r.member_id, "step": r.step}


def publication_snapshot(p: Publication) -> dict[str, Any]:
    return {"region": p.region_code, "postings": sorted(p.postings.values_list("pk", flat=True)) if p.pk else []}


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The model's values from a PostingForm's cleaned data."""
    return {"employer": data["employer"], "title": data["title"], "openings": data["openings"],
            "place_code": data["place_code"], "place_name": data.get("place_name") or "",
            "wage_min_fen": data.get("wage_min"), "wage_max_fen": data.get("wage_max"),
            "age_min": data.get("age_min"), "age_max": data.get("age_max"), "sex": data.get("sex") or "",
            "skill": data.get("skill") or "", "skills": data.get("skills") or "", "board": data.get("board") or "",
            "contact": data["contact"], "valid_until": data["valid_until"], "source": data.get("source") or ""}


def _township_of_actor(actor: User, township: Region) -> Region:
    from bangfu.core.permissions import Role

    if township.level != Level.TOWNSHIP or not (
            actor.role == Role.ADMIN or (actor.region_id and township.code.startswith(actor.region_id))):
        raise ValidationError({"township": [_("Choose a township of your area.")]})
    return township


def _create(township: Region, data: dict[str, Any], actor: User) -> JobPosting:
    posting = JobPosting.objects.create(region=township, region_code=township.code, created_by=actor,
                                        created_at=timezone.now(), **_values(data))
    record(actor, Action.CREATE, posting)
    return posting


@transaction.atomic
def posting_create(*, township: Region, data: dict[str, Any], actor: User) -> JobPosting:
    """A township's posting (`data`: a PostingForm's cleaned data)."""
    require(actor, "posting.manage")
    return _create(_township_of_actor(actor, township), data, actor)


def _posting_for_update(actor: User, posting: JobPosting) -> JobPosting:
    found = JobPosting.objects.visible_to(actor).select_for_update().filter(pk=posting.pk).first()
    if found is None:
        raise Http404("no such posting")
    return found


@transaction.atomic
def posting_update(*, posting: JobPosting, data: dict[str, Any], actor: User, version: int | None = None) -> JobPosting:
    require(actor, "posting.manage")
    posting = _posting_for_update(actor, posting)
    if version is not None and version != posting.version:
        raise ConflictError(_("Someone changed this posting meanwhile: reload it and make your change again."))
    before = posting_snapshot(posting)
    for key, value in _values(data).items():
        setattr(posting, key, value)
    posting.version = F("version") + 1
    posting.save()
    posting.refresh_from_db()
    record(actor, Action.UPDATE, posting, before=before)
    return posting


@transaction.atomic
def posting_close(*, posting: JobPosting, actor: User) -> JobPosting:
    """Close a posting (filled, withdrawn): it is no longer matched nor published."""
    require(actor, "posting.manage")
    posting = _posting_for_update(actor, posting)
    if posting.status == PostingStatus.CLOSED:
        return posting
    before = posting_snapshot(posting)
    posting.status = PostingStatus.CLOSED
    posting.version = F("version") + 1
    posting.save()
    posting.refresh_from_db()
    record(actor, Action.UPDATE, posting, before=before)
    return posting


# --- a sheet of postings ------------------------------------------------------------------------

# The sheet's headers (spaces ignored) for each field of PostingImportForm.
IMPORT_HEADERS = {
    "employer": ("单位", "用工单位", "企业名称", "招聘单位"),
    "title": ("岗位", "岗位名称", "招聘岗位", "工种"),
    "openings": ("人数", "招聘人数", "需求人数"),
    "place_code": ("地点代码", "工作地点代码", "区划代码"),
    "place_name": ("地点", "工作地点"),
    "wage_min": ("最低月薪", "月薪下限", "最低工资"),
    "wage_max": ("最高月薪", "月薪上限", "最高工资"),
    "age_min": ("最小年龄", "年龄下限"),
    "age_max": ("最大年龄", "年龄上限"),
    "sex": ("性别", "性别要求"),
    "skills": ("技能要求", "要求"),
    "board": ("食宿", "食宿条件"),
    "contact": ("联系方式", "联系人", "联系电话"),
    "valid_until": ("有效期至", "截止日期", "有效期"),
    "source": ("来源", "信息来源"),
}
IMPORT_COLUMN = {key: names[0] for key, names in IMPORT_HEADERS.items()}
REQUIRED_HEADERS = {"employer", "title", "openings", "place_code", "contact", "valid_until"}
SEX_BY_LABEL = {"男": "M", "女": "F", "不限": "", "男女不限": "", "M": "M", "F": "F"}
BOARD_BY_LABEL = {"包吃住": "both", "包食宿": "both", "包吃": "meals", "包住": "lodging", "不包": "none",
                  "不包食宿": "none", "无": "none", "both": "both", "meals": "meals", "lodging": "lodging",
                  "none": "none"}
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, message


def _import_rows(source) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str, str]]]:
    from bangfu.work.services import sheet_rows

    return sheet_rows(source, headers=IMPORT_HEADERS, required=REQUIRED_HEADERS, first="employer",
                      missing="单位、岗位、人数、地点代码、联系方式、有效期至")


def postings_import(*, source: str | IO[bytes], township: Region, actor: User, dry_run: bool = False) -> ImportResult:
    """A sheet of postings (单位, 岗位, 人数, …) for a township, each row bound to PostingImportForm;
    all rows or none, the errors as (row, column, message). A dry run is the same, rolled back."""
    require(actor, "posting.manage")
    township = _township_of_actor(actor, township)
    result = ImportResult()
    rows, problems = _import_rows(source)
    if problems:
        result.errors = problems
        return result
    result.rows = len(rows)
    valid = []
    for number, cells in rows:
        cells = {**cells, "sex": SEX_BY_LABEL.get(cells.get("sex", ""), cells.get("sex", "")),
                 "board": BOARD_BY_LABEL.get(cells.get("board", ""), cells.get("board", ""))}
        form = PostingImportForm(cells)
        if not form.is_valid():
            for key, messages in form.errors.items():
                column = IMPORT_COLUMN.get(key, IMPORT_COLUMN["employer"])
                result.errors.extend((number, column, str(m)) for m in messages)
            continue
        valid.append(form.cleaned_data)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for data in valid:
            _create(township, data, actor)
            result.created += 1
    return result


# --- referrals ----------------------------------------------------------------------------------

def _hire_status(member: Member, posting: JobPosting) -> dict[str, Any]:
    """The month's status of a labourer hired for a posting: at work nearby within the county,
    away beyond it."""
    area = area_of(posting.place_code, member.household.region_code)
    return {"month": month_start(local_today()),
            "activity": Activity.NEARBY if area == Area.IN_COUNTY else Activity.MIGRANT,
            "place_code": posting.place_code, "place_name": posting.place_name, "employer": posting.employer,
            "job": posting.title, "wage": posting.wage_min_fen, "started_on": local_today(), "reason": ""}


@transaction.atomic
def referral_record(*, posting: JobPosting, member: Member, step: str, actor: User,
                    client_id=None) -> tuple[Referral, bool]:
    """Record that a labourer was told of a posting, is interested, or was hired. A later step
    replaces an earlier one (never the other way round); a retry with the same client id answers
    the first. A hire records the labourer's status for this month. Returns (referral, changed)."""
    from bangfu.work.services import _status_write

    require(actor, "posting.refer")
    if step not in STEP_ORDER:
        raise ValidationError({"step": [_("Select a valid choice.")]})
    if client_id:
        earlier = Referral.objects.filter(client_id=str(client_id)).first()
        if earlier is not None:
            if not Referral.objects.visible_to(actor).filter(pk=earlier.pk).exists():
                raise ValidationError({"client_id": [_("This client id was used for another record.")]})
            return earlier, False
    posting = JobPosting.objects.visible_to(actor).filter(pk=posting.pk).first()
    if posting is None:
        raise Http404("no such posting")
    member = (Member.objects.select_related("household__region")
              .filter(pk=member.pk, household__in=Household.objects.visible_to(actor)).first())
    if member is None:
        raise Http404("no such member")
    existing = Referral.objects.select_for_update().filter(posting=posting, member=member).first()
    if existing is None:
        def create() -> Referral:
            referral = Referral.objects.create(
                posting=posting, member=member, household=member.household, region_code=member.household.region_code,
                step=step, client_id=client_id or None, recorded_by=actor, recorded_at=timezone.now())
            record(actor, Action.CREATE, referral)
            return referral

        if client_id:
            referral, changed = create_once(Referral, client_id=str(client_id), create=create)
        else:
            referral, changed = create(), True
    elif STEP_ORDER[step] > STEP_ORDER[existing.step]:
        before = referral_snapshot(existing)
        existing.step, existing.recorded_by, existing.recorded_at = step, actor, timezone.now()
        existing.version = F("version") + 1
        existing.save()
        existing.refresh_from_db()
        record(actor, Action.UPDATE, existing, before=before)
        referral, changed = existing, True
    else:
        return existing, False
    if changed and step == Step.HIRED:
        _status_write(member=member, data=_hire_status(member, posting), source=Source.PAGE, actor=actor)
        _hire_placement(member=member, posting=posting, actor=actor)
    return referral, changed


def _hire_placement(*, member: Member, posting: JobPosting, actor: User) -> None:
    """A labourer hired while a back-to-work drive that targets them is running: their outcome in
    that drive is back at work (away) or work found nearby (in the county), from today, at the
    posting's place, with the subsidy the county pays for its 地域."""
    from bangfu.core.codes import COUNTY_LENGTH
    from bangfu.work.models import Outcome, Placement
    from bangfu.work.services import placement_snapshot, subsidy_amounts

    today = local_today()
    home = member.household.region_code
    targets = (Placement.objects.select_for_update(of=("self",))
               .filter(member=member, drive__start__lte=today, drive__end__gte=today)
               .exclude(outcome__in=(Outcome.RETURNED, Outcome.NEARBY)))
    for target in targets:
        before = placement_snapshot(target)
        place = posting.place_code or home
        target.area = area_of(place, home)
        target.outcome = Outcome.NEARBY if target.area == Area.IN_COUNTY else Outcome.RETURNED
        target.returned_on, target.place_code, target.place_name = today, place, posting.place_name
        target.reason = ""
        target.subsidy_fen = (subsidy_amounts(home[:COUNTY_LENGTH]).get(target.area, 0)
                              if target.outcome == Outcome.RETURNED else 0)
        target.version += 1
        target.save()
        record(actor, Action.UPDATE, target, before=before)


# --- publications -------------------------------------------------------------------------------

@transaction.atomic
def publication_create(*, township: Region, postings: list[JobPosting], actor: User) -> Publication:
    """Record that these open postings of the township were published now (a group's text, a poster)."""
    require(actor, "posting.manage")
    township = _township_of_actor(actor, township)
    if not postings:
        raise ValidationError({"postings": [_("Choose at least one posting.")]})
    ids = [p.pk for p in postings]
    found = list(JobPosting.objects.visible_to(actor).filter(pk__in=ids, region_code=township.code,
                                                             status=PostingStatus.OPEN))
    if len(found) != len(set(ids)):
        raise ValidationError({"postings": [_("Choose open postings of the township.")]})
    publication = Publication.objects.create(region=township, region_code=township.code, published_by=actor,
                                             published_at=timezone.now())
    publication.postings.set(found)
    record(actor, Action.CREATE, publication)
    return publication


def published_count(township_code: str, start: dt.date, end: dt.date) -> int:
    """How many postings of the township were published (pushed) from `start` to `end`, each once."""
    from bangfu.core.codes import prefix_q

    return (JobPosting.objects.filter(prefix_q("region_code", township_code),
                                      publications__published_at__date__gte=start,
                                      publications__published_at__date__lte=end).distinct().count())
