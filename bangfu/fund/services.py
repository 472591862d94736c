"""Every write to the filial-piety fund: permission, scope, the checks across rows, one transaction,
history. A contribution adds its match (the county's percent, rounded half up to the fen) in the
same transaction; a payout locks its agreement and is refused, with the figure, above the balance
(the database's constraint holds it too)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import crypto
from bangfu.core.codes import Level, ancestors
from bangfu.core.errors import ConflictError
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import PermissionDenied, require
from bangfu.fund.models import (
    DEFAULT_MATCH_PERCENT,
    ELDER_AGE,
    Agreement,
    AgreementStatus,
    Council,
    Entry,
    EntryKind,
    FundSetting,
    Supporter,
)
from bangfu.fund.queries import percent_text
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households.identity import mask_phone
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region


def _yuan(fen: int) -> str:
    return f"{(Decimal(fen) / 100).quantize(Decimal('0.01')):,}"


# --- reads the writes share ---------------------------------------------------------------------

def setting_snapshot(setting: FundSetting) -> dict:
    return {"match_percent": str(setting.match_percent)}


def council_snapshot(council: Council) -> dict:
    return {"name": council.name, "founded_on": council.founded_on.isoformat(), "members": list(council.members)}


def agreement_snapshot(agreement: Agreement) -> dict:
    return {
        "elder": agreement.elder.name, "monthly_amount": agreement.monthly_amount,
        "starts_on": agreement.starts_on.isoformat(), "in_kind": agreement.in_kind, "visits": agreement.visits,
        "signed_on": agreement.signed_on.isoformat(), "witnesses": agreement.witnesses, "status": agreement.status,
        # Phones as their masked form: a timeline is read by roles that may not see them.
        "children": [f"{s.name}（{s.relation}）{mask_phone(s.phone) if s.phone_encrypted else ''} {s.address}".strip()
                       for s in agreement.supporters.all()],
    }


def entry_snapshot(entry: Entry) -> dict:
    return {"kind": entry.kind, "amount": entry.amount, "on": entry.on.isoformat(), "frequency": entry.frequency,
            "payer": entry.payer, "month": entry.month.isoformat() if entry.month else None, "note": entry.note}


def match_percent_for(region_code: str) -> Decimal:
    """The county's match for an area (DEFAULT_MATCH_PERCENT when it has set none)."""
    county = next((code for code in ancestors(region_code) + [region_code]
                   if len(code) == 6), None)
    setting = FundSetting.objects.filter(county_id=county).first() if county else None
    return setting.match_percent if setting is not None else DEFAULT_MATCH_PERCENT


