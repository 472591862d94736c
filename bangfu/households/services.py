"""Every write to households, members and assignments: permission, checks, one transaction, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.deletion import ProtectedError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import crypto
from bangfu.core.codes import GROUP_LENGTH, TOWNSHIP_LENGTH, VILLAGE_LENGTH
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.permissions import Role, require
from bangfu.core.text import initials, pinyin
from bangfu.history.models import Action, Change
from bangfu.history.services import changes_bulk_record, record
from bangfu.households import choices, identity
from bangfu.households.forms import MONEY_FIELDS, HouseholdForm, MemberForm, member_set_errors
from bangfu.households.models import Assignment, ConflictStatus, EditConflict, Household, HouseholdCategory, Member
from bangfu.households.moves import HouseholdMove, households_moved
from bangfu.notify.services import message_enqueue
from bangfu.regions.models import Region

# The form fields the services copy onto the row as they are; the others are written by their own
# code: the place and the number, the sealed phone and ID number, the categories' table.
HOUSEHOLD_FIELDS = [
    name for name in HouseholdForm.Meta.fields if name not in {"region", "number", "phone", "categories"}
]
MEMBER_FIELDS = [name for name in MemberForm.Meta.fields if name not in {"id_number", "phone"}]


# --- snapshots for history -------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@cache
def _member_fields_to_plain() -> tuple[str, ...]:
    """The member fields whose values JSON cannot hold as they are (dates, decimals): the others
    (text, numbers, yes/no, lists) go into a snapshot unchanged, and an import makes one per member."""
    kinds = ("DateField", "DateTimeField", "DecimalField", "TimeField", "DurationField", "UUIDField")
    return tuple(name for name in MEMBER_FIELDS if Member._meta.get_field(name).get_internal_type() in kinds)


def household_snapshot(
    household: Household, categories: list[str] | None = None, *, phone: str | None = None
) -> dict[str, Any]:
    """`phone`, when the caller already holds the plaintext (a bulk import), saves a decryption."""
    snapshot = {field: _plain(getattr(household, field)) for field in HOUSEHOLD_FIELDS}
    snapshot["number"] = household.number
    snapshot["region"] = household.region_id
    if phone is None:
        phone = household.phone if household.phone_encrypted else ""
    snapshot["phone"] = identity.mask_phone(phone)
    snapshot["phone_hash"] = household.phone_hash[:12]
    snapshot["categories"] = categories if categories is not None else household.category_values()
    snapshot["caseworker"] = household.caseworker_id
    return snapshot


def member_snapshot(member: Member, *, id_number: str | None = None, phone: str | None = None) -> dict[str, Any]:
    """`id_number` and `phone`, when the caller already holds the plaintext (a bulk import), save
    two decryptions."""
    if id_number is None:
        id_number = member.id_number if member.id_number_encrypted else ""
    if phone is None:
        phone = member.phone if member.phone_encrypted else ""
    return member_snapshot_of({field: getattr(member, field) for field in MEMBER_FIELDS}, id_number=id_number,
                              id_hash=member.id_hash, phone=phone, phone_hash=member.phone_hash)


def member_snapshot_of(
    values: dict[str, Any], *, id_number: str, id_hash: str, phone: str, phone_hash: str
) -> dict[str, Any]:
    """member_snapshot from the values of MEMBER_FIELDS, for a bulk import that writes rows
    without building Member objects."""
    snapshot = {field: values[field] for field in MEMBER_FIELDS}
    for field in _member_fields_to_plain():
        snapshot[field] = _plain(snapshot[field])
    # Never plaintext in history: the masked value, and a short hash so a change shows even when
    # the masked form stays the same.
    snapshot["id_number"] = identity.mask_id(id_number)
    snapshot["id_hash"] = id_hash[:12]
    snapshot["phone"] = identity.mask_phone(phone)
    snapshot["phone_hash"] = phone_hash[:12]
    return snapshot


# --- scope -----------------------------------------------------------------------------------

def region_in_scope(actor: User, region_code: str) -> bool:
    scope = actor.scope
    return actor.role == Role.ADMIN or bool(scope) and region_code.startswith(scope)


def _check_region(actor: User, region: Region) -> None:
    if not region_in_scope(actor, region.code):
        raise ValidationError({"region": _("%(region)s is outside your area.") % {"region": region.name}})


# --- personal data ---------------------------------------------------------------------------

def _set_phone(obj: Household | Member, phone: str) -> None:
    obj.phone_encrypted, obj.phone_hash, obj.phone_tail = crypto.seal_phone(phone)


def _set_id_number(member: Member, id_number: str) -> None:
    parsed = identity.parse_id_number(id_number)
    member.id_number_encrypted, member.id_hash, member.id_tail_reversed = crypto.seal_id_number(
        parsed.full, parsed.base)


def id_hash_of(id_number: str) -> str:
    return crypto.keyed_hash(identity.parse_id_number(id_number).base)


def _duplicate_id_errors(
    actor: User, members: list[dict], *, keys: list[str], exclude_ids: set[int]
) -> dict[str, list[str]]:
    """Members whose ID number is already registered elsewhere in the deployment. The message
    names where only when the actor may see that household; otherwise it says no more than that
    the number is taken (the refusal itself cannot be helped: one person, one registration)."""
    hashes = {}
    for key, member in zip(keys, members, strict=True):
        if member.get("id_number"):
            hashes[id_hash_of(member["id_number"])] = key
    if not hashes:
        return {}
    errors: dict[str, list[str]] = {}
    taken = list(
        Member.objects.filter(id_hash__in=list(hashes)).exclude(pk__in=exclude_ids)
        .select_related("household", "household__region")
    )
    visible = set(
        Household.objects.visible_to(actor).filter(pk__in={other.household_id for other in taken})
        .values_list("pk", flat=True)
    ) if taken else set()
    for other in taken:
        errors.setdefault(hashes[other.id_hash], []).append(registered_elsewhere_message(
            other.name, other.household.number, other.household.region.name,
            visible=other.household_id in visible))
    return errors


def registered_elsewhere_message(name: str, number: str, village: str, *, visible: bool) -> str:
    """The refusal of an ID number registered in another household: where, only to a user who
    may see that household."""
    if visible:
        return _("This ID number is already registered: %(name)s in household %(number)s (%(village)s).") % {
            "name": name, "number": number, "village": village}
    return _("This ID number is already registered in a household outside what you can see; "
             "the office above you can tell where.")


# --- households ------------------------------------------------------------------------------

def _next_number(region: Region) -> str:
    """The region's code followed by a 4-digit sequence: 3702150100010001."""
    last = (
        Household.objects.filter(number__startswith=region.code, number__regex=r"^[0-9]+$")
        .order_by("-number").values_list("number", flat=True).first()
    )
    if last and len(last) == len(region.code) + 4:
        return f"{region.code}{int(last[len(region.code):]) + 1:04d}"
    return f"{region.code}0001"


