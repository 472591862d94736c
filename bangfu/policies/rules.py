"""Who qualifies for a policy: the kinds of condition a policy may hold, each evaluated here and
nowhere else. A policy's `categories` (any of) and its household conditions are read on the
household; its member conditions must all hold for one and the same member. A policy paid per
person is owed once per member who qualifies; one paid per household once, when any does (or when
it has no member conditions at all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from bangfu.households import choices

# A row read for the rules: plain dicts (queries read them with .values(), the benchmark too).
Row = dict[str, Any]

HOUSEHOLD_FIELDS = ("id", "region_code", "dilapidated", "business_income")
MEMBER_FIELDS = ("id", "household_id", "name", "birth_date", "health", "disability_category", "school_status",
                 "welfare_post_type", "labor_skill", "disability_grade")


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Kind:
    label: Any
    on: str  # "household" or "member"
    test: Callable[[dict, Row, dt.date], bool]


def _dilapidated(_condition, household, _day):
    return household.get("dilapidated") is True


def _business_income(_condition, household, _day):
    return (household.get("business_income") or 0) > 0


def _age_between(condition, member, day):
    age = age_on(member["birth_date"], day)
    low, high = condition.get("min"), condition.get("max")
    return (low is None or age >= low) and (high is None or age <= high)


def _health_any(condition, member, _day):
    return bool(set(member.get("health") or ()) & set(condition.get("values", ())))


def _disabled(_condition, member, _day):
    return choices.Health.DISABLED in (member.get("health") or ()) or bool(member.get("disability_category"))


def _disability_grade(condition, member, _day):
    """A disabled member whose certificate's grade (残疾等级) is one of these (一级, 二级: severe)."""
    return member.get("disability_grade") in set(condition.get("values", ()))


def _in_school(condition, member, _day):
    return member.get("school_status") in set(condition.get("values", ()))


def _welfare_post(_condition, member, _day):
    return bool(member.get("welfare_post_type"))


def _labor_any(condition, member, _day):
    return member.get("labor_skill") in set(condition.get("values", ()))


KINDS: dict[str, Kind] = {
    "dilapidated": Kind(_("Dilapidated housing"), "household", _dilapidated),
    "business_income": Kind(_("Has business income"), "household", _business_income),
    "age_between": Kind(_("A member of this age"), "member", _age_between),
    "health_any": Kind(_("A member in this health"), "member", _health_any),
    "disabled": Kind(_("A disabled member"), "member", _disabled),
    "disability_grade": Kind(_("A disabled member of this grade"), "member", _disability_grade),
    "in_school": Kind(_("A member at this stage of school"), "member", _in_school),
    "welfare_post": Kind(_("A member on a public welfare post"), "member", _welfare_post),
    "labor_any": Kind(_("A member with this labour ability"), "member", _labor_any),
}


def check_conditions(conditions: Iterable[dict]) -> list[str]:
    """The problems of a list of conditions as stored (an unknown kind, a value it cannot hold)."""
    problems = []
    for condition in conditions:
        if not isinstance(condition, dict) or condition.get("kind") not in KINDS:
            problems.append(str(_("Unknown condition: %(c)s")) % {"c": condition})
    return problems


def qualifying(policy, household: Row, categories: set[str], members: list[Row], day: dt.date) -> list[Row | None]:
    """Whom the policy is owed to in this household on this day: the qualifying members (paid per
    person), [None] (paid per household), or [] when the household does not qualify."""
    if policy.categories and not categories & set(policy.categories):
        return []
    member_conditions = []
    for condition in policy.conditions:
        kind = KINDS[condition["kind"]]
        if kind.on == "household":
            if not kind.test(condition, household, day):
                return []
        else:
            member_conditions.append((kind, condition))
    if member_conditions:
        matched = [m for m in members if all(kind.test(c, m, day) for kind, c in member_conditions)]
    else:
        matched = list(members) if policy.per == "member" else [None]
    if not matched:
        return []
    return matched if policy.per == "member" else [None]


def period_of(period: str, day: dt.date) -> str:
    """The key of the period a day falls in: "2026-03" (monthly), "2026" (yearly), "once"."""
    if period == "monthly":
        return f"{day:%Y-%m}"
    if period == "yearly":
        return f"{day:%Y}"
    return "once"


def describe(condition: dict) -> str:
    """A condition as a sentence of the policy's page."""
    kind = KINDS.get(condition.get("kind"))
    if kind is None:
        return str(condition)
    label = str(kind.label)
    if condition["kind"] == "age_between":
        low, high = condition.get("min"), condition.get("max")
        return f"{label} {'' if low is None else low}–{'' if high is None else high}"
    values = condition.get("values")
    return f"{label}: {'、'.join(str(v) for v in values)}" if values else label
