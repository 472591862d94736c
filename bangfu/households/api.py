"""API routes for households and members: the same forms, services and queries as the pages."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.core.errors import (
    BODY_RESPONSES,
    COMMON_RESPONSES,
    ErrorOut,
    FieldErrors,
    form_errors,
    merge_errors,
)
from bangfu.core.permissions import can, require
from bangfu.history.timeline import guarded
from bangfu.households import identity, queries, services
from bangfu.households.forms import MONEY_FIELDS, HouseholdForm, MemberForm, member_set_errors
from bangfu.households.models import Household, Member
from bangfu.households.schemas import (
    MAX_ID,
    MAX_PAGE_SIZE,
    ChangeOut,
    HouseholdIn,
    HouseholdListParams,
    HouseholdOut,
    HouseholdPage,
    HouseholdPatch,
    HeldOut,
    RevealField,
    RevealIn,
    RevealOut,
)

router = Router(tags=["households"])
members_router = Router(tags=["members"])

def _id_param(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


# --- out: model -> plain data (masked) -------------------------------------------------------

def _user_ref(user) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def _region(household: Household) -> dict[str, str]:
    return {"code": household.region_id, "name": household.region.name}


def _household_item(household: Household) -> dict[str, Any]:
    return {
        "id": household.pk,
        "number": household.number,
        "region": _region(household),
        "head_name": household.head_name,
        "phone": identity.mask_phone(household.phone),
        "categories": household.category_values(),
        "status": household.status,
        "monitor_type": household.monitor_type,  # "" is read as null by the schema
        "caseworker": _user_ref(household.caseworker),
        "version": household.version,
    }


def _member_out(member: Member, *, may_reveal: bool) -> dict[str, Any]:
    # An empty choice ("") is read as null by the schema. The full birth date with the ID's
    # masked tail would give the ID number away (identity.birth_years): only for the roles that
    # may reveal it.
    return {
        **{name: getattr(member, name) for name in services.MEMBER_FIELDS},
        "birth_date": member.birth_date if may_reveal else None,
        "born": member.birth_shown,
        "id": member.pk,
        "id_number": identity.mask_id(member.id_number),
        "phone": identity.mask_phone(member.phone),
        "version": member.version,
    }


def _assignment_out(assignment) -> dict[str, Any]:
    return {
        "caseworker": _user_ref(assignment.caseworker),
        "start": assignment.start,
        "end": assignment.end,
        "assigned_by": _user_ref(assignment.assigned_by),
    }


def _out_value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _household_out(household: Household, user) -> dict[str, Any]:
    members = queries.members_of(household)
    assignments = list(queries.assignments_of(household))
    current = next((a for a in assignments if a.end is None), None)
    net = household.net_income
    # An empty choice ("") is read as null by the schema.
    return {
        **{name: _out_value(getattr(household, name)) for name in services.HOUSEHOLD_FIELDS},
        **_household_item(household),
        "net_income": net,
        "net_income_per_person": round(net / len(members)) if net is not None and members else None,
        "assignment": _assignment_out(current) if current else None,
        "assignments": [_assignment_out(a) for a in assignments],
        "members": [_member_out(m, may_reveal=can(user, "member.reveal_id")) for m in members],
        "created_at": household.created_at,
        "updated_at": household.updated_at,
    }


# --- in: API values -> form data --------------------------------------------------------------

def _form_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_form_value(item) for item in value]
    return value


def _household_form_data(values: dict[str, Any]) -> dict[str, Any]:
    """API values as the household form's data: enums as their values, money from fen to yuan."""
    data = {name: _form_value(value) for name, value in values.items()}
    for name in MONEY_FIELDS:
        if data.get(name) is not None:
            data[name] = Decimal(data[name]) / 100
    return data


def _current_form_data(household: Household) -> dict[str, Any]:
    """The household as the household form's data, so a PATCH can be merged into it."""
    data: dict[str, Any] = {}
    for name in HouseholdForm.Meta.fields:
        if name == "region":
            data[name] = household.region_id
        elif name == "phone":
            data[name] = household.phone
        elif name == "categories":
            data[name] = household.category_values()
        else:
            data[name] = getattr(household, name)
    for name in MONEY_FIELDS:
        if data[name] is not None:
            data[name] = Decimal(data[name]) / 100
    return data


# --- households ------------------------------------------------------------------------------

@router.get("", response={200: HouseholdPage, **COMMON_RESPONSES}, summary="List households")
def household_list(request, filters: Query[HouseholdListParams]):
    """The households in the caller's area, with the list page's filters and search, in
    (village, number) order. Follow `next_cursor` for the next page."""
    require(request.auth, "household.view")
    if filters.cursor and queries.decode_cursor(filters.cursor) is None:
        raise FieldErrors({"cursor": [_("This cursor is not valid; start again without one.")]})
    flt = queries.HouseholdFilter(
        q=filters.q,
        village=filters.village,
        category=_form_value(filters.category) or "",
        caseworker=filters.caseworker,
        status=_form_value(filters.status) or "",
        request_id=str(filters.request_id) if filters.request_id else "",
    )
    size = min(filters.limit or settings.PAGE_SIZE, MAX_PAGE_SIZE)
    page = queries.household_page(request.auth, flt, cursor=filters.cursor, size=size)
    return {
        "items": [_household_item(h) for h in page.rows],
        "next_cursor": page.next_cursor,
        "count": page.count,
        "count_is_exact": page.count_is_exact,
    }