def match_amount(amount: int, percent: Decimal) -> int:
    """The match of a contribution, in fen: the percent of it, rounded half up to the fen (the one
    rounding rule: 12.5 fen is 13, 12.4 is 12)."""
    return int((Decimal(amount) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on `day` (one born on 29 February turns a year older on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _scoped_council(actor: User, council: Council) -> Council:
    found = Council.objects.visible_to(actor).filter(pk=council.pk).first()
    if found is None:
        raise PermissionDenied("fund.view")
    return found


def _scoped_agreement(actor: User, agreement: Agreement, *, lock: bool = False) -> Agreement:
    rows = Agreement.objects.visible_to(actor).filter(pk=agreement.pk)
    if lock:
        # Held until the end of the transaction (PostgreSQL): a second payout waits and reads the
        # balance the first one left.
        rows = Agreement.objects.select_for_update(of=("self",)).filter(pk__in=rows.values("pk"))
    found = rows.select_related("council", "elder", "household").first()
    if found is None:
        raise PermissionDenied("fund.view")
    return found


# --- the county's match -------------------------------------------------------------------------

@transaction.atomic
def fund_setting_set(*, county: Region, match_percent: Decimal, actor: User) -> FundSetting:
    require(actor, "fund.configure")
    if county.level != Level.COUNTY:
        raise ValidationError({"county": _("Choose a county.")})
    if actor.role != "admin" and not county.code.startswith(actor.region_id or "-"):
        raise PermissionDenied("fund.configure")
    if not Decimal(0) <= Decimal(match_percent) <= Decimal(100):
        raise ValidationError({"match_percent": _("Enter a percent from 0 to 100.")})
    setting, created = FundSetting.objects.get_or_create(county=county, defaults={"match_percent": match_percent})
    before = setting_snapshot(setting)
    if not created:
        setting.match_percent = match_percent
        setting.save(update_fields=["match_percent"])
    record(actor, Action.CREATE if created else Action.UPDATE, setting, before=None if created else before)
    return setting


# --- councils -----------------------------------------------------------------------------------

def _clean_members(members: list[str]) -> list[str]:
    return [line.strip() for line in members if line and line.strip()]


@transaction.atomic
def council_create(*, village: Region, name: str, founded_on: dt.date, members: list[str], actor: User) -> Council:
    require(actor, "fund.manage")
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("Choose a village.")})
    if actor.role != "admin" and not village.code.startswith(actor.region_id or "-"):
        raise ValidationError({"village": _("This village is outside your area.")})
    if Council.objects.filter(village=village).exists():
        raise ValidationError({"village": _("This village has a council already.")})
    council = Council.objects.create(village=village, region_code=village.code, name=name.strip(),
                                     founded_on=founded_on, members=_clean_members(members), created_by=actor)
    record(actor, Action.CREATE, council)
    return council


@transaction.atomic
def council_change(*, council: Council, name: str, founded_on: dt.date, members: list[str],
                   actor: User) -> Council:
    require(actor, "fund.manage")
    council = _scoped_council(actor, council)
    before = council_snapshot(council)
    council.name, council.founded_on, council.members = name.strip(), founded_on, _clean_members(members)
    council.save(update_fields=["name", "founded_on", "members"])
    record(actor, Action.UPDATE, council, before=before)
    return council


# --- agreements ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SupporterData:
    name: str
    relation: str
    phone: str = ""  # normalised by the form (households.identity.normalise_phone)
    address: str = ""


def _check_elder(council: Council, elder: Member, signed_on: dt.date) -> None:
    if elder.household.region_code != council.region_code:
        raise ValidationError({"elder": _("The elder must live in the council's village.")})
    age = age_on(elder.birth_date, signed_on)
    if age < ELDER_AGE:
        raise ValidationError({"elder": _("%(name)s is %(age)s on the day signed: an elder is %(min)s or older.") % {
            "name": elder.name, "age": age, "min": ELDER_AGE}})


def _write_supporters(agreement: Agreement, supporters: list[SupporterData]) -> None:
    if not supporters:
        raise ValidationError({"supporters": _("Name at least one child who supports the elder.")})
    rows = []
    for s in supporters:
        encrypted, hashed, tail = crypto.seal_phone(s.phone)
        rows.append(Supporter(agreement=agreement, name=s.name.strip(), relation=s.relation.strip(),
                              phone_encrypted=encrypted, phone_hash=hashed, phone_tail=tail,
                              address=s.address.strip()))
    Supporter.objects.bulk_create(rows)


@transaction.atomic
def agreement_create(*, council: Council, elder: Member, monthly_amount: int, starts_on: dt.date,
                     signed_on: dt.date, witnesses: str, supporters: list[SupporterData], actor: User,
                     in_kind: str = "", visits: str = "") -> Agreement:
    """An agreement for an elder (60 or older on the day signed) of the council's village, due each
    month from the month of `starts_on`."""
    require(actor, "fund.manage")
    council = _scoped_council(actor, council)
    if not Household.objects.visible_to(actor).filter(pk=elder.household_id).exists():
        raise PermissionDenied("household.view")
    _check_elder(council, elder, signed_on)
    if monthly_amount <= 0:
        raise ValidationError({"monthly_amount": _("Enter an amount greater than zero.")})
    agreement = Agreement.objects.create(
        council=council, elder=elder, household_id=elder.household_id, region_code=council.region_code,
        monthly_amount=monthly_amount, starts_on=starts_on.replace(day=1), signed_on=signed_on,
        witnesses=witnesses.strip(), in_kind=in_kind.strip(), visits=visits.strip(), created_by=actor)
    _write_supporters(agreement, supporters)
    record(actor, Action.CREATE, agreement)
    return agreement


@transaction.atomic
def agreement_change(*, agreement: Agreement, monthly_amount: int, in_kind: str, visits: str, witnesses: str,
                     status: str, actor: User, supporters: list[SupporterData] | None = None,
                     version: int | None = None) -> Agreement:
    """The terms changed (a new amount from a month on is a new agreement; this corrects or ends
    one); `supporters`, when given, replace the ones recorded."""
    require(actor, "fund.manage")
    agreement = _scoped_agreement(actor, agreement, lock=True)
    if version is not None and version != agreement.version:
        raise ConflictError(agreement.version)
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("Select a valid choice.")})
    if monthly_amount <= 0:
        raise ValidationError({"monthly_amount": _("Enter an amount greater than zero.")})
    before = agreement_snapshot(agreement)
    agreement.monthly_amount, agreement.in_kind, agreement.visits = monthly_amount, in_kind.strip(), visits.strip()
    agreement.witnesses, agreement.status = witnesses.strip(), status
    agreement.version += 1
    agreement.save(update_fields=["monthly_amount", "in_kind", "visits", "witnesses", "status", "version"])
    if supporters is not None:
        agreement.supporters.all().delete()
        _write_supporters(agreement, supporters)
    record(actor, Action.UPDATE, agreement, before=before)
    return agreement


