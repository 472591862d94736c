"""How a model declares its history, once, on the model class: `history = Tracked(...)`.

history.services.record reads it to write a row (its type, household, region, name and snapshot);
history.timeline reads it to show the row (the object's label and how its keys read). Example:

    class Member(models.Model):
        history = Tracked(
            type="member", household="household_id", region="household.region_code",
            snapshot="bangfu.households.services.member_snapshot",
            keys=Keys(labels={"id_number": _("ID number")}, lists={"health": choices.Health}),
        )

Attribute paths ("household.region_code") are followed from the object; a method at the end of
one is called ("get_category_display"). A path that goes through a relation reads it unless the
caller holds it already: a service that has the household at hand sets it on the object first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True, eq=False)
class Keys:
    """How the keys of a model's snapshots read on a timeline. A key reads the same on every row
    whichever model declared it (a caseworker is a caseworker on a household's row and on a
    delivery's).

    labels: keys that are not model fields, or read better under another name.
    hidden: keys never shown (helper values folded into another key).
    stands_for: where a key that is not a model field stands among the model's fields
        ("phone" where "phone_encrypted" is).
    lists: keys holding lists of values of a TextChoices.
    money: keys holding fen, shown in yuan.
    names: keys holding ids of something named elsewhere (a caseworker, a village): the dotted
        path of a function taking the set of values and giving {value: name} for each of them.
    guarded: keys that only the roles with a permission read as stored, {key: (permission, the
        dotted path of a function giving what the others read from the stored value, or "" to
        leave the key out for them)}: a member's birth date, which with the masked ID number would
        give the number away, is shown to the roles that may reveal ID numbers alone.
    """

    labels: Mapping[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    stands_for: Mapping[str, str] = field(default_factory=dict)
    lists: Mapping[str, Any] = field(default_factory=dict)
    money: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)
    guarded: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Tracked:
    """A model's history.

    type: the object type of its rows ("member").
    household: the path to its household's id ("household_id"; "pk" for a household), or None.
    region: the path to its region code (the area whose pages its changes make stale).
    repr: the path to the name it is recorded under; by default str(obj).
    snapshot: the dotted path of a function giving its snapshot (a JSON dict), the `after` of a
        create or change and the `before` of a delete when the caller gives none.
    always: keys a change records on both sides even when unchanged (a need's status: the step
        that leaves it as it was still says where the need stands).
    unchanged: a change that leaves every key as it was is recorded too, with empty sides: the step
        itself stays on the timeline (a delivery assigned again to the same caseworker).
    whole: a change records both sides whole, as given, not only the keys that differ (a daily
        check: the day's check as it was and as it is, or only as it is when first done).
    label: what a timeline calls it; by default the model's verbose name.
    keys: how its snapshots' keys read (Keys).
    """

    type: str
    household: str | None = None
    region: str | None = "region_code"
    repr: str = ""
    snapshot: str = ""
    always: tuple[str, ...] = ()
    unchanged: bool = False
    whole: bool = False
    label: Any = None
    keys: Keys = field(default_factory=Keys)

    def household_of(self, obj) -> int | None:
        return _follow(obj, self.household) if self.household else None

    def region_of(self, obj) -> str:
        return (_follow(obj, self.region) or "") if self.region else ""

    def repr_of(self, obj) -> str:
        return str(_follow(obj, self.repr) if self.repr else obj)

    def snapshot_of(self, obj) -> dict[str, Any] | None:
        return function(self.snapshot)(obj) if self.snapshot else None


def _follow(obj, path: str) -> Any:
    value = obj
    for name in path.split("."):
        value = getattr(value, name)
    return value() if callable(value) else value


@cache
def function(path: str):
    """The function at a dotted path, imported once."""
    return import_string(path)
