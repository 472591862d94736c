"""Every read of policies, entitlements, receipts and gaps, starting at the households' scope door.

Entitlements are derived, not stored: the rules (rules.py) read the registry's rows each time, so
a change of a household, a member or a policy shows at once and nothing has to be rebuilt
(bench/policies.py measures the derivation against a plain read of the same rows)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Entitlement:
    policy: Policy
    household_id: int
    member_id: int | None
    member_name: str
    period: str

    @property
    def amount(self) -> int:
        return self.policy.amount


@dataclass(slots=True)
class Gap:
    kind: str  # "missing" (entitled, nothing received) or "unexpected" (received, not entitled)
    household_id: int
    household_number: str
    head_name: str
    region_code: str
    policy_name: str
    # The sentence, or what makes it when it is read (a county's list holds hundreds of thousands
    # of gaps; the figures and most of a long list never show theirs).
    text: Any
    period: str
    village_name: str = ""

    @property
    def message(self) -> str:
        if isinstance(self.text, str):
            return self.text
        messages, entitlement, check = self.text
        return messages.missing_message(entitlement, check)


def _policies_by_county(codes) -> dict[str, list[Policy]]:
    return {county: policies_of_county(county, in_force=True) for county in {county_of_code(c) for c in codes}}


@dataclass(frozen=True)
class _Compiled:
    """A policy made ready for many households: its period's key on the day, its categories as a
    set, its conditions split by what they read (rules.KINDS), once per derivation."""

    policy: Policy
    period: str
    categories: frozenset[str]
    on_household: tuple
    on_member: tuple
    per_member: bool


def _compiled(policies: list[Policy], day: dt.date) -> list[_Compiled]:
    compiled = []
    for policy in policies:
        household_tests, member_tests = [], []
        for condition in policy.conditions:
            kind = rules.KINDS[condition["kind"]]
            (household_tests if kind.on == "household" else member_tests).append((kind.test, condition))
        compiled.append(_Compiled(policy, rules.period_of(policy.period, day), frozenset(policy.categories),
                                  tuple(household_tests), tuple(member_tests), policy.per == Per.MEMBER))
    return compiled


def _entitlements(households: QuerySet[Household], day: dt.date) -> tuple[list[dict], dict[int, list[Entitlement]]]:
    """The households' rows (by village and number) and their entitlements: three reads of the
    registry, then the rules (as rules.qualifying states them) in memory, each policy compiled once."""
    rows = list(households.values(*rules.HOUSEHOLD_FIELDS, "number", "head_name").order_by("region_code", "number"))
    ids = households.values("id")
    categories: dict[int, set[str]] = defaultdict(set)
    # Read in chunks (a server-side cursor on PostgreSQL): a county's members are not also held
    # whole in the driver's buffer.
    for household_id, category in HouseholdCategory.objects.filter(household__in=ids).values_list(
            "household_id", "category").iterator(chunk_size=5000):
        categories[household_id].add(category)
    members: dict[int, list[dict]] = defaultdict(list)
    for member in Member.objects.filter(household__in=ids).values(*rules.MEMBER_FIELDS).order_by(
            "household_id", "id").iterator(chunk_size=5000):
        members[member["household_id"]].append(member)
    by_county = {county: _compiled(policies, day) for county, policies in
                 _policies_by_county({row["region_code"] for row in rows}).items()}
    empty: frozenset[str] = frozenset()
    result: dict[int, list[Entitlement]] = {}
    for row in rows:
        hid = row["id"]
        mine = categories.get(hid, empty)
        people = members.get(hid, ())
        found = []
        for c in by_county[county_of_code(row["region_code"])]:
            if c.categories and not c.categories & mine:
                continue
            if c.on_household and not all(test(condition, row, day) for test, condition in c.on_household):
                continue
            if c.on_member:
                matched = [m for m in people if all(test(condition, m, day) for test, condition in c.on_member)]
                if not matched:
                    continue
            else:
                matched = people if c.per_member else None
            if c.per_member:
                found.extend(Entitlement(c.policy, hid, m["id"], m["name"], c.period) for m in matched)
            elif matched is None or matched:
                found.append(Entitlement(c.policy, hid, None, "", c.period))
        result[hid] = found
    return rows, result


def entitlements_of(households: QuerySet[Household], day: dt.date) -> dict[int, list[Entitlement]]:
    """Every household's entitlements on a day, from its categories, members and its county's
    policies in force: three reads of the registry, then the rules in memory."""
    return _entitlements(households, day)[1]


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


class _Messages:
    """The gaps' sentences, translated once per list (not once per gap): a county's list has a
    hundred thousand of them."""

    def __init__(self):
        self.missing = _("Entitled to %(policy)s%(who)s (%(amount)s yuan, %(period)s): nothing recorded as "
                         "received for %(key)s.")
        self.who = _(" for %(name)s")
        self.not_arrived = _("On %(day)s the household said it has not arrived: ask the department.")
        self.arrived = _("On %(day)s the household said it arrived: record the receipt.")
        self.ask = _("Ask the household on the next call or visit whether it arrived.")
        self.policy: dict[int, tuple[str, str]] = {}

    def of_policy(self, policy: Policy) -> tuple[str, str]:
        known = self.policy.get(id(policy))
        if known is None:
            known = self.policy[id(policy)] = (_yuan(policy.amount), str(policy.get_period_display()))
        return known

    def missing_message(self, e: Entitlement, check: PolicyCheck | None) -> str:
        amount, period = self.of_policy(e.policy)
        message = self.missing % {"policy": e.policy.name, "who": self.who % {"name": e.member_name}
                                  if e.member_name else "", "amount": amount, "period": period, "key": e.period}
        # A sentence after a sentence: no space after a full-width stop (Chinese), one after a period.
        space = "" if message.endswith("。") else " "
        if check is not None and check.answer == Answer.NOT_ARRIVED:
            return message + space + self.not_arrived % {"day": f"{check.checked_on:%m-%d}"}
        if check is not None and check.answer == Answer.ARRIVED:
            return message + space + self.arrived % {"day": f"{check.checked_on:%m-%d}"}
        return message + space + self.ask


def _missing_message(e: Entitlement, check: PolicyCheck | None) -> str:
    return _Messages().missing_message(e, check)


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
    policies_of = {county: {p.key: p for p in policies} for county, policies in
                   _policies_by_county({h["region_code"] for h in households}).items()}
    periods = _periods(day)
    messages = _Messages()
    gaps = []
    for h in households:
        hid = h["id"]
        mine = by_household.get(hid, ())
        owed = entitlements.get(hid, ())
        number, head, region = h["number"], h["head_name"], h["region_code"]
        if not mine:  # nothing received: every entitlement is a gap
            for e in owed:
                gaps.append(Gap("missing", hid, number, head, region, e.policy.name,
                                (messages, e, checks.get((hid, e.policy.key, e.period))), e.period))
            continue
        matched: set[int] = set()
        for e in owed:
            got = _received(e, mine)
            matched.update(r.pk for r in got)
            if not got:
                gaps.append(Gap("missing", hid, number, head, region, e.policy.name,
                                (messages, e, checks.get((hid, e.policy.key, e.period))), e.period))
        policies = policies_of[county_of_code(region)]
        for r in mine:
            policy = policies.get(r.policy_key)
            if r.pk in matched or (policy is not None and r.period != rules.period_of(policy.period, day)):
                continue
            if policy is None and r.period not in periods:
                continue
            name = names.get(r.member_id, "") if r.member_id else ""
            gaps.append(Gap("unexpected", hid, number, head, region, policy.name if policy else r.policy_key,
                            _unexpected_message(r, policy, name), r.period))
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
    rows, entitlements = _entitlements(households, day)
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
