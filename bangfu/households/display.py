"""How household data reads on a page: sections of facts, and the names the household's history
shows for its caseworker and village (its timeline is history.timeline's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.history.timeline import EMPTY, field_label, value_text, yuan_text
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region


def user_names(ids) -> dict[int, str]:
    """Caseworkers named in history (Keys.names of households.models)."""
    found = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    return {pk: found.get(pk, f"#{pk}") for pk in ids}


def region_names(codes) -> dict[str, str]:
    """Villages named in history (Keys.names of households.models)."""
    found = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: found.get(code, str(code)) for code in codes}


# --- the household's own facts -----------------------------------------------------------------

@dataclass
class Fact:
    label: str
    value: str
    emphasis: bool = False


@dataclass
class Section:
    title: str
    facts: list[Fact] = field(default_factory=list)
    slug: str = ""


def _facts(obj: models.Model, names: list[str]) -> list[Fact]:
    model = type(obj)
    return [Fact(field_label(model, name), value_text(model, name, getattr(obj, name))) for name in names]


def household_sections(household: Household, members: list[Member]) -> list[Section]:
    poverty = Section(_("Poverty and monitoring"), _facts(household, [
        "identification_standard", "poverty_attribute", "main_cause", "other_causes", "monitor_type", "risks",
        "risk_elimination_method", "risk_eliminated_on",
    ]), slug="poverty")
    living = Section(_("Living conditions"), _facts(household, [
        "farmland_mu", "road_type", "housing_area", "dilapidated", "dilapidation_level", "safe_water",
        "electricity", "sanitary_toilet", "fuel_type",
    ]), slug="living")
    income = Section(_("Income of last year"), _facts(household, [
        "wage_income", "business_income", "property_income", "transfer_income", "business_expense",
    ]), slug="income")
    net = household.net_income
    income.facts.append(Fact(_("net income"), yuan_text(net), emphasis=True))
    per_person = round(net / len(members)) if net is not None and members else None
    income.facts.append(Fact(_("net income per person"), yuan_text(per_person), emphasis=True))
    return [poverty, living, income]


def member_facts(member: Member) -> list[Fact]:
    """The secondary facts of a member card (the main ones have their own places)."""
    names = ["education", "school_status", "health", "labor_skill", "work_status", "political_status"]
    facts = [fact for fact in _facts(member, names) if fact.value != EMPTY]
    flags = [
        str(Member._meta.get_field(name).verbose_name)
        for name in ("minimum_living", "extreme_hardship") if getattr(member, name)
    ]
    if flags:
        facts.append(Fact(_("assistance"), "、".join(flags)))
    return facts


# --- a held edit, field by field ---------------------------------------------------------------

@dataclass
class ConflictRow:
    label: str
    base: str
    current: str
    mine: str
    both: bool  # changed by the edit and by someone else since its version


def conflict_rows(conflict, current: dict, viewer) -> list[ConflictRow]:
    """The held edit's fields: the value at its version (when history tells), now, and the edit's,
    masked as history shows them to `viewer` (current: the record's snapshot now)."""
    from bangfu.history.timeline import guarded

    model = Member if conflict.member_id else Household
    shown = {name: guarded(values, viewer) if values is not None else None
             for name, values in (("base", conflict.base), ("current", current), ("mine", conflict.mine))}
    codes = [v.get("region") for v in shown.values() if v and v.get("region")]
    names = {"region": region_names(codes)} if codes else {}

    def text(values, name):
        if values is None:
            return _("not known")
        if name not in values:
            return _("hidden")
        return value_text(model, name, values[name], names=names)

    return [ConflictRow(label=field_label(model, name), base=text(shown["base"], name),
                        current=text(shown["current"], name), mine=text(shown["mine"], name),
                        both=name in conflict.overlap)
            for name in conflict.fields]
