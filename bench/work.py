"""Work on a synthetic county: a month's statuses imported, a posting matched against the county's
labourers, and a month's payroll of public-welfare posts, each as a ratio to a plain bulk read or
write of the same rows in the same run.

    .venv/bin/python bench/work.py                        # 100,000 households, SQLite
    .venv/bin/python bench/work.py --households 20000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/work.py

The database is households.py's (built by `bangfu synth`, reused when there). `prepare` adds, once,
a public-welfare post in every village of the county with places for 5,000 appointees in all (one
person per household, aged 18 to 59), each serving, and each assessed for last month.

Measured, each the median of --repeat runs, every run rolled back:
- statuses: every labourer of the county (working age, labour ability: about 1.5 per household)
  gets this month's status from one CSV sheet per township (each under the 20,000-row limit),
  imported by that township's office with `work.services.statuses_import` (every row bound to the
  form, its ID number parsed and hashed, the members looked up, the rows and their history written);
  baseline: the same LabourStatus rows written with core.bulk.insert (no checks, no history);
- matching: one posting per township (ages 18 to 50, any sex), `posting_queries.matches` for each,
  as its township office: the county's labourers in all; one in three is looking for work
  (未就业 this month); baseline: a plain read of the rows matching reads (the township's labourers
  with their households, their statuses, their drives' placements), as .values_list();
- payroll: `welfare.payroll_prepare` for each township, last month: the 5,000 appointees' lines
  and their history; baseline: the same PayLine rows written with core.bulk.insert.
"""

from __future__ import annotations

import csv
import datetime as dt
import resource
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import households as base  # noqa: E402

APPOINTEES = 5000
OUT = base.ROOT / "bench" / "out" / "work"


class _Rollback(Exception):
    pass