def _assign(obj, fields: list[str], data: dict) -> None:
    """Set the given fields from cleaned data; an empty text field is "", never NULL."""
    for name in fields:
        if name in data:
            value = data[name]
            if value is None and obj._meta.get_field(name).get_internal_type() == "CharField":
                value = ""
            setattr(obj, name, value)


def _apply_household(household: Household, data: dict) -> None:
    _assign(household, HOUSEHOLD_FIELDS, data)
    if "phone" in data:
        _set_phone(household, data["phone"] or "")


def _set_categories(household: Household, categories: list[str]) -> None:
    wanted = set(categories)
    current = set(household.categories.values_list("category", flat=True))
    HouseholdCategory.objects.filter(household=household, category__in=current - wanted).delete()
    HouseholdCategory.objects.bulk_create(
        [HouseholdCategory(household=household, category=c) for c in sorted(wanted - current)]
    )


def _new_member(household: Household, data: dict) -> Member:
    member = Member(household=household)
    _apply_member(member, data)
    return member


def _apply_member(member: Member, data: dict) -> None:
    _assign(member, MEMBER_FIELDS, data)
    member.name_initials = initials(member.name)
    member.name_pinyin = pinyin(member.name)
    if "id_number" in data:
        _set_id_number(member, data["id_number"])
    if "phone" in data:
        _set_phone(member, data.get("phone") or "")


def _refresh_head_name(household: Household) -> None:
    head = household.members.filter(relation=choices.Relation.HEAD).values_list("name", flat=True).first()
    household.head_name = head or ""


def registry_errors(*, actor: User, members: list[dict], number: str = "") -> dict[str, list[str]]:
    """What the registry refuses whatever else a form says: ID numbers registered elsewhere
    (`members.N.id_number`) and a household number in use (`number`). The pages also call it for a
    form with errors of its own, with the fields that did clean, so that every error shows at once."""
    errors = _duplicate_id_errors(actor, members, keys=[f"members.{i}.id_number" for i in range(len(members))],
                                  exclude_ids=set())
    if number and Household.objects.filter(number=number).exists():
        errors.setdefault("number", []).append(
            _("Household number %(number)s is already in use.") % {"number": number}
        )
    return errors


