"""Casework's rows follow a household that changes village or caseworker (bangfu.households.moves):
its summary row and its village's assessment tally, its open follow-ups, and the coverage tallies
of the running campaigns it is in."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import F, Q

from bangfu.casework.models import (
    CONDITIONS,
    TRIES_BEFORE_VISIT,
    AssessmentTally,
    CampaignStatus,
    CoverageTally,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HouseholdCase,
)
from bangfu.core.codes import village_of
from bangfu.households.moves import HouseholdMove

ASSESSMENT_FIELDS = ("assessed", *CONDITIONS, "all_ok")
COVERAGE_FIELDS = ("total", "reached", "tried", "flagged")


def households_moved(moves: list[HouseholdMove]) -> None:
    by_household = {move.household_id: move for move in moves}
    _cases_follow(by_household)
    _followups_follow(by_household)


def _apply(model, keyed: dict[tuple, Counter], key_fields: tuple[str, ...], extra: dict | None = None) -> None:
    """Add each key's deltas to its summary row, making the row where the household arrives."""
    for key, deltas in keyed.items():
        deltas = {name: delta for name, delta in deltas.items() if delta}
        if not deltas:
            continue
        lookup = dict(zip(key_fields, key, strict=True))
        model.objects.get_or_create(**lookup, **(extra or {}))
        model.objects.filter(**lookup).update(**{name: F(name) + delta for name, delta in deltas.items()})


def _cases_follow(by_household: dict[int, HouseholdMove]) -> None:
    """The summary row takes the new region code; its latest assessment counts in the new village."""
    moved = [pk for pk, move in by_household.items() if move.region_changed]
    if not moved:
        return
    cases = list(HouseholdCase.objects.select_for_update().filter(household_id__in=moved))
    tallies: dict[tuple, Counter] = defaultdict(Counter)
    for case in cases:
        new_code = by_household[case.household_id].new_region_code
        old_village, new_village = village_of(case.region_code), village_of(new_code)
        if case.assessment_id and old_village != new_village:
            counted = {"assessed": 1, **{name: int(bool(getattr(case, name))) for name in (*CONDITIONS, "all_ok")}}
            for name, value in counted.items():
                tallies[(old_village,)][name] -= value
                tallies[(new_village,)][name] += value
        case.region_code = new_code
    HouseholdCase.objects.bulk_update(cases, ["region_code"])
    # Lock order: villages sorted, so two moves in opposite directions do not deadlock.
    _apply(AssessmentTally, dict(sorted(tallies.items())), ("region_code",))


def _counted(followup: FollowUp) -> dict[str, int]:
    """What one campaign follow-up adds to its coverage tally (see coverage_tallies_rebuild)."""
    due = followup.status == FollowUpStatus.DUE
    return {"total": 1, "reached": int(followup.status == FollowUpStatus.DONE),
            "tried": int(due and followup.tries > 0), "flagged": int(due and followup.tries >= TRIES_BEFORE_VISIT)}


def _followups_follow(by_household: dict[int, HouseholdMove]) -> None:
    """Open follow-ups go with the household to its new village and caseworker; a running
    campaign's follow-ups move between its coverage tallies (a reached household stays to the
    credit of the caseworker who reached it, in its new village). Closed campaigns keep their
    numbers as they were."""
    rows = list(
        FollowUp.objects.select_for_update(of=("self",)).filter(household_id__in=list(by_household)).filter(
            Q(kind=FollowUpKind.SCHEDULE, status=FollowUpStatus.DUE)
            | Q(kind=FollowUpKind.CAMPAIGN, campaign__status=CampaignStatus.OPEN)
        ).order_by("pk")
    )
    tallies: dict[tuple, Counter] = defaultdict(Counter)
    changed = []
    for row in rows:
        move = by_household[row.household_id]
        old_key = (row.campaign_id, village_of(row.region_code), row.caseworker_id)
        region_code = move.new_region_code
        caseworker_id = move.new_caseworker_id if row.status == FollowUpStatus.DUE else row.caseworker_id
        if (region_code, caseworker_id) == (row.region_code, row.caseworker_id):
            continue
        row.region_code, row.caseworker_id = region_code, caseworker_id
        changed.append(row)
        new_key = (row.campaign_id, village_of(region_code), caseworker_id)
        if row.kind == FollowUpKind.CAMPAIGN and new_key != old_key:
            for name, value in _counted(row).items():
                tallies[old_key][name] -= value
                tallies[new_key][name] += value
    FollowUp.objects.bulk_update(changed, ["region_code", "caseworker_id"], batch_size=1000)
    _apply(CoverageTally, dict(sorted(tallies.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0))),
           ("campaign_id", "region_code", "caseworker_id"))
    # A caseworker or village left with no household of the campaign is no longer a row of its coverage.
    if tallies:
        emptied = Q()
        for campaign_id, village, caseworker_id in tallies:
            emptied |= Q(campaign_id=campaign_id, region_code=village, caseworker_id=caseworker_id)
        CoverageTally.objects.filter(emptied, total=0).delete()