@router.post("", response={201: HouseholdOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Create a household")
def household_create(request, payload: HouseholdIn):
    """A household with its members, checked by the same forms as the pages. Errors name the
    field, members as `members.0.id_number`."""
    user = request.auth
    require(user, "household.create")
    form = HouseholdForm(data=_household_form_data(payload.model_dump(exclude={"members"})))
    member_forms = [MemberForm(data=_household_form_data(m.model_dump())) for m in payload.members]
    valid = form.is_valid()
    valid = all([f.is_valid() for f in member_forms]) and valid
    if not valid:
        # Also the checks across members (one head, one spouse, no ID twice), so that one reply
        # lists every error; the service repeats them, with the check against other households.
        raise FieldErrors(merge_errors(
            form_errors(form),
            *(form_errors(f, prefix=f"members.{i}.") for i, f in enumerate(member_forms)),
            member_set_errors([f.cleaned_data for f in member_forms]),
        ))
    household = services.household_create(
        actor=user, data=form.cleaned_data, members=[f.cleaned_data for f in member_forms]
    )
    return Status(201, _household_out(queries.household_get(user, household.pk), user))


@router.get("/{id}", response={200: HouseholdOut, **COMMON_RESPONSES}, summary="A household")
def household_detail(request, id: int = _id_param("The household's id.")):
    require(request.auth, "household.view")
    return _household_out(queries.household_get(request.auth, id), request.auth)


@router.patch(
    "/{id}", response={200: HouseholdOut, 202: HeldOut, 403: ErrorOut, **BODY_RESPONSES},
    summary="Change a household",
)
def household_update(request, payload: HouseholdPatch, id: int = _id_param("The household's id.")):
    """Change some of a household's fields. The given fields replace the current ones and the
    whole is checked by the household form. `version` is the one the change was made on: on the
    current version the change is applied (200). On an older one it is applied too (200) when
    nobody changed the same fields since; when someone did, nothing is changed and the reply is
    202 with the id of the held edit, which the township office or the household's caseworker
    applies or sets aside."""
    user = request.auth
    household = queries.household_get(user, id)
    require(user, "household.change")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    current = Household.objects.get(pk=household.pk)
    form = HouseholdForm(data={**_current_form_data(household), **_household_form_data(changes)}, instance=current)
    if not form.is_valid():
        raise FieldErrors(form_errors(form))
    outcome = services.household_edit(actor=user, household=household, version=version, data=form.cleaned_data)
    if outcome.held:
        return Status(202, {"id": outcome.conflict.pk, "detail": services.held_message(),
                            "current_version": outcome.conflict.held_version})
    return _household_out(queries.household_get(user, id), user)


@router.get("/{id}/history", response={200: list[ChangeOut], **COMMON_RESPONSES}, summary="A household's history")
def household_history(
    request,
    id: int = _id_param("The household's id."),
    limit: int = Query(200, ge=1, le=1000, description="At most this many entries, newest first."),
):
    """Every change to the household and its members, and every reveal of personal data, newest first."""
    require(request.auth, "household.history")
    household = queries.household_get(request.auth, id)
    return [
        {
            "id": change.pk,
            "at": change.at,
            "actor": _user_ref(change.actor),
            "action": change.action,
            "object_type": change.object_type,
            "object_id": change.object_id,
            "object_repr": change.object_repr,
            "before": guarded(change.before, request.auth),
            "after": guarded(change.after, request.auth),
            "request_id": change.request_id,
            "message": change.message,
        }
        for change in queries.household_history(request.auth, household, limit=limit)
    ]


@router.post(
    "/{id}/reveal", response={200: RevealOut, 403: ErrorOut, **BODY_RESPONSES},
    summary="Reveal a household's phone number",
)
def household_reveal(request, payload: RevealIn, id: int = _id_param("The household's id.")):
    """The household's full phone number (`field` must be `phone`); the reveal is recorded."""
    household = queries.household_get(request.auth, id)
    if payload.field != RevealField.phone:
        raise FieldErrors({"field": [_("A household has only a phone number to reveal.")]})
    value = services.household_reveal_phone(actor=request.auth, household=household)
    return {"field": payload.field, "value": value}


# --- members ---------------------------------------------------------------------------------

@members_router.post(
    "/{id}/reveal", response={200: RevealOut, 403: ErrorOut, **BODY_RESPONSES},
    summary="Reveal a member's ID number or phone",
)
def member_reveal(request, payload: RevealIn, id: int = _id_param("The member's id.")):
    """The member's full ID number or phone number, for the roles that may see it; every reveal
    is recorded in the household's history."""
    member = queries.member_get(request.auth, id)
    value = services.member_reveal(actor=request.auth, member=member, field=payload.field.value)
    return {"field": payload.field, "value": value}
