"""Every write of policies, receipts and checks: permission, checks across rows, one transaction,
history."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import crypto
from bangfu.core.dates import local_today
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import PermissionDenied, Role, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households import identity
from bangfu.households.models import Household, Member
from bangfu.policies import queries, rules
from bangfu.policies.models import Per, Policy, PolicyCheck, Receipt, Source

POLICY_FIELDS = ("name", "department", "categories", "conditions", "amount", "period", "per", "active")


def policy_snapshot(policy: Policy) -> dict[str, Any]:
    return {"key": policy.key, "county": policy.county_code, **{f: getattr(policy, f) for f in POLICY_FIELDS}}


def receipt_snapshot(receipt: Receipt) -> dict[str, Any]:
    return {"policy": receipt.policy_key, "member": receipt.member_id, "period": receipt.period,
            "amount": receipt.amount, "paid_on": receipt.paid_on.isoformat(), "source": receipt.source}


def check_snapshot(check: PolicyCheck) -> dict[str, Any]:
    return {"policy": check.policy_key, "period": check.period, "answer": check.answer,
            "checked_on": check.checked_on.isoformat(), "contact": check.contact_id}


@transaction.atomic
def policy_save(*, actor: User, key: str, data: dict[str, Any], county_code: str | None = None) -> tuple[Policy, bool]:
    """Set a policy of the actor's county (the administrator: a default, or any county's): the
    county's own row of this key, made from the default on its first change. (policy, created)."""
    require(actor, "policy.manage")
    own = queries.county_of(actor)
    county = own if county_code is None or actor.role != Role.ADMIN else county_code
    if actor.role != Role.ADMIN and county != own:
        raise PermissionDenied("policy.manage")
    problems = rules.check_conditions(data.get("conditions", []))
    if problems:
        raise ValidationError({"conditions": problems})
    row = Policy.objects.select_for_update().filter(county_code=county, key=key).first()
    values = {f: data[f] for f in POLICY_FIELDS if f in data}
    if row is None:
        # What the county (or the administrator) saw until now: the default, as changed or as given.
        inherited = next((p for p in queries.policies_of_county(county) if p.key == key), None)
        start = {f: getattr(inherited, f) for f in POLICY_FIELDS} if inherited else {}
        merged = {**start, **values}
        missing = [f for f in ("name", "amount", "period", "per") if merged.get(f) in (None, "")]
        if missing:
            raise ValidationError({f: [_("This field is required.")] for f in missing})
        row = Policy.objects.create(county_code=county, key=key, updated_by=actor, **merged)
        record(actor, Action.CREATE, row, region_code=county)
        return row, True
    before = policy_snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_by = actor
    row.save()
    record(actor, Action.UPDATE, row, before=before, region_code=county)
    return row, False


def _household_in_scope(actor: User, household: Household) -> Household:
    found = Household.objects.visible_to(actor).filter(pk=household.pk).first()
    if found is None:
        raise Http404("no such household")
    return found


@transaction.atomic
def receipt_record(*, actor: User, household: Household, policy_key: str, period: str, amount: int,
                   paid_on: dt.date, member: Member | None = None, client_id: uuid.UUID | None = None,
                   ) -> tuple[Receipt, bool]:
    """A receipt written down by hand (a bank book, a payment slip): once per client id, and once
    per policy, person (or household) and period. (receipt, created)."""
    require(actor, "policy.receipt")
    household = _household_in_scope(actor, household)
    if client_id is not None:
        existing = Receipt.objects.filter(client_id=client_id).first()
        if existing is not None:
            return existing, False
    policy = next((p for p in queries.policies_of_county(queries.county_of_code(household.region_code))
                   if p.key == policy_key), None)
    errors: dict[str, list[str]] = {}
    if policy is None:
        errors["policy"] = [_("No such policy in this household's county.")]
    elif not _period_fits(policy.period, period):
        errors["period"] = [_("The period of this policy reads %(example)s.") % {
            "example": rules.period_of(policy.period, local_today())}]
    if member is not None and member.household_id != household.pk:
        errors["member"] = [_("This person is not a member of the household.")]
    if policy is not None and policy.per == Per.MEMBER and member is None:
        errors["member"] = [_("This policy is paid per person: choose who received it.")]
    if errors:
        raise ValidationError(errors)
    if policy.per == Per.HOUSEHOLD:
        member = None
    if Receipt.objects.filter(policy_key=policy_key, household=household, member=member, period=period).exists():
        raise ValidationError({"period": [_("A receipt of this policy for this period is recorded already.")]})

    def create() -> Receipt:
        receipt = Receipt.objects.create(
            policy_key=policy_key, household=household, member=member, region_code=household.region_code,
            period=period, amount=amount, paid_on=paid_on, source=Source.HAND, client_id=client_id,
            recorded_by=actor)
        record(actor, Action.CREATE, receipt, region_code=household.region_code)
        return receipt

    if client_id is None:
        return create(), True
    return create_once(Receipt, client_id=client_id, create=create)


