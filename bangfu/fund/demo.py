"""Demo fund for 送庄镇: four village councils, 51 support agreements, and contributions from the
children summing to 29,800 yuan (the source report's figures), the match added to each, monthly
payouts to the elders, and a few agreements in arrears. Through the services, by the township
office; deterministic."""

from __future__ import annotations

import datetime as dt

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.fund.models import Agreement, Entry, EntryKind, Frequency
from bangfu.fund.services import (
    ELDER_AGE,
    SupporterData,
    age_on,
    agreement_create,
    contribution_record,
    council_create,
    payout_record,
)
from bangfu.households.models import Member
from bangfu.regions.models import Region

COUNCILS = 4
AGREEMENTS = 51
CONTRIBUTIONS_FEN = 29_800 * 100
MONTHLY_FEN = 100 * 100  # 100 yuan a month, the scheme's least
IN_ARREARS = 4
RELATIONS = ("长子", "次子", "长女", "次女", "三子")
COUNCIL_MEMBERS = ("会长", "副会长", "理事", "理事", "监事")


def _month(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def fund_demo_load(*, township_code: str = "410308103", office_username: str = "songzhuang") -> dict[str, int]:
    office = User.objects.get(username=office_username)
    today = local_today()
    start = _month(today, 5)  # six months due, this one included
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=township_code).order_by("code"))
    elders_by_village = []
    for village in villages:
        members = [m for m in Member.objects.filter(household__region_code=village.code)
                   .select_related("household").order_by("pk") if age_on(m.birth_date, start) >= ELDER_AGE]
        if members:
            elders_by_village.append((village, members))
    # The four villages with the most elders.
    chosen = sorted(elders_by_village, key=lambda pair: (-len(pair[1]), pair[0].code))[:COUNCILS]
    chosen.sort(key=lambda pair: pair[0].code)
    councils = []
    for n, (village, _elders) in enumerate(chosen):
        members = [f"{name}（{role}）" for name, role in zip(
            ("李建国", "王秀兰", "张德顺", "赵国强", "刘桂芳"), COUNCIL_MEMBERS, strict=True)]
        councils.append(council_create(village=village, name=f"{village.name}孝心养老理事会",
                                       founded_on=dt.date(2018, 3 + n, 10), members=members, actor=office))
    # 51 agreements in turn across the councils; an elder with several children signs with each.
    slots = []
    k = 0
    while len(slots) < AGREEMENTS:
        council_index = k % len(councils)
        elders = chosen[council_index][1]
        elder = elders[(k // len(councils)) % len(elders)]
        slots.append((councils[council_index], elder, k // (len(councils) * len(elders))))
        k += 1
    agreements = []
    for council, elder, child in slots:
        surname = elder.name[0]
        agreements.append(agreement_create(
            council=council, elder=elder, monthly_amount=MONTHLY_FEN, starts_on=start, signed_on=start,
            witnesses=f"{council.village.name}党支部、{council.village.name}村委会", in_kind="每年小麦200斤",
            visits="每月至少看望两次",
            supporters=[SupporterData(name=f"{surname}{'建明红军志刚丽华'[child * 2 % 8: child * 2 % 8 + 2]}",
                                      relation=RELATIONS[child % len(RELATIONS)],
                                      phone=f"1390379{elder.pk % 10000:04d}"[:11],
                                      address=f"{council.village.name}{child + 1}组")],
            actor=office))
    # Two quarters paid on time by all but the last few, who paid one quarter and one month.
    paid_in_full = AGREEMENTS - IN_ARREARS
    short = (CONTRIBUTIONS_FEN - paid_in_full * 6 * MONTHLY_FEN) // IN_ARREARS
    for n, agreement in enumerate(agreements):
        payments = [(start, 3 * MONTHLY_FEN, Frequency.QUARTERLY)]
        if n < paid_in_full:
            payments.append((_month(today, 2), 3 * MONTHLY_FEN, Frequency.QUARTERLY))
        else:
            payments.append((_month(today, 2), short - 3 * MONTHLY_FEN, Frequency.MONTHLY))
        for on, amount, frequency in payments:
            contribution_record(agreement=agreement, amount=amount, frequency=frequency, on=on.replace(day=5),
                                payer=agreement.supporters.first().name, actor=office,
                                client_id=f"demo-fund-{agreement.pk}-{on.isoformat()}")
        # Paid to the elder on the 10th of each month passed (those in arrears: one month less, all
        # that their account holds).
        for back in range(5 if n < paid_in_full else 4, 0, -1):
            month = _month(today, back)
            payout_record(agreement=agreement, amount=MONTHLY_FEN, month=month, on=month.replace(day=10),
                          actor=office, note="现金发放，本人签字")
    contributed = sum(Entry.objects.filter(kind=EntryKind.CONTRIBUTION, agreement__in=agreements)
                      .values_list("amount", flat=True))
    return {"councils": len(councils), "agreements": Agreement.objects.filter(pk__in=[a.pk for a in agreements])
            .count(), "contributions_fen": contributed}