# --- the ledger ---------------------------------------------------------------------------------

def _entry(agreement: Agreement, actor: User, **fields) -> Entry:
    return Entry.objects.create(council_id=agreement.council_id, agreement=agreement,
                                household_id=agreement.household_id, region_code=agreement.region_code,
                                recorded_by=actor, **fields)


@transaction.atomic
def contribution_record(*, agreement: Agreement, amount: int, frequency: str, on: dt.date, actor: User,
                        payer: str = "", note: str = "", client_id: str | None = None) -> tuple[Entry, bool]:
    """Support money received from the children, and the match added to it; a retry with the same
    client id answers with the first (created False)."""
    require(actor, "fund.record")
    agreement = _scoped_agreement(actor, agreement, lock=True)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError({"agreement": _("This agreement has ended: it takes no contribution.")})
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than zero.")})

    def create() -> Entry:
        entry = _entry(agreement, actor, kind=EntryKind.CONTRIBUTION, amount=amount, on=on, frequency=frequency,
                       payer=payer.strip(), note=note.strip(), client_id=client_id or None)
        percent = match_percent_for(agreement.region_code)
        added = match_amount(amount, percent)
        if added:
            _entry(agreement, actor, kind=EntryKind.MATCH, amount=added, on=on, matches=entry,
                   note=_("%(percent)s%% of %(amount)s") % {"percent": percent_text(percent), "amount": _yuan(amount)})
        Agreement.objects.filter(pk=agreement.pk).update(balance=F("balance") + amount + added)
        record(actor, Action.CREATE, entry)
        return entry

    if client_id:
        entry, created = create_once(Entry, client_id=client_id, create=create)
        if entry.agreement_id != agreement.pk or entry.kind != EntryKind.CONTRIBUTION:
            raise ValidationError({"client_id": _("This client id was used for another record.")})
        return entry, created
    return create(), True


@transaction.atomic
def payout_record(*, agreement: Agreement, amount: int, month: dt.date, on: dt.date, actor: User,
                  note: str = "", client_id: str | None = None) -> tuple[Entry, bool]:
    """Money paid to the elder for a month; never above the agreement's balance (refused with the
    figure)."""
    require(actor, "fund.record")
    agreement = _scoped_agreement(actor, agreement, lock=True)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than zero.")})

    def refused() -> ValidationError:
        current = Agreement.objects.get(pk=agreement.pk).balance
        return ValidationError({"amount": _(
            "Only %(balance)s yuan is in this agreement's account (contributions and the match less the "
            "payouts): %(amount)s yuan cannot be paid out.") % {"balance": _yuan(current), "amount": _yuan(amount)}})

    if amount > agreement.balance:
        raise refused()

    def create() -> Entry:
        entry = _entry(agreement, actor, kind=EntryKind.PAYOUT, amount=amount, on=on, month=month.replace(day=1),
                       note=note.strip(), client_id=client_id or None)
        try:
            with transaction.atomic():
                Agreement.objects.filter(pk=agreement.pk).update(balance=F("balance") - amount)
        except IntegrityError:
            raise refused() from None
        record(actor, Action.CREATE, entry)
        return entry

    if client_id:
        entry, created = create_once(Entry, client_id=client_id, create=create)
        if entry.agreement_id != agreement.pk or entry.kind != EntryKind.PAYOUT:
            raise ValidationError({"client_id": _("This client id was used for another record.")})
        return entry, created
    return create(), True