@transaction.atomic
def household_create(*, actor: User, data: dict, members: list[dict]) -> Household:
    """Create a household with its members. `data` and `members` are forms' cleaned data."""
    require(actor, "household.create")
    region: Region = data["region"]
    _check_region(actor, region)
    errors = member_set_errors(members)
    number = data.get("number") or _next_number(region)
    for key, messages in registry_errors(actor=actor, members=members, number=number).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    household = Household(number=number, region=region, region_code=region.code)
    _apply_household(household, data)
    household.save()
    categories = list(data.get("categories") or [])
    _set_categories(household, categories)
    created = [_new_member(household, m) for m in members]
    try:
        with transaction.atomic():
            Member.objects.bulk_create(created)
    except IntegrityError:
        # Another request registered one of these ID numbers in the meantime.
        raise ValidationError({"members": [_("One of these ID numbers was just registered elsewhere; try again.")]}) from None
    _refresh_head_name(household)
    household.save(update_fields=["head_name"])
    record(actor, Action.CREATE, household, after=household_snapshot(household, categories))
    for member in household.members.all():
        record(actor, Action.CREATE, member)
    return household


def _lock(model, pk: int, version: int):
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != version:
        raise ConflictError(current.version)
    return current


@transaction.atomic
def household_update(*, actor: User, household: Household, version: int, data: dict) -> Household:
    """Change a household's own fields (not its members). Refused when `version` is not current."""
    require(actor, "household.change")
    current = _lock(Household, household.pk, version)
    before = household_snapshot(current)
    old_region_code = current.region_code
    region: Region = data.get("region") or current.region
    if region.code != current.region_code:
        if actor.role == Role.CASEWORKER:
            raise ValidationError({"region": _("Only the village or township office can move a household.")})
        _check_region(actor, region)
        current.region, current.region_code = region, region.code
    number = data.get("number") or current.number
    if number != current.number:
        if Household.objects.filter(number=number).exclude(pk=current.pk).exists():
            raise ValidationError({"number": _("Household number %(number)s is already in use.") % {"number": number}})
        current.number = number
    _apply_household(current, data)
    categories = list(data["categories"] or []) if "categories" in data else before["categories"]
    if household_snapshot(current, categories) == before:
        # Nothing changed: the version stays, so that each version is one row of history (which
        # household_edit reads back to tell what changed since an edit's version).
        return current
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if "categories" in data:
        _set_categories(current, categories)
    households_moved([HouseholdMove(household_id=current.pk, old_region_code=old_region_code,
                                    new_region_code=current.region_code, old_caseworker_id=current.caseworker_id,
                                    new_caseworker_id=current.caseworker_id)])
    record(actor, Action.UPDATE, current, before=before)
    return current


@transaction.atomic
def household_monitoring_set(*, actor: User, household: Household, monitor_type: str, risks: list[str],
                             permission: str = "household.change") -> Household:
    """Make a household a monitored one (监测对象): the category, its monitoring type and risks.
    `permission`: the action that allows it; the county's decision at the end of an identification
    (monitoring) names its own, as the county does not edit the registry otherwise."""
    require(actor, permission)
    current = Household.objects.visible_to(actor).select_for_update().filter(pk=household.pk).first()
    if current is None:
        raise Http404("no such household")
    if monitor_type not in choices.MonitorType.values:
        raise ValidationError({"monitor_type": _("Choose the monitoring type.")})
    if any(risk not in choices.Risk.values for risk in risks):
        raise ValidationError({"risks": _("Choose the risks.")})
    before = household_snapshot(current)
    current.monitor_type, current.risks = monitor_type, list(risks)
    current.version = F("version") + 1
    current.save(update_fields=["monitor_type", "risks", "version", "updated_at"])
    current.refresh_from_db()
    _set_categories(current, [*current.category_values(), choices.Category.MONITORED])
    record(actor, Action.UPDATE, current, before=before)
    return current