def _period_fits(period_kind: str, period: str) -> bool:
    if period_kind == "once":
        return period == "once"
    try:
        if period_kind == "monthly":
            dt.datetime.strptime(period, "%Y-%m")
            return len(period) == 7
        dt.datetime.strptime(period, "%Y")
        return len(period) == 4
    except ValueError:
        return False


@dataclass
class PaymentRow:
    """One row of a department's payment sheet, read (payments.read_sheet) and checked."""

    row: int
    id_number: str
    name: str
    amount: int
    paid_on: dt.date


@dataclass
class ImportResult:
    created: int = 0
    duplicates: list[PaymentRow] = field(default_factory=list)
    strangers: list[PaymentRow] = field(default_factory=list)
    names_differ: list[tuple[PaymentRow, str]] = field(default_factory=list)


@transaction.atomic
def receipts_import(*, actor: User, policy_key: str, period: str, rows: list[PaymentRow]) -> ImportResult:
    """A department's payment sheet for one policy and period, matched on ID number among the
    households the actor sees. A person found nowhere in scope is reported, not dropped silently; a
    receipt already stored (a sheet imported again, a row twice) is stored once."""
    require(actor, "policy.import")
    county = queries.county_of(actor)
    policy = next((p for p in queries.policies_of_county(county) if p.key == policy_key), None)
    if policy is None:
        raise ValidationError({"policy": [_("No such policy in your county.")]})
    if not _period_fits(policy.period, period):
        raise ValidationError({"period": [_("The period of this policy reads %(example)s.") % {
            "example": rules.period_of(policy.period, local_today())}]})
    hashes = {}
    for row in rows:
        parsed = identity.parse_id_number(row.id_number)
        hashes[row.row] = crypto.keyed_hash(parsed.base)
    members = {m.id_hash: m for m in Member.objects.filter(
        id_hash__in=set(hashes.values()), household__in=Household.objects.visible_to(actor)).select_related(
        "household")}
    result = ImportResult()
    seen: set[tuple[int, int | None]] = set()
    existing = {(h, m) for h, m in Receipt.objects.filter(
        policy_key=policy_key, period=period, household__in={m.household_id for m in members.values()}
    ).values_list("household_id", "member_id")}
    existing_households = {h for h, _m in existing}
    for row in rows:
        member = members.get(hashes[row.row])
        if member is None:
            result.strangers.append(row)
            continue
        household = member.household
        key = (household.pk, member.pk if policy.per == Per.MEMBER else None)
        if key in seen or key in existing or (policy.per == Per.HOUSEHOLD and household.pk in existing_households):
            result.duplicates.append(row)
            continue
        seen.add(key)
        if policy.per == Per.HOUSEHOLD:
            existing_households.add(household.pk)
        if row.name and row.name != member.name:
            result.names_differ.append((row, member.name))
        receipt = Receipt.objects.create(
            policy_key=policy_key, household=household, member=member if policy.per == Per.MEMBER else None,
            region_code=household.region_code, period=period, amount=row.amount, paid_on=row.paid_on,
            source=Source.SHEET, recorded_by=actor)
        record(actor, Action.CREATE, receipt, region_code=household.region_code,
               message=_("Imported from the payment sheet, row %(row)d.") % {"row": row.row})
        result.created += 1
    return result


@transaction.atomic
def policy_check_record(*, actor: User, household: Household, policy_key: str, answer: str,
                        contact=None, day: dt.date | None = None) -> PolicyCheck:
    """The household's answer to "did it arrive?" for a policy it is entitled to this period."""
    require(actor, "policy.check")
    household = _household_in_scope(actor, household)
    day = day or local_today()
    policy = next((p for p in queries.policies_of_county(queries.county_of_code(household.region_code),
                                                         in_force=True) if p.key == policy_key), None)
    if policy is None:
        raise ValidationError({"policy": [_("No such policy in this household's county.")]})
    check = PolicyCheck.objects.create(
        policy_key=policy_key, household=household, contact=contact, region_code=household.region_code,
        period=rules.period_of(policy.period, day), answer=answer, checked_on=day, checked_by=actor)
    record(actor, Action.CREATE, check, region_code=household.region_code)
    return check
