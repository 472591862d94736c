"""How household data reads on a page: labels for stored values, sections of facts, history entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps as django_apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.models import User
from bangfu.core.plugins import declared_table
from bangfu.history.models import Action, Change
from bangfu.households import choices
from bangfu.households.models import Assignment, Household, Member
from bangfu.regions.models import Region

EMPTY = "—"

# Lists stored as JSON, and the choices their values come from.
LIST_CHOICES: dict[str, type[models.TextChoices]] = {
    "other_causes": choices.PovertyCause,
    "risks": choices.Risk,
    "health": choices.Health,
    "categories": choices.Category,
}
# Money fields, stored in fen.
MONEY_FIELDS = frozenset({"wage_income", "business_income", "property_income", "transfer_income", "business_expense",
                          "cost"})

MODELS: dict[str, type[models.Model]] = {"household": Household, "member": Member, "assignment": Assignment}
OBJECT_LABELS = {
    "household": gettext_lazy("household"),
    "member": gettext_lazy("member"),
    "assignment": gettext_lazy("caseworker assignment"),
}


def _model_for(object_type: str) -> type[models.Model] | None:
    """The model of a history row: the registry's own, or one another app declares on its AppConfig
    as `history_models = {"delivery": "emergency.Delivery"}` (its rows on a household's timeline)."""
    if object_type in MODELS:
        return MODELS[object_type]
    label = declared_table("history_models").get(object_type)
    return django_apps.get_model(label) if label else None


# History keys that are not model fields (or read better under another name).
EXTRA_LABELS = {
    "phone": gettext_lazy("phone"),
    "id_number": gettext_lazy("ID number"),
    "categories": gettext_lazy("categories"),
    "region": gettext_lazy("village"),
    "start": gettext_lazy("from"),
    "end": gettext_lazy("to"),
}
# Never shown: keyed hashes, and helper values folded into another key.
HIDDEN_KEYS = frozenset({"caseworker_name"})


def yuan_text(fen: int | None) -> str:
    if fen is None or fen == "":
        return EMPTY
    amount = (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))
    return _("%(amount)s yuan") % {"amount": f"{amount:,}"}


def _decimal_text(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _model_field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends: not a model field
        return None


def value_text(model: type[models.Model] | None, name: str, value: Any, *, users: dict[int, str] | None = None,
               regions: dict[str, str] | None = None) -> str:
    """One stored value (a model attribute or a history JSON value) as the user reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if name in LIST_CHOICES:
        labels = dict(LIST_CHOICES[name].choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if name in MONEY_FIELDS:
        return yuan_text(value)
    if name == "caseworker":
        if isinstance(value, User):
            return str(value)
        return (users or {}).get(value, f"#{value}")
    if name == "region":
        if isinstance(value, Region):
            return value.name
        return (regions or {}).get(value, str(value))
    field_ = _model_field(model, name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field_ is not None and field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(field_, models.DecimalField) or isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def field_label(model: type[models.Model] | None, name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    field_ = _model_field(model, name)
    if field_ is not None and getattr(field_, "verbose_name", None):
        return str(field_.verbose_name)
    return name


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


# --- history -----------------------------------------------------------------------------------

@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    change: Change
    action: str
    object_label: str
    object_repr: str
    summary: str = ""
    fields: list[FieldChange] = field(default_factory=list)


def _visible_keys(change: Change) -> list[str]:
    if change.action == Action.UPDATE:
        keys = change.changed_fields
    else:
        # A created or deleted record: only the fields that held something.
        values = {**(change.before or {}), **(change.after or {})}
        keys = sorted(k for k, v in values.items() if v not in (None, "", []))
    keys = [k for k in keys if not k.endswith("_hash") and k not in HIDDEN_KEYS]
    return sorted(keys, key=_field_order(_model_for(change.object_type)))


# Where keys that are not model fields stand among the model's fields.
STANDS_FOR = {"phone": "phone_encrypted", "id_number": "id_number_encrypted", "categories": "status"}


def _field_order(model: type[models.Model] | None):
    names = [f.name for f in model._meta.fields] if model is not None else []
    position = {name: i for i, name in enumerate(names)}

    def order(key: str) -> tuple[int, str]:
        return position.get(STANDS_FOR.get(key, key), len(names)), key

    return order


def history_entries(changes: list[Change]) -> list[HistoryEntry]:
    """Changes as a timeline: labelled fields, before → after, names for people and places."""
    user_ids: set[int] = set()
    region_codes: set[str] = set()
    for change in changes:
        for side in (change.before or {}, change.after or {}):
            if isinstance(side.get("caseworker"), int):
                user_ids.add(side["caseworker"])
            if isinstance(side.get("region"), str):
                region_codes.add(side["region"])
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    regions = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name")) if region_codes else {}

    entries = []
    for change in changes:
        model = _model_for(change.object_type)
        before, after = change.before or {}, change.after or {}
        entry = HistoryEntry(
            change=change,
            action=change.get_action_display(),
            object_label=str(OBJECT_LABELS.get(change.object_type)
                             or (model._meta.verbose_name if model is not None else change.object_type)),
            object_repr=change.object_repr,
        )
        if change.action == Action.REVEAL:
            entry.summary = _("viewed the full %(field)s") % {"field": field_label(model, change.message or "")}
        else:
            entry.summary = change.message
            for key in _visible_keys(change):
                entry.fields.append(FieldChange(
                    field_label(model, key),
                    value_text(model, key, before.get(key), users=users, regions=regions) if key in before else EMPTY,
                    value_text(model, key, after.get(key), users=users, regions=regions) if key in after else EMPTY,
                ))
        entries.append(entry)
    return entries