def _rolled_back(function):
    """Run `function` in a transaction that is rolled back; return (seconds, result)."""
    from django.db import transaction

    box = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            box["result"] = function()
            box["seconds"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return box["seconds"], box["result"]


def _offices():
    from bangfu.accounts.models import User
    from bangfu.core.permissions import Role

    return list(User.objects.filter(role=Role.TOWNSHIP_OFFICE, region__code__startswith=base.COUNTY,
                                    region__level="township", username__startswith="synth-")
                .select_related("region").order_by("region_id"))


def _months():
    from bangfu.core.dates import local_today

    this_month = local_today().replace(day=1)
    return this_month, (this_month - dt.timedelta(days=1)).replace(day=1)


def prepare() -> str:
    from django.db import transaction
    from django.utils import timezone

    from bangfu.core.dates import local_today
    from bangfu.households.models import Member
    from bangfu.regions.models import Region
    from bangfu.work.welfare_models import Appointment, AppointmentStatus, Assessment, WelfarePost

    if WelfarePost.objects.filter(duties="bench").exists():
        return f"reused ({Appointment.objects.filter(post__duties='bench').count()} appointees)"
    started = time.perf_counter()
    today = local_today()
    _this_month, last_month = _months()
    offices = {o.region_id: o for o in _offices()}
    villages = list(Region.objects.filter(level="village", code__startswith=base.COUNTY).order_by("code"))
    per_village = -(-APPOINTEES // len(villages))
    now = timezone.now()
    young, old = dt.date(today.year - 59, 1, 1), dt.date(today.year - 18, 1, 1)
    with transaction.atomic():
        made = 0
        for village in villages:
            office = offices.get(village.code[:9])
            if office is None or made >= APPOINTEES:
                continue
            people = list(Member.objects.filter(household__region_code=village.code, birth_date__gte=young,
                                                birth_date__lte=old, relation="户主")
                          .values_list("pk", "name", "household_id")[:min(per_village, APPOINTEES - made)])
            if not people:
                continue
            post = WelfarePost.objects.create(region=village, region_code=village.code, post_type="cleaning",
                                              places=len(people), pay_fen=800_00, funding="linkage", duties="bench",
                                              created_by=office, created_at=now)
            appointments = Appointment.objects.bulk_create([
                Appointment(post=post, member_id=pk, name=name, household_id=household, region_code=village.code,
                            status=AppointmentStatus.SERVING, published_on=last_month - dt.timedelta(days=30),
                            start=last_month - dt.timedelta(days=20), end=last_month + dt.timedelta(days=345),
                            pay_fen=800_00, created_by=office, created_at=now)
                for pk, name, household in people])
            Assessment.objects.bulk_create([
                Assessment(appointment=a, region_code=village.code, month=last_month,
                           village_points=Decimal(30 - i % 4), township_points=Decimal(50), review_points=Decimal(20),
                           total=Decimal(100 - i % 4), present_days=22 - i % 4, absent_days=i % 4,
                           assessed_by=office, assessed_at=now)
                for i, a in enumerate(appointments)])
            made += len(appointments)
    return f"{made} appointees in {len(villages)} villages, assessed for {last_month:%Y-%m}, " \
           f"{time.perf_counter() - started:.1f} s"


# --- statuses ------------------------------------------------------------------------------------

ACTIVITIES = [("外出务工", "", "44", "广东省"), ("外出务工", "", "370100", "济南市"), ("就近就业", "", "", ""),
              ("外出务工", "", "370211", "黄岛区"), ("未就业", "照顾家人", "", ""), ("自主创业", "", "370215", "即墨区")]


def _sheets(month: dt.date) -> list[tuple[object, Path, int, list[tuple]]]:
    """One CSV per township with every labourer's status for `month`, and the same rows as
    LabourStatus values for the baseline."""
    from bangfu.work.labour import labourers
    from bangfu.work.services import _status_values

    OUT.mkdir(parents=True, exist_ok=True)
    sheets = []
    for office in _offices():
        members = list(labourers(None, township_code=office.region_id).select_related("household__region")
                       .order_by("pk"))
        path = OUT / f"statuses-{office.region_id}.csv"
        values = []
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["证件号码", "月份", "就业状态", "原因", "务工地点代码", "务工地点", "单位", "岗位", "月工资"])
            for i, member in enumerate(members):
                label, reason, code, place = ACTIVITIES[i % len(ACTIVITIES)]
                wage = "" if label == "未就业" else str(3000 + i % 40 * 100)
                writer.writerow([member.id_number, month.strftime("%Y-%m"), label, reason, code, place,
                                 "" if label == "未就业" else "某厂", "", wage])
                activity = {"外出务工": "migrant", "就近就业": "nearby", "未就业": "unemployed",
                            "自主创业": "self_employed"}[label]
                values.append((member, _status_values(member, {
                    "activity": activity, "reason": reason, "place_code": code, "place_name": place,
                    "wage": None if not wage else int(wage) * 100, "employer": "某厂" if wage else ""})))
        sheets.append((office, path, len(members), values))
    return sheets


def _bulk_statuses(sheets, month: dt.date) -> int:
    from django.utils import timezone

    from bangfu.core import bulk
    from bangfu.work.models import LabourStatus, Source

    now = timezone.now()
    count = 0
    for office, _path, _n, values in sheets:
        rows = [LabourStatus(member=m, household_id=m.household_id, region_code=m.household.region_code, month=month,
                             source=Source.IMPORT, recorded_by=office, recorded_at=now, **v) for m, v in values]
        bulk.insert(LabourStatus, rows)
        count += len(rows)
    return count


def _import_statuses(sheets) -> int:
    from bangfu.work.services import statuses_import

    count = 0
    for office, path, _n, _values in sheets:
        result = statuses_import(source=str(path), actor=office)
        if result.errors:
            raise SystemExit(f"{path.name}: {result.errors[:3]}")
        count += result.created + result.changed
    return count


# --- matching ------------------------------------------------------------------------------------

def _postings(this_month: dt.date) -> list:
    """One posting per township, and a third of the county's labourers not working this month."""
    from django.utils import timezone

    from bangfu.core import bulk
    from bangfu.work.labour import labourers
    from bangfu.work.models import LabourStatus, Source
    from bangfu.work.posting_models import JobPosting

    now = timezone.now()
    postings = []
    for office in _offices():
        postings.append((office, JobPosting.objects.create(
            region=office.region, region_code=office.region_id, employer="某厂", title="普工", openings=50,
            place_code="370215", place_name="即墨区", age_min=18, age_max=50, contact="0532-1234567",
            valid_until=this_month + dt.timedelta(days=60), created_by=office, created_at=now)))
        rows = [LabourStatus(member_id=pk, household_id=household, region_code=code, month=this_month,
                             activity="unemployed", reason="找工作", source=Source.IMPORT, recorded_by=office,
                             recorded_at=now)
                for pk, household, code in labourers(None, township_code=office.region_id).order_by("pk")
                .values_list("pk", "household_id", "household__region_code")[::3]]
        bulk.insert(LabourStatus, rows)
    return postings


def _plain_match_read(postings, today: dt.date) -> int:
    from bangfu.work.labour import labourers
    from bangfu.work.models import LabourStatus, Placement

    count = 0
    for office, _posting in postings:
        members = labourers(office, township_code=office.region_id, today=today)
        rows = list(members.values_list("pk", "name", "sex", "birth_date", "labor_skill", "household__region_code",
                                        "household__region__name"))
        ids = [row[0] for row in rows]
        list(LabourStatus.objects.filter(member_id__in=ids, month__lte=today).values_list("member_id", "month",
                                                                                        "activity"))
        list(Placement.objects.filter(member_id__in=ids).values_list("member_id", "outcome"))
        count += len(rows)
    return count


def _match(postings, today: dt.date) -> int:
    from bangfu.work.posting_queries import matches

    return sum(len(matches(office, posting, today=today)) for office, posting in postings)


# --- payroll -------------------------------------------------------------------------------------

def _bulk_paylines(last_month: dt.date) -> int:
    from django.utils import timezone

    from bangfu.core import bulk
    from bangfu.work.welfare_models import Assessment, PayLine, Payroll

    count = 0
    for office in _offices():
        assessed = list(Assessment.objects.filter(region_code__startswith=office.region_id, month=last_month)
                        .select_related("appointment__member"))
        if not assessed:
            continue
        payroll = Payroll.objects.create(region=office.region, region_code=office.region_id, month=last_month,
                                         prepared_by=office, prepared_at=timezone.now())
        bulk.insert(PayLine, [PayLine(
            payroll=payroll, appointment=a.appointment, member_id=a.appointment.member_id, name=a.appointment.name,
            id_number_encrypted=a.appointment.member.id_number_encrypted, household_id=a.appointment.household_id,
            region_code=a.region_code, month=last_month, points=a.total, base_fen=800_00,
            amount_fen=800_00 * int(a.total) // 100) for a in assessed])
        count += len(assessed)
    return count


def _payrolls(last_month: dt.date) -> int:
    from bangfu.work import welfare

    count = 0
    from bangfu.work.welfare_models import Assessment

    for office in _offices():
        if not Assessment.objects.filter(region_code__startswith=office.region_id, month=last_month).exists():
            continue
        payroll = welfare.payroll_prepare(township=office.region, month=last_month, actor=office)
        count += payroll.lines.count()
    return count


def run(repeat: int) -> list[list[str]]:
    from bangfu.core.dates import local_today

    repeat = max(1, min(repeat, 3))
    this_month, last_month = _months()
    today = local_today()
    started = time.perf_counter()
    sheets = _sheets(this_month)
    labourers_count = sum(n for _o, _p, n, _v in sheets)
    made = f"{len(sheets)} sheets, {labourers_count} labourers, {time.perf_counter() - started:.0f} s to write"
    times: dict[str, list[float]] = {k: [] for k in ("bulk statuses", "import", "plain read", "match",
                                                     "bulk lines", "payroll")}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        for key, function in (("bulk statuses", lambda: _bulk_statuses(sheets, this_month)),
                              ("import", lambda: _import_statuses(sheets)),
                              ("bulk lines", lambda: _bulk_paylines(last_month)),
                              ("payroll", lambda: _payrolls(last_month))):
            seconds, counts[key] = _rolled_back(function)
            times[key].append(seconds)

        def matching():
            postings = _postings(this_month)
            started = time.perf_counter()
            read = _plain_match_read(postings, today)
            plain = time.perf_counter() - started
            started = time.perf_counter()
            found = _match(postings, today)
            return plain, time.perf_counter() - started, read, found

        _seconds, (plain, match, read, found) = _rolled_back(matching)
        times["plain read"].append(plain)
        times["match"].append(match)
        counts["plain read"], counts["match"] = read, found
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    m = {k: statistics.median(v) for k, v in times.items()}
    return [
        ["case", "rows", "seconds", "ratio", "notes"],
        ["statuses: bulk write (baseline)", str(counts["bulk statuses"]), f"{m['bulk statuses']:.2f}", "1.0", made],
        ["statuses: import of the sheets", str(counts["import"]), f"{m['import']:.2f}",
         f"{m['import'] / m['bulk statuses']:.1f}", "CSV, one per township, with history"],
        ["matching: plain read (baseline)", str(counts["plain read"]), f"{m['plain read']:.2f}", "1.0",
         "labourers, statuses, placements"],
        ["matching: one posting per township", str(counts["match"]), f"{m['match']:.2f}",
         f"{m['match'] / m['plain read']:.1f}", "matches found"],
        ["payroll: bulk write (baseline)", str(counts["bulk lines"]), f"{m['bulk lines']:.2f}", "1.0", ""],
        ["payroll: payroll_prepare per township", str(counts["payroll"]), f"{m['payroll']:.2f}",
         f"{m['payroll'] / m['bulk lines']:.1f}", f"runs {len(times['payroll'])}, peak RSS {peak_mb:.0f} MB"],
    ]


def main() -> int:
    return base.main_for("work.py", __doc__, run, prepare=prepare)


if __name__ == "__main__":
    sys.exit(main())