@transaction.atomic
def household_monitoring_clear(*, actor: User, household: Household, method: str, cleared_on,
                               permission: str = "household.change") -> Household:
    """A monitored household's risk cleared (风险消除): no longer in the monitored category, the
    method (帮扶消除 or 自然消除) and the day kept. `permission` as for household_monitoring_set."""
    require(actor, permission)
    current = Household.objects.visible_to(actor).select_for_update().filter(pk=household.pk).first()
    if current is None:
        raise Http404("no such household")
    if method not in choices.RiskEliminationMethod.values:
        raise ValidationError({"risk_elimination_method": _("Choose how the risk was eliminated.")})
    before = household_snapshot(current)
    current.risk_elimination_method, current.risk_eliminated_on = method, cleared_on
    current.version = F("version") + 1
    current.save(update_fields=["risk_elimination_method", "risk_eliminated_on", "version", "updated_at"])
    current.refresh_from_db()
    _set_categories(current, [c for c in current.category_values() if c != choices.Category.MONITORED])
    record(actor, Action.UPDATE, current, before=before)
    return current


@transaction.atomic
def household_delete(*, actor: User, household: Household, reason: str = "") -> None:
    require(actor, "household.delete")
    household = Household.objects.select_for_update().get(pk=household.pk)
    for member in household.members.all():
        record(actor, Action.DELETE, member)
    record(actor, Action.DELETE, household, message=reason)
    try:
        household.delete()
    except ProtectedError:
        # Its needs (and the like) are kept for good, and they name the household: it stays.
        raise ValidationError(_("This household has needs or other records that are kept, so it cannot be "
                                "deleted.")) from None


# --- members ---------------------------------------------------------------------------------

def _member_rules(
    actor: User, household: Household, data: dict, *, member: Member | None
) -> dict[str, list[str]]:
    """One member's place among the others: one head, one spouse, spouse's sex, unique ID."""
    errors: dict[str, list[str]] = {}
    others = list(household.members.exclude(pk=member.pk if member else None))
    relation = data.get("relation")
    head = next((m for m in others if m.relation == choices.Relation.HEAD), None)
    if member is not None and member.relation == choices.Relation.HEAD and relation != choices.Relation.HEAD:
        errors.setdefault("relation", []).append(_("Make another member the head first."))
    if relation == choices.Relation.HEAD and head is not None:
        errors.setdefault("relation", []).append(
            _("%(name)s is already the head; use 'make head' to change the head.") % {"name": head.name}
        )
    if relation == choices.Relation.SPOUSE:
        spouse = next((m for m in others if m.relation == choices.Relation.SPOUSE), None)
        if spouse is not None:
            errors.setdefault("relation", []).append(
                _("%(name)s is already the spouse.") % {"name": spouse.name}
            )
        if head is not None and data.get("sex") == head.sex:
            errors.setdefault("sex", []).append(_("The spouse's sex must differ from the head's."))
    if relation == choices.Relation.HEAD and data.get("sex"):
        spouse = next((m for m in others if m.relation == choices.Relation.SPOUSE), None)
        if spouse is not None and spouse.sex == data["sex"]:
            errors.setdefault("sex", []).append(_("The spouse's sex must differ from the head's."))
    for key, messages in _duplicate_id_errors(
        actor, [data], keys=["id_number"], exclude_ids={member.pk} if member else set()
    ).items():
        errors.setdefault(key, []).extend(messages)
    return errors


@transaction.atomic
def member_add(*, actor: User, household: Household, data: dict) -> Member:
    require(actor, "household.change")
    household = Household.objects.select_for_update().get(pk=household.pk)
    errors = _member_rules(actor, household, data, member=None)
    if not household.members.exists() and data.get("relation") != choices.Relation.HEAD:
        errors.setdefault("relation", []).append(_("The first member of a household is its head."))
    if errors:
        raise ValidationError(errors)
    member = _new_member(household, data)
    member.save()
    if member.is_head:
        household.head_name = member.name
        household.save(update_fields=["head_name", "updated_at"])
    record(actor, Action.CREATE, member)
    return member


@transaction.atomic
def member_update(*, actor: User, member: Member, version: int, data: dict) -> Member:
    require(actor, "household.change")
    household = Household.objects.select_for_update().get(pk=member.household_id)
    current = _lock(Member, member.pk, version)
    errors = _member_rules(actor, household, data, member=current)
    if errors:
        raise ValidationError(errors)
    before = member_snapshot(current)
    _apply_member(current, data)
    if member_snapshot(current) == before:
        return current  # nothing changed: the version stays (see household_update)
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if current.is_head and household.head_name != current.name:
        household.head_name = current.name
        household.save(update_fields=["head_name", "updated_at"])
    current.household = household
    record(actor, Action.UPDATE, current, before=before)
    return current


