"""Every read of policies, entitlements, receipts and gaps, starting at the households' scope door.

Entitlements are derived, not stored: the rules (rules.py) read the registry's rows each time, so
a change of a household, a member or a policy shows at once and nothing has to be rebuilt
(bench/policies.py measures the derivation against a plain read of the same rows)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bangfu.core.codes import COUNTY_LENGTH
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.choices import Status
from bangfu.households.models import Household, HouseholdCategory, Member, scope_q
from bangfu.policies import rules
from bangfu.policies.defaults import DEFAULT_POLICIES
from bangfu.policies.models import Answer, Per, Policy, PolicyCheck, Receipt


def county_of(user) -> str:
    """The county whose policies a user works with; "" (the defaults) for the administrator."""
    if user.role == Role.ADMIN or not user.region_id:
        return ""
    return user.region_id[:COUNTY_LENGTH]


def county_of_code(code: str) -> str:
    return code[:COUNTY_LENGTH]


def default_policies() -> list[Policy]:
    """The defaults as the code gives them (unsaved rows): what every county starts from until the
    administrator changes one (a row of county "") or the county sets its own."""
    return [Policy(county_code="", **{**d, "categories": [str(c) for c in d["categories"]]})
            for d in DEFAULT_POLICIES]


def policies_of_county(county_code: str, *, in_force: bool = False) -> list[Policy]:
    """A county's policies: its own rows, then the defaults as changed by the administrator, then
    the defaults of the code; by key."""
    chosen: dict[str, Policy] = {p.key: p for p in default_policies()}
    rows = Policy.objects.filter(county_code__in={"", county_code}).order_by("county_code", "key")
    for policy in rows:  # "" sorts first: a county's own row wins
        chosen[policy.key] = policy
    policies = sorted(chosen.values(), key=lambda p: (p.name, p.key))
    return [p for p in policies if p.active] if in_force else policies


def policy_get(user, key: str) -> Policy:
    for policy in policies_of_county(county_of(user)):
        if policy.key == key:
            return policy
    raise Http404("no such policy")


def receipts_visible(user) -> QuerySet[Receipt]:
    condition = scope_q(user, "household__")
    return Receipt.objects.none() if condition is None else Receipt.objects.filter(condition)


@dataclass(frozen=True)
class Entitlement:
    policy: Policy
    household_id: int
    member_id: int | None
    member_name: str
    period: str

    @property
    def amount(self) -> int:
        return self.policy.amount


@dataclass
class Gap:
    kind: str  # "missing" (entitled, nothing received) or "unexpected" (received, not entitled)
    household_id: int
    household_number: str
    head_name: str
    region_code: str
    policy_name: str
    message: str
    period: str
    village_name: str = ""


def _policies_by_county(codes) -> dict[str, list[Policy]]:
    return {county: policies_of_county(county, in_force=True) for county in {county_of_code(c) for c in codes}}


def entitlements_of(households: QuerySet[Household], day: dt.date) -> dict[int, list[Entitlement]]:
    """Every household's entitlements on a day, from its categories, members and its county's
    policies in force: three reads of the registry, then the rules in memory."""
    rows = list(households.values(*rules.HOUSEHOLD_FIELDS, "number", "head_name"))
    ids = households.values("id")
    categories: dict[int, set[str]] = defaultdict(set)
    for household_id, category in HouseholdCategory.objects.filter(household__in=ids).values_list(
            "household_id", "category"):
        categories[household_id].add(category)
    members: dict[int, list[dict]] = defaultdict(list)
    for member in Member.objects.filter(household__in=ids).values(*rules.MEMBER_FIELDS).order_by("household_id",
                                                                                                 "id"):
        members[member["household_id"]].append(member)
    by_county = _policies_by_county(row["region_code"] for row in rows)
    result: dict[int, list[Entitlement]] = {}
    for row in rows:
        found = []
        for policy in by_county[county_of_code(row["region_code"])]:
            period = rules.period_of(policy.period, day)
            for member in rules.qualifying(policy, row, categories[row["id"]], members[row["id"]], day):
                found.append(Entitlement(policy, row["id"], member and member["id"], member["name"] if member else "",
                                         period))
        result[row["id"]] = found
    return result


def _current(households: QuerySet[Household]) -> QuerySet[Household]:
    return households.exclude(status=Status.CLOSED)


def _periods(day: dt.date) -> set[str]:
    return {rules.period_of(p, day) for p in ("monthly", "yearly", "once")}


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


@dataclass
class HouseholdPolicies:
    """A household's policies this period: each entitlement with what arrived, and the gaps."""

    entitlements: list[tuple[Entitlement, list[Receipt]]] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)


def _received(entitlement: Entitlement, receipts: list[Receipt]) -> list[Receipt]:
    return [r for r in receipts if r.policy_key == entitlement.policy.key and r.period == entitlement.period
            and (entitlement.policy.per == Per.HOUSEHOLD or r.member_id == entitlement.member_id)]


def _who(name: str) -> str:
    return _(" for %(name)s") % {"name": name} if name else ""


