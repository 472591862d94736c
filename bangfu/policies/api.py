"""API routes for policies and receipts: the same form, services and queries as the pages; a
receipt's creation idempotent by client id; a payment sheet sent as rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from bangfu.core.dates import local_today
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors, form_errors
from bangfu.core.permissions import require
from bangfu.households import identity
from bangfu.households import queries as household_queries
from bangfu.households.schemas import MAX_ID
from bangfu.policies import queries, services
from bangfu.policies.forms import PolicyForm
from bangfu.policies.models import Policy, Receipt
from bangfu.policies.schemas import ImportIn, ImportOut, PolicyIn, PolicyOut, ReceiptIn, ReceiptOut

policies = Router(tags=["policies"])
receipts = Router(tags=["policies"])


def policy_out(p: Policy) -> dict[str, Any]:
    return {"key": p.key, "county": p.county_code, "name": p.name, "department": p.department, "amount": p.amount,
            "period": p.period, "per": p.per, "categories": p.categories, "conditions": p.conditions,
            "active": p.active, "version": p.version}


def receipt_out(r: Receipt) -> dict[str, Any]:
    return {"id": r.pk, "policy": r.policy_key, "household": r.household_id, "member": r.member_id,
            "period": r.period, "amount": r.amount, "paid_on": r.paid_on, "source": r.source}


@policies.get("", response={200: list[PolicyOut], **COMMON_RESPONSES}, summary="The policies of the caller's county")
def policy_list(request):
    """The county's own policies and the defaults it has not replaced (the administrator: the defaults)."""
    require(request.auth, "policy.view")
    return [policy_out(p) for p in queries.policies_of_county(queries.county_of(request.auth))]


@policies.post("", response={200: PolicyOut, 201: PolicyOut, 403: ErrorOut, **BODY_RESPONSES},
               summary="Create or change a policy")
def policy_save(request, payload: PolicyIn):
    """By `key`: a key the county has (its own or a default) is changed (200), a new one created (201)."""
    require(request.auth, "policy.manage")
    data = payload.dict()
    key = data.pop("key")
    data["amount"] = Decimal(data["amount"]) / 100
    form = PolicyForm({k: v for k, v in data.items() if v is not None and v is not False})
    if not form.is_valid():
        raise FieldErrors(form_errors(form))
    existed = any(p.key == key for p in queries.policies_of_county(queries.county_of(request.auth)))
    policy, _created = services.policy_save(actor=request.auth, key=key, data=form.policy_data())
    return Status(200 if existed else 201, policy_out(policy))


@receipts.get("", response={200: list[ReceiptOut], **COMMON_RESPONSES}, summary="Receipts")
def receipt_list(request, household: int | None = Query(None, ge=1, le=MAX_ID),
                 period: str | None = Query(None, pattern=r"^([0-9]{4}(-[0-9]{2})?|once)$"),
                 limit: int = Query(200, ge=1, le=500), offset: int = Query(0, ge=0, le=100_000)):
    """The receipts of the households the caller sees, newest first."""
    require(request.auth, "policy.view")
    qs = queries.receipts_visible(request.auth)
    if household is not None:
        qs = qs.filter(household=household_queries.household_get(request.auth, household))
    if period:
        qs = qs.filter(period=period)
    return [receipt_out(r) for r in qs.order_by("-paid_on", "-id")[offset: offset + limit]]


@receipts.post("", response={200: ReceiptOut, 201: ReceiptOut, 403: ErrorOut, **BODY_RESPONSES},
               summary="Record a receipt")
def receipt_create(request, payload: ReceiptIn):
    """Idempotent by `client_id`: a repeat answers 200 with the first receipt."""
    user = request.auth
    require(user, "policy.receipt")
    household = household_queries.household_get(user, payload.household)
    member = None
    if payload.member is not None:
        member = household.members.filter(pk=payload.member).first()
        if member is None:
            raise FieldErrors({"member": [_("This person is not a member of the household.")]})
    receipt, created = services.receipt_record(
        actor=user, household=household, policy_key=payload.policy, period=payload.period, amount=payload.amount,
        paid_on=payload.paid_on, member=member, client_id=payload.client_id)
    return Status(201 if created else 200, receipt_out(receipt))


@receipts.post("/import", response={200: ImportOut, 403: ErrorOut, **BODY_RESPONSES},
               summary="Import a department's payment sheet")
def receipts_import(request, payload: ImportIn):
    """Rows matched on ID number among the caller's households. Every row is checked first: an
    invalid one (422, keyed `rows.N.field`) stores nothing. Rows recorded already are listed in
    `duplicates` (by row number, counting from 1), persons in no household of the caller's area in
    `strangers`; neither is stored."""
    require(request.auth, "policy.import")
    errors: dict[str, list[str]] = {}
    rows = []
    for index, row in enumerate(payload.rows, start=1):
        try:
            parsed = identity.parse_id_number(row.id_number.strip())
        except identity.IdentityError as error:
            errors[f"rows.{index - 1}.id_number"] = [str(error.message)]
            continue
        rows.append(services.PaymentRow(row=index, id_number=parsed.full, name=row.name.strip(), amount=row.amount,
                                        paid_on=row.paid_on or local_today()))
    if errors:
        raise FieldErrors(errors)
    result = services.receipts_import(actor=request.auth, policy_key=payload.policy, period=payload.period, rows=rows)
    return {"created": result.created, "duplicates": [r.row for r in result.duplicates],
            "strangers": [{"row": r.row, "name": r.name, "id_number": identity.mask_id(r.id_number),
                           "amount": r.amount} for r in result.strangers]}