@transaction.atomic
def member_remove(*, actor: User, member: Member, reason: str = "") -> None:
    require(actor, "household.change")
    household = Household.objects.select_for_update().get(pk=member.household_id)
    member = Member.objects.get(pk=member.pk)
    if member.is_head and household.members.count() > 1:
        raise ValidationError({"relation": _("Make another member the head before removing the head.")})
    member.household = household
    record(actor, Action.DELETE, member, message=reason)
    member.delete()
    if member.is_head:
        household.head_name = ""
        household.save(update_fields=["head_name", "updated_at"])


@transaction.atomic
def member_make_head(*, actor: User, member: Member, former_head_relation: str) -> Member:
    """Make a member the head; the former head takes the given relation (e.g. 配偶, 之父), one that
    MakeHeadForm allows."""
    require(actor, "household.change")
    household = Household.objects.select_for_update().get(pk=member.household_id)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_head:
        return member
    former = household.members.filter(relation=choices.Relation.HEAD).first()
    if former_head_relation == choices.Relation.SPOUSE:
        spouse = household.members.filter(relation=choices.Relation.SPOUSE).exclude(pk=member.pk).first()
        if spouse is not None:
            raise ValidationError({"former_head_relation": _("%(name)s is already the spouse.") % {"name": spouse.name}})
        if former is not None and former.sex == member.sex:
            raise ValidationError({"former_head_relation": _("The spouse's sex must differ from the head's.")})
    changes = []
    if former is not None:
        # Step the member out of their relation first: swapping head and spouse would otherwise meet
        # the one-spouse constraint halfway (the database checks it on every row, not at commit).
        Member.objects.filter(pk=member.pk).update(relation=choices.Relation.OTHER)
        before = member_snapshot(former)
        former.relation = former_head_relation
        former.version += 1
        former.save(update_fields=["relation", "version", "updated_at"])
        changes.append((former, before))
    before = member_snapshot(member)
    member.relation = choices.Relation.HEAD
    member.version += 1
    member.save(update_fields=["relation", "version", "updated_at"])
    changes.append((member, before))
    member.household = household
    household.head_name = member.name
    household.save(update_fields=["head_name", "updated_at"])
    for changed, before in changes:
        record(actor, Action.UPDATE, changed, before=before)
    return member


# --- reveal ----------------------------------------------------------------------------------

@transaction.atomic
def member_reveal(*, actor: User, member: Member, field: str) -> str:
    """The full ID number or phone of a member; each reveal is recorded."""
    if field not in {"id_number", "phone"}:
        raise ValueError(field)
    require(actor, "member.reveal_id" if field == "id_number" else "member.reveal_phone")
    value = member.id_number if field == "id_number" else member.phone
    record(actor, Action.REVEAL, member, message=field)
    return value


@transaction.atomic
def household_reveal_phone(*, actor: User, household: Household) -> str:
    require(actor, "member.reveal_phone")
    record(actor, Action.REVEAL, household, message="phone")
    return household.phone


@transaction.atomic
def households_reveal_phones(*, actor: User, households: list[Household], message: str = "phone") -> dict[int, str]:
    """Many households' phone numbers in full (a printed list to call from), each reveal recorded as
    household_reveal_phone records one, in one insert. The households must already be visible."""
    require(actor, "member.reveal_phone")
    households = [h for h in households if h.phone_encrypted]
    changes_bulk_record([
        Change(actor=actor, action=Action.REVEAL, object_type=Household.history.type, object_id=h.pk,
               object_repr=str(h)[:200],
               household_id=h.pk, region_code=h.region_code, message=message)
        for h in households
    ])
    return {h.pk: h.phone for h in households}


# --- assignments -----------------------------------------------------------------------------

def caseworkers_for(region_code: str):
    """Caseworkers who may take a household in this region: theirs is a prefix of its code."""
    candidates = User.objects.filter(role=Role.CASEWORKER, is_active=True)
    prefixes = [region_code[:n] for n in (TOWNSHIP_LENGTH, VILLAGE_LENGTH, GROUP_LENGTH) if n <= len(region_code)]
    return candidates.filter(region_id__in=prefixes)


