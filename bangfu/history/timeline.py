"""How history reads on a page: the registry of what each object and key is called (from the
models' `history = Tracked(...)` declarations, history.tracked), stored values as text, and
changes as a timeline of labelled fields, before → after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.apps import apps as django_apps
from django.db import models
from django.utils.translation import gettext as _

from bangfu.core.permissions import can
from bangfu.history.models import Action, Change
from bangfu.history.tracked import Keys, Tracked, function

EMPTY = "—"


@dataclass(frozen=True, eq=False)
class Registry:
    models: dict[str, type[models.Model]]
    object_labels: dict[str, Any]
    keys: Keys


@cache
def registry() -> Registry:
    """Every declared model by its object type, what the timeline calls it, and how the keys of
    all their snapshots read (Keys, merged: a key reads the same on every row)."""
    found: dict[str, type[models.Model]] = {}
    object_labels: dict[str, Any] = {}
    keys: list[Keys] = []
    for model in django_apps.get_models():
        tracked = getattr(model, "history", None)
        if isinstance(tracked, Tracked):
            found[tracked.type] = model
            object_labels[tracked.type] = tracked.label or model._meta.verbose_name
            keys.append(tracked.keys)
    return Registry(found, object_labels, Keys(
        labels={k: v for part in keys for k, v in part.labels.items()},
        hidden=frozenset().union(*(part.hidden for part in keys)),
        stands_for={k: v for part in keys for k, v in part.stands_for.items()},
        lists={k: v for part in keys for k, v in part.lists.items()},
        money=frozenset().union(*(part.money for part in keys)),
        names={k: v for part in keys for k, v in part.names.items()},
        guarded={k: v for part in keys for k, v in part.guarded.items()},
    ))


def guarded(snapshot: dict[str, Any] | None, viewer) -> dict[str, Any] | None:
    """A stored snapshot as `viewer` may read it (Keys.guarded): the guarded keys whose permission
    the viewer lacks are read through their function, or left out. Without a viewer, as a role
    with no permission at all."""
    if not snapshot:
        return snapshot
    rules = registry().keys.guarded
    if not rules.keys() & snapshot.keys():
        return snapshot
    shown = dict(snapshot)
    for key, (permission, shown_as) in rules.items():
        if key not in shown or can(viewer, permission):
            continue
        if shown_as and shown[key] not in (None, ""):
            shown[key] = function(shown_as)(shown[key])
        elif not shown_as:
            del shown[key]
    return shown


# --- values ------------------------------------------------------------------------------------

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


def value_text(model: type[models.Model] | None, name: str, value: Any, *,
               names: dict[str, dict[Any, str]] | None = None) -> str:
    """One stored value (a model attribute or a history JSON value) as the user reads it. `names`:
    the names of the values of the Keys.names keys, by key (history_entries reads them)."""
    if value is None or value == "" or value == []:
        return EMPTY
    keys = registry().keys
    if name in keys.lists:
        labels = dict(keys.lists[name].choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if name in keys.money:
        return yuan_text(value)
    if name in keys.names:
        return (names or {}).get(name, {}).get(value, str(value))
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
    labels = registry().keys.labels
    if name in labels:
        return str(labels[name])
    field_ = _model_field(model, name)
    if field_ is not None and getattr(field_, "verbose_name", None):
        return str(field_.verbose_name)
    return name


# --- the timeline ------------------------------------------------------------------------------

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


def _visible_keys(change: Change, model: type[models.Model] | None) -> list[str]:
    if change.action == Action.UPDATE:
        keys = change.changed_fields
    else:
        # A created or deleted record: only the fields that held something.
        values = {**(change.before or {}), **(change.after or {})}
        keys = sorted(k for k, v in values.items() if v not in (None, "", []))
    hidden = registry().keys.hidden
    keys = [k for k in keys if not k.endswith("_hash") and k not in hidden]
    return sorted(keys, key=_field_order(model))


def _field_order(model: type[models.Model] | None):
    names = [f.name for f in model._meta.fields] if model is not None else []
    position = {name: i for i, name in enumerate(names)}
    stands_for = registry().keys.stands_for

    def order(key: str) -> tuple[int, str]:
        return position.get(stands_for.get(key, key), len(names)), key

    return order


def _names(changes: list[Change]) -> dict[str, dict[Any, str]]:
    """The names of the people and places the changes hold ids of, one lookup per kind."""
    wanted: dict[str, set] = {key: set() for key in registry().keys.names}
    for change in changes:
        for side in (change.before or {}, change.after or {}):
            for key, values in wanted.items():
                value = side.get(key)
                if isinstance(value, (int, str)) and not isinstance(value, bool):
                    values.add(value)
    return {key: function(registry().keys.names[key])(values) for key, values in wanted.items() if values}


def history_entries(changes: list[Change], *, viewer=None) -> list[HistoryEntry]:
    """Changes as a timeline: labelled fields, before → after, names for people and places; the
    guarded keys as `viewer` may read them (guarded)."""
    names = _names(changes)
    found = registry()
    entries = []
    for change in changes:
        model = found.models.get(change.object_type)
        before, after = guarded(change.before, viewer) or {}, guarded(change.after, viewer) or {}
        entry = HistoryEntry(
            change=change,
            action=change.get_action_display(),
            object_label=str(found.object_labels.get(change.object_type) or change.object_type),
            object_repr=change.object_repr,
        )
        if change.action == Action.REVEAL:
            entry.summary = _("viewed the full %(field)s") % {"field": field_label(model, change.message or "")}
        else:
            entry.summary = change.message
            for key in _visible_keys(change, model):
                if key in found.keys.guarded and key not in before and key not in after:
                    continue
                entry.fields.append(FieldChange(
                    field_label(model, key),
                    value_text(model, key, before.get(key), names=names) if key in before else EMPTY,
                    value_text(model, key, after.get(key), names=names) if key in after else EMPTY,
                ))
        entries.append(entry)
    return entries
