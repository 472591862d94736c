"""Work's figures for the summary tables (core.figures): {village code: value}.

- Labourers by status and by 地域 are a STOCK: each labourer counts once, by the latest monthly
  status recorded for a month within the period (the month of `start` to `end`), in the village the
  status was recorded for. 地域 folds 省内市外 and 市内县外 into 省内县外.
- Back at work: the labourers a back-to-work drive records back at work (返岗务工) on a day of the
  period, by their village.
- Postings published: the postings of a township published (pushed) in the period, each once; a
  posting is the township's, so it counts in the township's first village (lowest code), and the
  township's figure is the sum of its villages'.
- Referrals (told, or further) and hires recorded in the period, by the labourer's village.
- Public-welfare posts: places offered and places held (an appointee on the published list or
  serving), now.
- Attendance: days marked present, and days expected (present or absent: a day on leave is
  excused, as in the assessment); the rate is their Ratio.
- Pay issued: the amounts of approved payrolls for the months of the period, in fen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count, Q, Sum

from bangfu.core.codes import Level
from bangfu.regions.models import Region
from bangfu.work.models import Activity, Area, LabourStatus, Outcome, Placement
from bangfu.work.posting_models import JobPosting, Referral, Step
from bangfu.work.welfare_models import Appointment, AppointmentStatus, Attendance, Mark, PayLine, PayrollStatus, WelfarePost

REGION_OF_AREA = {Area.OUTSIDE_PROVINCE: "outside_province", Area.OUTSIDE_CITY: "outside_county_in_province",
                  Area.OUTSIDE_COUNTY: "outside_county_in_province", Area.IN_COUNTY: "in_county"}


def _within(rows, villages: Sequence[str] | None, field: str = "region_code"):
    return rows if villages is None else rows.filter(**{f"{field}__in": list(villages)})


def _by_village(rows, field: str, value) -> dict[str, int]:
    return {r[field]: int(r["v"]) for r in rows.values(field).annotate(v=value).order_by() if r["v"]}


def latest_statuses(villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[int, tuple[str, str, str]]:
    """{member id: (village, activity, area)} of each labourer's latest status in the period."""
    rows = _within(LabourStatus.objects.filter(month__gte=start.replace(day=1), month__lte=end), villages)
    latest: dict[int, tuple[str, str, str]] = {}
    for member_id, code, activity, area in rows.order_by("month").values_list(
            "member_id", "region_code", "activity", "area").iterator(chunk_size=5000):
        latest[member_id] = (code, activity, area)
    return latest


def _count_latest(villages, start, end, keep) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for code, activity, area in latest_statuses(villages, start, end).values():
        if keep(activity, area):
            counts[code] += 1
    return dict(counts)


def _by_activity(activity: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return _count_latest(villages, start, end, lambda a, _area: a == activity)
    compute.__name__ = f"labour_{activity}"
    return compute


labour_migrant = _by_activity(Activity.MIGRANT)
labour_nearby = _by_activity(Activity.NEARBY)
labour_self_employed = _by_activity(Activity.SELF_EMPLOYED)
labour_welfare_post = _by_activity(Activity.WELFARE_POST)
labour_unemployed = _by_activity(Activity.UNEMPLOYED)


def _by_region(region: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return _count_latest(villages, start, end, lambda _a, area: REGION_OF_AREA.get(area) == region)
    compute.__name__ = f"labour_{region}"
    return compute


labour_outside_province = _by_region("outside_province")
labour_outside_county = _by_region("outside_county_in_province")
labour_in_county = _by_region("in_county")


def drive_returned(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = Placement.objects.filter(outcome=Outcome.RETURNED, returned_on__gte=start, returned_on__lte=end)
    return _by_village(_within(rows, villages), "region_code", Count("pk"))


def _first_villages() -> dict[str, str]:
    """{township code: its first village's code}."""
    first: dict[str, str] = {}
    for code, parent in (Region.objects.filter(level=Level.VILLAGE).order_by("code")
                         .values_list("code", "parent_id")):
        first.setdefault(parent, code)
    return first


def postings_published(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (JobPosting.objects.filter(publications__published_at__date__gte=start,
                                      publications__published_at__date__lte=end)
            .values("region_code").annotate(v=Count("pk", distinct=True)).order_by())
    first = _first_villages()
    wanted = None if villages is None else set(villages)
    out: Counter[str] = Counter()
    for row in rows:
        village = first.get(row["region_code"])
        if village and row["v"] and (wanted is None or village in wanted):
            out[village] += row["v"]
    return dict(out)


def _referrals(villages, start, end, **kw):
    rows = Referral.objects.filter(recorded_at__date__gte=start, recorded_at__date__lte=end, **kw)
    return _by_village(_within(rows, villages), "region_code", Count("pk"))


def referrals_told(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _referrals(villages, start, end)


def referrals_hired(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _referrals(villages, start, end, step=Step.HIRED)


def welfare_places(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_within(WelfarePost.objects.all(), villages), "region_code", Sum("places"))


def welfare_filled(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = Appointment.objects.exclude(status=AppointmentStatus.EXITED)
    return _by_village(_within(rows, villages), "region_code", Count("pk"))


def _attendance(villages, start, end):
    return _within(Attendance.objects.filter(day__gte=start, day__lte=end), villages)


def attendance_present(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_attendance(villages, start, end), "region_code", Count("pk", filter=Q(mark=Mark.PRESENT)))


def attendance_expected(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_attendance(villages, start, end), "region_code",
                       Count("pk", filter=Q(mark__in=(Mark.PRESENT, Mark.ABSENT))))


def pay_issued(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = PayLine.objects.filter(payroll__status=PayrollStatus.APPROVED, month__gte=start.replace(day=1),
                                  month__lte=end)
    return _by_village(_within(rows, villages), "region_code", Sum("amount_fen"))