@transaction.atomic
def assignment_set(
    *, actor: User, households: list[Household], caseworker: User | None, start: dt.date | None = None
) -> int:
    """Make `caseworker` responsible for each household from `start` (today by default); the
    previous assignment ends that day. None ends the current assignment. Returns how many changed."""
    require(actor, "household.assign")
    start = start or local_today()
    if caseworker is not None and (caseworker.role != Role.CASEWORKER or not caseworker.is_active):
        raise ValidationError({"caseworker": _("%(name)s is not an active caseworker.") % {"name": caseworker}})
    changed = 0
    moves: list[HouseholdMove] = []
    locked = Household.objects.select_for_update().filter(pk__in=[h.pk for h in households]).order_by("pk")
    for household in locked:
        if caseworker is not None and not (caseworker.region_id and household.region_code.startswith(caseworker.region_id)):
            raise ValidationError({"caseworker": _(
                "%(name)s works in another area than household %(number)s."
            ) % {"name": caseworker, "number": household.number}})
        if household.caseworker_id == (caseworker.pk if caseworker else None):
            continue
        before = {"caseworker": household.caseworker_id}
        current = Assignment.objects.filter(household=household, end__isnull=True).first()
        if current is not None:
            if current.start > start:
                raise ValidationError({"start": _(
                    "Household %(number)s has an assignment from %(date)s; start on or after it."
                ) % {"number": household.number, "date": current.start.isoformat()}})
            current_before = {"caseworker": current.caseworker_id, "start": current.start.isoformat(), "end": None}
            current.end = start
            current.save(update_fields=["end"])
            current.household = household
            record(actor, Action.UPDATE, current, before=current_before,
                   after={**current_before, "end": start.isoformat()})
        if caseworker is not None:
            assignment = Assignment.objects.create(
                household=household, caseworker=caseworker, start=start, assigned_by=actor
            )
            record(actor, Action.CREATE, assignment, after={
                "caseworker": caseworker.pk, "caseworker_name": str(caseworker), "start": start.isoformat(), "end": None,
            })
        moves.append(HouseholdMove(household_id=household.pk, old_region_code=household.region_code,
                                   new_region_code=household.region_code, old_caseworker_id=household.caseworker_id,
                                   new_caseworker_id=caseworker.pk if caseworker else None))
        household.caseworker = caseworker
        household.version = F("version") + 1
        household.save(update_fields=["caseworker", "version", "updated_at"])
        record(actor, Action.UPDATE, household, before=before,
               after={"caseworker": caseworker.pk if caseworker else None})
        changed += 1
    households_moved(moves)
    return changed


# --- edits made on an old version ------------------------------------------------------------
#
# An edit carries the version it was read at. On the current version it is applied as it is. On an
# older one (a form left open, a phone that sent it after a day without signal), the record's
# history tells what changed since that version, field by field, and the rule is:
#
# - the fields the edit changed are those whose value it gives differs from the one at its
#   version (a page sends every field: the ones left alone come back as they were read);
# - when none of them was changed by anyone else since, or only to the same value, the edit is
#   applied on the current version, those fields only: what others changed meanwhile stays;
# - when someone else changed one of them to another value, nothing is applied: the edit is held
#   (EditConflict) for the township office or the household's caseworker to apply or set aside;
# - when history cannot tell what the record was at the edit's version (rows changed before
#   every version had its row of history), every field the edit gives that differs from the
#   current value counts as changed by both: the edit is held unless it changes nothing.
#
# Applied or held, a stale edit is checked as a whole by the model's form on the values it would
# leave; an edit that would leave the record invalid with the others' changes is held too.

# Where a field's value is compared: the personal fields by their keyed hash (the snapshot's
# masked value can stay the same when the number changes).
_COMPARED_AS = {"phone": "phone_hash", "id_number": "id_hash"}
HOUSEHOLD_EDIT_FIELDS = tuple(HouseholdForm.Meta.fields)
MEMBER_EDIT_FIELDS = tuple(MemberForm.Meta.fields)
_SEALED = ("phone", "id_number")
_DECIMAL_FIELDS = frozenset(
    field.name for model in (Household, Member) for field in model._meta.fields if field.get_internal_type() == "DecimalField")


def _value(snapshot: dict[str, Any], field: str) -> Any:
    """A field's value as compared: a list (categories, causes, health) whatever its order, a
    decimal by its number ("12.5" and "12.50" are one area)."""
    value = snapshot.get(_COMPARED_AS.get(field, field))
    if isinstance(value, list):
        return sorted(value)
    if field in _DECIMAL_FIELDS and value not in (None, ""):
        return Decimal(str(value))
    return value


