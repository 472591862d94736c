"""Every write to households, members and assignments: permission, checks, one transaction, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.deletion import ProtectedError
from django.http import Http404
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
from bangfu.households.forms import HouseholdForm, MemberForm, member_set_errors
from bangfu.households.models import Assignment, Household, HouseholdCategory, Member
from bangfu.households.moves import HouseholdMove, households_moved
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
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if "categories" in data:
        _set_categories(current, list(data["categories"] or []))
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