def _missing_message(e: Entitlement, check: PolicyCheck | None) -> str:
    message = _("Entitled to %(policy)s%(who)s (%(amount)s yuan, %(period)s): nothing recorded as received "
                "for %(key)s.") % {"policy": e.policy.name, "who": _who(e.member_name), "amount": _yuan(e.amount),
                                   "period": e.policy.get_period_display(), "key": e.period}
    # A sentence after a sentence: no space after a full-width stop (Chinese), one after a period.
    space = "" if message.endswith("。") else " "
    if check is not None and check.answer == Answer.NOT_ARRIVED:
        message += space + _("On %(day)s the household said it has not arrived: ask the department.") % {
            "day": f"{check.checked_on:%m-%d}"}
    elif check is not None and check.answer == Answer.ARRIVED:
        message += space + _("On %(day)s the household said it arrived: record the receipt.") % {
            "day": f"{check.checked_on:%m-%d}"}
    else:
        message += space + _("Ask the household on the next call or visit whether it arrived.")
    return message


def _unexpected_message(r: Receipt, policy: Policy | None, name: str) -> str:
    if policy is None:
        return _("A payment of %(amount)s yuan for %(period)s was recorded under %(policy)s, which is not a "
                 "policy in force in this county.") % {"amount": _yuan(r.amount), "period": r.period,
                                                        "policy": r.policy_key}
    return _("%(policy)s of %(amount)s yuan for %(period)s was received%(who)s, who does not qualify by the "
             "registry: correct the registry or tell the department.") % {
        "policy": policy.name, "amount": _yuan(r.amount), "period": r.period, "who": _who(name)}


def _gaps(households: list[dict], entitlements: dict[int, list[Entitlement]], receipts: list[Receipt],
          checks: dict[tuple[int, str, str], PolicyCheck], names: dict[int, str], day: dt.date) -> list[Gap]:
    by_household: dict[int, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        by_household[receipt.household_id].append(receipt)
    by_county = _policies_by_county(h["region_code"] for h in households)
    gaps = []
    for h in households:
        hid = h["id"]
        mine = by_household[hid]
        owed = entitlements.get(hid, [])
        matched: set[int] = set()
        base = {"household_id": hid, "household_number": h["number"], "head_name": h["head_name"],
                "region_code": h["region_code"]}
        for e in owed:
            got = _received(e, mine)
            matched.update(r.pk for r in got)
            if not got:
                gaps.append(Gap(kind="missing", policy_name=e.policy.name, period=e.period,
                                message=_missing_message(e, checks.get((hid, e.policy.key, e.period))), **base))
        policies = {p.key: p for p in by_county[county_of_code(h["region_code"])]}
        for r in mine:
            policy = policies.get(r.policy_key)
            if r.pk in matched or (policy is not None and r.period != rules.period_of(policy.period, day)):
                continue
            if policy is None and r.period not in _periods(day):
                continue
            name = names.get(r.member_id, "") if r.member_id else ""
            gaps.append(Gap(kind="unexpected", policy_name=policy.name if policy else r.policy_key, period=r.period,
                            message=_unexpected_message(r, policy, name), **base))
    return gaps


def _checks_of(receipts_households: QuerySet, day: dt.date) -> dict[tuple[int, str, str], PolicyCheck]:
    latest: dict[tuple[int, str, str], PolicyCheck] = {}
    for check in PolicyCheck.objects.filter(household__in=receipts_households, period__in=_periods(day)).order_by(
            "checked_on", "id"):
        latest[(check.household_id, check.policy_key, check.period)] = check
    return latest


def gaps_in_scope(user, *, day: dt.date | None = None, village: str = "", kind: str = "") -> list[Gap]:
    """The gaps of every household the user sees (a village's only, when given), both ways."""
    households = Household.objects.visible_to(user)
    if village:
        households = households.filter(region_code__startswith=village)
    gaps = gaps_of(households, day=day or local_today())
    return [g for g in gaps if not kind or g.kind == kind]


def gaps_of(households: QuerySet[Household], *, day: dt.date) -> list[Gap]:
    """The gaps of these households (those not closed), both ways, by village and number; the
    caller has applied the scope (gaps_in_scope) or wants every area (the summary figures)."""
    households = _current(households)
    entitlements = entitlements_of(households, day)
    rows = list(households.values("id", "number", "head_name", "region_code").order_by("region_code", "number"))
    ids = households.values("id")
    receipts = list(Receipt.objects.filter(household__in=ids, period__in=_periods(day)).only(
        "id", "policy_key", "household_id", "member_id", "period", "amount"))
    names = dict(Member.objects.filter(pk__in={r.member_id for r in receipts if r.member_id}).values_list("id",
                                                                                                         "name"))
    return _gaps(rows, entitlements, receipts, _checks_of(ids, day), names, day)


def household_policies(user, household: Household, *, day: dt.date | None = None) -> HouseholdPolicies:
    """One household's entitlements this period, what arrived for each, and its gaps."""
    day = day or local_today()
    one = Household.objects.visible_to(user).filter(pk=household.pk)
    entitlements = entitlements_of(one, day)
    receipts = list(Receipt.objects.filter(household=household).select_related("member")[:200])
    current = [r for r in receipts if r.period in _periods(day)]
    names = {r.member_id: r.member.name for r in receipts if r.member_id}
    owed = entitlements.get(household.pk, [])
    row = {"id": household.pk, "number": household.number, "head_name": household.head_name,
           "region_code": household.region_code}
    gaps = _gaps([row], entitlements, current, _checks_of(one.values("id"), day), names, day)
    return HouseholdPolicies(entitlements=[(e, _received(e, current)) for e in owed], gaps=gaps, receipts=receipts)