def _snapshot_at(obj: Household | Member, snapshot: dict[str, Any], version: int) -> dict[str, Any] | None:
    """The record's snapshot at `version`, from its current one and its history, or None when the
    rows of history do not account for every version (one UPDATE row a version, since 1)."""
    rows = list(Change.objects.filter(object_type=type(obj).history.type, object_id=obj.pk, action=Action.UPDATE)
                .order_by("id").values_list("before", "after"))
    if not 1 <= version < obj.version or len(rows) != obj.version - 1:
        return None
    at = dict(snapshot)
    for before, after in reversed(rows[version - 1:]):
        for key in {*(before or {}), *(after or {})}:
            at[key] = (before or {}).get(key)
    return at


def _form_value(field: str, value: Any) -> Any:
    """A cleaned value as form data that JSON holds (and a form takes back)."""
    if field in MONEY_FIELDS and value is not None:
        return str(Decimal(value) / 100)
    if isinstance(value, Region):
        return value.code
    if isinstance(value, dt.date | Decimal):
        return _plain(value)
    return value


def form_data_of(obj: Household | Member) -> dict[str, Any]:
    """The record as its form's data, for a change of some fields to be merged into and checked
    as a whole."""
    if isinstance(obj, Household):
        values = {name: getattr(obj, name) for name in HOUSEHOLD_FIELDS}
        values.update(region=obj.region_id, number=obj.number, phone=obj.phone, categories=obj.category_values())
    else:
        values = {name: getattr(obj, name) for name in MEMBER_FIELDS}
        values.update(id_number=obj.id_number, phone=obj.phone)
    return {name: _form_value(name, value) for name, value in values.items()}


def _seal(data: dict[str, Any]) -> dict[str, Any]:
    return {name: crypto.encrypt(value) if name in _SEALED and value else value for name, value in data.items()}


def _unseal(data: dict[str, Any]) -> dict[str, Any]:
    return {name: crypto.decrypt(value) if name in _SEALED and value else value for name, value in data.items()}


