"""A masked ID number cannot be rebuilt (issue 20, finding 1): on the demo, nothing a role that may
not reveal ID numbers sees narrows anyone's number to fewer than 1,000 candidates.

The count follows households.identity (the arithmetic is there): the area is taken as known, and
from the API the masked number, the sex, the birth date or years shown, and the day the member
was recorded (its history), nobody being born after it."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bangfu.accounts.models import User
from bangfu.core.permissions import Role, can
from bangfu.emergency.models import Emergency, HealthCheck
from bangfu.households import identity
from bangfu.households.models import Household, Member
from bangfu.ops.demo import SONGZHUANG, demo_load

MIN_CANDIDATES = 1000
WEIGHTS = identity.WEIGHTS


def _residues(strings: list[str], start: int) -> Counter:
    """The weighted sums (mod 11) of digit strings placed at `start` in an ID number."""
    weights = WEIGHTS[start:]
    return Counter(sum(int(c) * w for c, w in zip(s, weights)) % 11 for s in strings)


def _agrees(text: str, shown: str) -> bool:
    return all(s == "*" or s == c for c, s in zip(text, shown))


def candidates(*, area: str, masked: str, sex: str, days: list[dt.date]) -> int:
    """How many valid 18-character resident ID numbers have this area, these visible characters
    (`masked`, * where hidden), a birth date among `days`, and a sequence of this sex's parity."""
    assert len(masked) == 18 and len(area) == 6
    if not _agrees(area, masked[:6]):
        return 0
    dates = [d.strftime("%Y%m%d") for d in days]
    dates = [d for d in dates if _agrees(d, masked[6:14])]
    parity = 1 if sex == "M" else 0
    sequences = [f"{n:03d}" for n in range(1000) if n % 2 == parity]
    sequences = [s for s in sequences if _agrees(s, masked[14:17])]
    if masked[17] == "*":
        return len(dates) * len(sequences)
    base = sum(int(c) * w for c, w in zip(area, WEIGHTS)) % 11
    by_date, by_sequence = _residues(dates, 6), _residues(sequences, 14)
    return sum(n * m for a, n in by_date.items() for b, m in by_sequence.items()
               if identity.CHECK_CHARS[(base + a + b) % 11] == masked[17])