def _checked(obj: Household | Member, changes: dict[str, Any]) -> tuple[dict | None, dict[str, list[str]]]:
    """`changes` (form data) merged into the record and checked by its form: the cleaned data,
    or the errors."""
    form_class = HouseholdForm if isinstance(obj, Household) else MemberForm
    form = form_class(data={**form_data_of(obj), **changes}, instance=obj)
    if form.is_valid():
        return form.cleaned_data, {}
    return None, {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def conflict_snapshot(conflict: EditConflict) -> dict[str, Any]:
    return {"status": conflict.status, "fields": conflict.fields, "overlap": conflict.overlap,
            "base_version": conflict.base_version, "held_version": conflict.held_version}


def held_message() -> str:
    return _("Someone else changed the same fields after you opened the form, so your change is not "
             "applied: it waits for the township office or the household's caseworker to review it.")


class EditOutcome:
    """What became of an edit: applied (`conflict` None) or held for review."""

    def __init__(self, obj: Household | Member, conflict: EditConflict | None = None):
        self.obj = obj
        self.conflict = conflict

    @property
    def held(self) -> bool:
        return self.conflict is not None


@transaction.atomic
def household_edit(*, actor: User, household: Household, version: int, data: dict) -> EditOutcome:
    """A change of a household's own fields made on `version` (the page's and the API's): applied
    when `version` is current, otherwise by the rule above. `data` is the household form's
    cleaned data (every field from a page, the merged ones from the API)."""
    require(actor, "household.change")
    current = Household.objects.select_for_update().select_related("region").get(pk=household.pk)
    if current.version == version:
        return EditOutcome(household_update(actor=actor, household=current, version=version, data=data))
    probe = Household.objects.get(pk=current.pk)
    _apply_household(probe, data)
    if data.get("region") is not None:
        probe.region_id = data["region"].code
    probe.number = data.get("number") or current.number
    categories = list(data["categories"] or []) if "categories" in data else current.category_values()
    return _stale_edit(actor, current, version, data, HOUSEHOLD_EDIT_FIELDS,
                       now=household_snapshot(current), proposed=household_snapshot(probe, categories))


@transaction.atomic
def member_edit(*, actor: User, member: Member, version: int, data: dict) -> EditOutcome:
    """A change of a member made on `version`: as household_edit."""
    require(actor, "household.change")
    household = Household.objects.select_for_update().get(pk=member.household_id)
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.version == version:
        return EditOutcome(member_update(actor=actor, member=current, version=version, data=data))
    current.household = household
    probe = Member.objects.get(pk=current.pk)
    _apply_member(probe, data)
    return _stale_edit(actor, current, version, data, MEMBER_EDIT_FIELDS,
                       now=member_snapshot(current), proposed=member_snapshot(probe))


def _stale_edit(actor: User, current: Household | Member, version: int, data: dict, fields: tuple[str, ...], *,
                now: dict[str, Any], proposed: dict[str, Any]) -> EditOutcome:
    base = _snapshot_at(current, now, version)
    changed = [f for f in fields if _value(proposed, f) != _value(now, f)
               and (base is None or _value(proposed, f) != _value(base, f))]
    if not changed:
        return EditOutcome(current)
    overlap = [f for f in changed if base is None or _value(now, f) != _value(base, f)]
    changes = {f: _form_value(f, data.get(f)) for f in changed}
    if not overlap:
        cleaned, errors = _checked(current, changes)
        if cleaned is not None:
            if isinstance(current, Household):
                return EditOutcome(household_update(actor=actor, household=current, version=current.version,
                                                    data=cleaned))
            return EditOutcome(member_update(actor=actor, member=current, version=current.version, data=cleaned))
        # Valid on its own, invalid with the others' changes: the fields the form names are in question.
        overlap = [f for f in changed if f in errors] or changed
    household = current if isinstance(current, Household) else current.household
    conflict = EditConflict.objects.create(
        household=household, member=None if isinstance(current, Household) else current,
        region_code=household.region_code, base_version=version, held_version=current.version,
        fields=changed, overlap=overlap, submitted=_seal(changes),
        mine={f: proposed.get(f) for f in changed},
        base=None if base is None else {f: base.get(f) for f in changed},
        held={f: now.get(f) for f in changed}, submitted_by=actor,
    )
    record(actor, Action.CREATE, conflict)
    _tell_reviewers(conflict, household, actor)
    return EditOutcome(current, conflict)


def _tell_reviewers(conflict: EditConflict, household: Household, actor: User) -> None:
    """The township office of the household and its caseworker (unless they made the edit) are
    told of a held edit, in the deployment's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("An edit of household %(household)s is held for review") % {
            "household": household.head_name or household.number}
        link = reverse("households:conflicts")
    message_enqueue(kind="household.conflict", dedupe_key=f"edit-conflict:{conflict.pk}", subject=subject,
                    link=link, role=Role.TOWNSHIP_OFFICE, region_code=household.region_code)
    if household.caseworker_id and household.caseworker_id != actor.pk:
        message_enqueue(kind="household.conflict", dedupe_key=f"edit-conflict:{conflict.pk}:{household.caseworker_id}",
                        subject=subject, link=link, user=household.caseworker)


def _conflict_open(conflict: EditConflict) -> EditConflict:
    current = EditConflict.objects.select_for_update().get(pk=conflict.pk)
    if current.status != ConflictStatus.OPEN:
        raise ValidationError(_("This held edit was already dealt with."))
    return current


def _conflict_close(actor: User, conflict: EditConflict, status: str) -> EditConflict:
    before = conflict_snapshot(conflict)
    conflict.status = status
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["status", "resolved_by", "resolved_at"])
    record(actor, Action.UPDATE, conflict, before=before)
    return conflict


@transaction.atomic
def conflict_apply(*, actor: User, conflict: EditConflict) -> EditConflict:
    """"Apply mine": the held edit's values of its fields, on the record as it is now (checked
    as a whole by its form), recorded in the record's history like any change."""
    require(actor, "household.conflict_review")
    conflict = _conflict_open(conflict)
    changes = _unseal(conflict.submitted)
    if conflict.member_id is None:
        current = Household.objects.select_for_update().select_related("region").get(pk=conflict.household_id)
    else:
        Household.objects.select_for_update().get(pk=conflict.household_id)
        current = Member.objects.select_for_update().get(pk=conflict.member_id)
    cleaned, errors = _checked(current, changes)
    if cleaned is None:
        raise ValidationError({field: messages for field, messages in errors.items()})
    if conflict.member_id is None:
        household_update(actor=actor, household=current, version=current.version, data=cleaned)
    else:
        member_update(actor=actor, member=current, version=current.version, data=cleaned)
    return _conflict_close(actor, conflict, ConflictStatus.APPLIED)


@transaction.atomic
def conflict_keep_current(*, actor: User, conflict: EditConflict) -> EditConflict:
    """"Keep current": the held edit is set aside; the record stays as it is."""
    require(actor, "household.conflict_review")
    return _conflict_close(actor, _conflict_open(conflict), ConflictStatus.KEPT)