def days_shown(member: dict, recorded: dt.date) -> list[dt.date]:
    """The birth dates that agree with what the API shows of a member."""
    if member.get("birth_date"):
        return [dt.date.fromisoformat(member["birth_date"])]
    first, _sep, last = member["born"].partition("–")
    start, end = dt.date(int(first), 1, 1), min(dt.date(int(last or first), 12, 31), recorded)
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def test_the_count_is_exact_on_small_cases():
    number = "37021519700517001" + identity.check_char("37021519700517001")
    everything_but_the_check = number[:17] + "*"
    assert candidates(area="370215", masked=everything_but_the_check, sex="M", days=[dt.date(1970, 5, 17)]) == 1
    # Brute force over one year of dates and all sequences, with the last 2 shown.
    masked = identity.mask_id(number)
    days = [dt.date(1970, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    brute = sum(1 for d in days for s in range(1, 1000, 2)
                if (f := f"370215{d:%Y%m%d}{s:03d}")[-1] == "1" and identity.check_char(f) == number[-1])
    assert candidates(area="370215", masked=masked, sex="M", days=days) == brute
    assert 3000 <= brute <= 3700
    # What the pages showed before: the full date and the last 4.
    assert candidates(area="370215", masked=number[:4] + "*" * 10 + number[-4:], sex="M",
                      days=[dt.date(1970, 5, 17)]) == 1


def test_birth_years_never_leave_fewer_than_120_days():
    for recorded in (dt.date(2026, 1, 3), dt.date(2026, 4, 29), dt.date(2026, 4, 30), dt.date(2026, 12, 4)):
        for born in (dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1), recorded):
            if born > recorded:
                continue
            first, last = identity.birth_years(born, recorded)
            open_days = (min(dt.date(last, 12, 31), recorded) - dt.date(first, 1, 1)).days + 1
            assert first <= born.year <= last and open_days >= identity.BIRTH_YEAR_MIN_DAYS, (recorded, born)
            # The same answer whatever the day of birth within its year.
            assert identity.birth_years(dt.date(born.year, 1, 1), recorded) == (first, last)
    assert identity.birth_shown(dt.date(2026, 1, 10), dt.date(2026, 1, 20)) == "2025–2026"
    assert identity.birth_shown(dt.date(2025, 6, 10), dt.date(2026, 1, 20)) == "2025–2026"
    assert identity.birth_shown(dt.date(1965, 3, 2), dt.date(2026, 1, 20)) == "1965"


class DemoMaskingTests(TestCase):
    """One demo load; the roles that may not reveal ID numbers look at everything they can."""

    @classmethod
    def setUpTestData(cls):
        demo_load()
        # The demo's county user is 即墨区's; one for 送庄镇's county too, so that every member is seen.
        User.objects.create(username="luolong", role=Role.COUNTY, region_id=SONGZHUANG.county_code,
                            display_name="洛龙区乡村振兴局")

    def _counties(self) -> list[User]:
        users = list(User.objects.filter(role=Role.COUNTY))
        assert users and not any(can(u, "member.reveal_id") for u in users)
        return users

    def _client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def test_every_member_has_at_least_1000_candidates(self):
        counts = {}
        for user in self._counties():
            client = self._client(user)
            for household in Household.objects.visible_to(user):
                body = client.get(f"/api/households/{household.pk}").json()
                history = client.get(f"/api/households/{household.pk}/history?limit=1000").json()
                recorded = {c["object_id"]: timezone.localdate(dt.datetime.fromisoformat(c["at"]))
                            for c in history if c["object_type"] == "member" and c["action"] == "create"}
                for shown in body["members"]:
                    member = Member.objects.get(pk=shown["id"])
                    counts[member.pk] = candidates(
                        area=member.id_number[:6], masked=shown["id_number"], sex=shown["sex"],
                        days=days_shown(shown, recorded[member.pk]),
                    )
        assert len(counts) == Member.objects.count() > 400
        narrow = {pk: n for pk, n in counts.items() if n < MIN_CANDIDATES}
        assert not narrow, f"{len(narrow)} of {len(counts)} members have fewer than {MIN_CANDIDATES} candidates"
        assert min(counts.values()) >= 3000

    def _personal(self, members) -> list[tuple[str, list[str]]]:
        """For each member, what must never be shown: the ID number, its birth date part, and the
        birth date however it is written (a mask followed by more than 2 characters is looked for
        apart, in _assert_nothing_narrows)."""
        found = []
        for member in members:
            number, born = member.id_number, member.birth_date
            found.append((number, [
                number, number[6:14],
                born.isoformat(), born.strftime("%Y/%m/%d"), f"{born.year}年{born.month}月{born.day}日",
            ]))
        return found

    def _assert_nothing_narrows(self, text: str, personal, where: str) -> None:
        for number, secrets in personal:
            for secret in secrets:
                assert secret not in text, (where, number, secret)
        # An ID number's mask hides at least 8 characters (a phone's 4 or 5): never 3 after it.
        assert not re.search(r"\*{8,}[0-9X]{3,}", text), where

    def test_no_page_api_export_or_print_shows_a_birth_date_or_more_than_2_characters(self):
        users = [*self._counties(),
                 *User.objects.filter(role__in=[Role.VILLAGE, Role.CASEWORKER]).order_by("pk")[:4],
                 User.objects.get(username="zhiyuan")]
        assert {u.role for u in users} == {Role.COUNTY, Role.VILLAGE, Role.CASEWORKER, Role.VOLUNTEER}
        pages = 0
        for user in users:
            assert not can(user, "member.reveal_id")
            client = self._client(user)
            households = list(Household.objects.visible_to(user).order_by("pk"))
            members = list(Member.objects.filter(household__in=households))
            # Everyone of the user's area, also those not theirs (a volunteer's village).
            personal = self._personal(Member.objects.filter(household__region_code__startswith=user.region_id))
            assert personal
            urls = [reverse("households:list"), "/api/households?limit=200"]
            # The ID-tail search: the results never echo more than the masked form.
            urls += [reverse("households:list") + f"?q={m.id_number[-4:]}" for m in members[:3]]
            urls += [f"/api/households?q={m.id_number[-6:]}" for m in members[:3]]
            for household in households[:25]:
                urls += [reverse("households:detail", args=[household.pk]), f"/api/households/{household.pk}",
                         f"/api/households/{household.pk}/history"]
            if can(user, "household.change"):
                urls += [reverse("households:member_edit", args=[m.pk]) for m in members[:10]]
            if user.role == Role.CASEWORKER:
                urls += [reverse("casework:worklist"), reverse("casework:worklist_print")]
            if user.role == Role.VILLAGE:
                urls += [reverse("casework:village_print", args=[user.region_id])]
            urls += [reverse("emergencies:checks")]
            urls += [reverse("emergencies:check", args=[pk]) for pk in
                     HealthCheck.objects.filter(region_code__startswith=user.region_id).values_list("pk", flat=True)[:5]]
            for emergency in Emergency.objects.all():
                urls += [reverse("emergencies:returnees", args=[emergency.pk]), f"/api/returnees?emergency={emergency.pk}"]
            for url in urls:
                response = client.get(url)
                assert response.status_code in (200, 403, 404), (url, response.status_code)
                if response.status_code == 200:
                    pages += 1
                    self._assert_nothing_narrows(response.content.decode(), personal, f"{user} {url}")
            if not can(user, "household.view"):
                continue
            # The default export (the full one is refused to these roles).
            response = client.post(reverse("imports:export"), {})
            assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
            sheet = load_workbook(io.BytesIO(b"".join(response)), read_only=True).worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
            birth_column = rows[0].index("出生日期")
            assert len(rows) - 1 >= len(members) > 0
            assert not any(isinstance(row[birth_column], (dt.date, dt.datetime)) for row in rows[1:])
            text = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)
            self._assert_nothing_narrows(text, personal, f"{user} export")
            refused = client.post(reverse("imports:export"), {"full": "on"})
            assert refused.status_code == 403
        assert pages > 100

    def test_a_member_edit_by_a_role_that_may_not_reveal_never_checks_a_guessed_birth_date(self):
        cadre = User.objects.filter(role=Role.VILLAGE).order_by("pk").first()
        member = Member.objects.filter(household__in=Household.objects.visible_to(cadre)).first()
        client = self._client(cadre)
        html = client.get(reverse("households:member_edit", args=[member.pk])).content.decode()
        assert 'name="birth_date"' not in html
        office = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region_id=cadre.region_id[:9]).first()
        html = self._client(office).get(reverse("households:member_edit", args=[member.pk])).content.decode()
        assert 'name="birth_date"' in html and member.birth_date.isoformat() in html
