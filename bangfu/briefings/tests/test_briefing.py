"""The briefing: numbered per area and year, filled with the area's figures (a gap where a figure is
missing), written as .docx and PDF from the web and from `bangfu briefing`; the template editor
refuses a placeholder that names nothing; each only within the user's scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document as WordDocument

from bangfu.briefings import figures
from bangfu.briefings.figures import GAP
from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.models import Briefing, BriefingTemplate
from bangfu.briefings.tests.helpers import pdf_text
from bangfu.core.figures import STOCK, Indicator
from bangfu.history.models import Change
from bangfu.households.models import Household, Member
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"
# A span that is no whole week, month or year: its figures are computed from the declared indicators.
START, END = dt.date(2026, 1, 1), dt.date(2026, 1, 20)


def count_households(*, villages, start, end):
    rows = Household.objects.filter(region_code__in=villages) if villages is not None else Household.objects.all()
    counts: dict[str, int] = {}
    for code in rows.values_list("region_code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


def count_people(*, villages, start, end):
    counts: dict[str, int] = {}
    for code in Member.objects.filter(household__region_code__in=villages).values_list("household__region_code",
                                                                                       flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


def fund_amount(*, villages, start, end):
    return {villages[0]: 2_980_000} if villages else {}


DECLARED = {
    "households.total": Indicator("households.total", "households", f"{__name__}.count_households", kind=STOCK),
    "households.persons": Indicator("households.persons", "people", f"{__name__}.count_people", kind=STOCK),
    "fund.contributions": Indicator("fund.contributions", "fund", f"{__name__}.fund_amount", money=True),
}


@pytest.fixture
def declared(monkeypatch):
    """Indicators as the apps declare them (core.figures), for a test that does not depend on which
    apps have declared theirs yet."""
    monkeypatch.setattr(figures, "indicators", lambda: DECLARED)
    monkeypatch.setattr(figures, "ratios", lambda: {})
    return DECLARED


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _generate(client, region=TOWNSHIP):
    return client.post(reverse("briefings:briefings"), {"region": region, "start": START.isoformat(),
                                                        "end": END.isoformat()})


def test_a_whole_periods_figures_are_the_summary_tables_figures(personas, make_household):
    """For a whole day, week, month or year the briefing reads the reports app's figures: the
    dashboards' numbers (here today's, the households being made today)."""
    from bangfu.core.dates import local_today
    from bangfu.reports.queries import figures_for
    from bangfu.reports.services import figures_rebuild

    make_household(VILLAGE_A, members=[member_data(), member_data(name="钱秀英", relation="配偶", sex="F")])
    make_household(VILLAGE_B)
    start = end = local_today()
    figures_rebuild(day=end)
    office = _client(personas["office"])
    office.post(reverse("briefings:briefings"), {"region": TOWNSHIP, "start": start.isoformat(),
                                                 "end": end.isoformat()})
    briefing = Briefing.objects.get()
    stored = figures_for(user=personas["office"], region=TOWNSHIP, kind="day", start=start)
    assert briefing.figures == dict(stored)
    assert stored["households.total"] == 2 and stored["households.persons"] == 3
    text = "".join(t for _h, t in briefing.sections)
    assert "共有农户2户3人" in text


def test_issues_are_numbered_per_area_and_year_and_history_says_who_generated_which(personas, make_household,
                                                                                     declared):
    make_household(VILLAGE_A, members=[member_data(), member_data(name="钱秀英", relation="配偶", sex="F")])
    make_household(VILLAGE_B)
    office = _client(personas["office"])
    first = _generate(office)
    second = _generate(office)
    assert first.status_code == second.status_code == 302
    numbers = list(Briefing.objects.order_by("number").values_list("region_code", "number", "generated_by__username"))
    assert numbers == [(TOWNSHIP, 1, "office"), (TOWNSHIP, 2, "office")]
    assert Change.objects.filter(object_type="briefing", actor=personas["office"]).count() == 2
    briefing = Briefing.objects.get(number=1)
    text = "".join(t for _h, t in briefing.sections)
    # The figures are the declared indicators' figures for the township (its two villages).
    assert briefing.figures == {"households.total": 2, "households.persons": 3, "fund.contributions": 2_980_000}
    assert "共有农户2户3人" in text and "收到赡养金29,800元" in text
    # What no module declares yet is a visible gap, never a 0.
    assert f"监测对象{GAP}户" in text
    page = office.get(reverse("briefings:briefing", args=[briefing.pk])).content.decode()
    assert "蓝村街道脱贫攻坚工作简报" in page and "2026年第1期" in page


def test_the_figures_are_each_indicators_own_for_the_area_and_period(personas, make_household, declared):
    from bangfu.regions.models import Region

    make_household(VILLAGE_A)
    make_household(VILLAGE_B)
    make_household("410308103001")
    for code, households in ((TOWNSHIP, 2), (VILLAGE_A, 1), ("410308103", 1)):
        read = figures.figures_read(user=personas["admin"], region=Region.objects.get(code=code), start=START,
                                    end=END)
        assert not read.stored and read.values["households.total"] == households
        direct = count_households(villages=[r for r in Region.objects.filter(code__startswith=code, level="village")
                                            .values_list("code", flat=True)], start=START, end=END)
        assert read.values["households.total"] == sum(direct.values())


def test_the_docx_and_pdf_downloads_hold_the_masthead_and_the_figures(personas, make_household, declared):
    make_household(VILLAGE_A)
    office = _client(personas["office"])
    _generate(office)
    briefing = Briefing.objects.get()
    word = WordDocument(io.BytesIO(office.get(reverse("briefings:briefing_docx", args=[briefing.pk])).content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "蓝村街道脱贫攻坚工作简报" in text and "2026年第1期" in text and "共有农户1户1人" in text
    assert "十二、下步打算" in text
    if print_fonts() is not None:
        pdf = pdf_text(office.get(reverse("briefings:briefing_pdf", args=[briefing.pk])).content)
        assert "蓝村街道脱贫攻坚工作简报" in pdf and "共有农户1户1人" in pdf


def test_the_template_editor_refuses_an_unknown_placeholder_naming_the_field(personas, declared):
    office = _client(personas["office"])
    url = reverse("briefings:template")
    form = office.get(url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["section_basic"] = "共有{households.cout}户"
    response = office.post(url, data)
    assert response.status_code == 200
    assert "{households.cout}" in " ".join(response.context["form"].errors["section_basic"])
    assert not BriefingTemplate.objects.exists()
    data["section_basic"] = "本镇共{households.total}户，{monitoring.identified}户新识别。"
    data["name"] = "蓝村街道巩固脱贫成果简报"
    assert office.post(url, data).status_code == 200
    template = BriefingTemplate.objects.get()
    assert template.region_code == TOWNSHIP and template.name == "蓝村街道巩固脱贫成果简报"
    _generate(office)
    briefing = Briefing.objects.get()
    assert briefing.name == "蓝村街道巩固脱贫成果简报"
    assert briefing.sections[0][1] == f"本镇共0户，{GAP}户新识别。"


def test_a_briefing_outside_the_scope_is_refused_and_nothing_is_numbered(personas, declared):
    response = _generate(_client(personas["outsider_office"]))
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert _client(personas["caseworker_a"]).get(reverse("briefings:briefings")).status_code == 403
    assert not Briefing.objects.exists()
    office = _client(personas["office"])
    _generate(office)
    other = _client(personas["outsider_office"])
    assert other.get(reverse("briefings:briefing_docx", args=[Briefing.objects.get().pk])).status_code == 404


def test_the_command_writes_a_docx_and_a_pdf(personas, make_household, declared, tmp_path):
    make_household(VILLAGE_A)
    out = io.StringIO()
    call_command("briefing", "--region", TOWNSHIP, "--from", "2026-01-01", "--to", "2026-01-20",
                 "-o", str(tmp_path / "b.docx"), stdout=out)
    word = WordDocument(str(tmp_path / "b.docx"))
    assert "共有农户1户1人" in "\n".join(p.text for p in word.paragraphs)
    if print_fonts() is not None:
        call_command("briefing", "--region", TOWNSHIP, "--from", "2026-01-01", "--to", "2026-01-20",
                     "-o", str(tmp_path / "b.pdf"), "--user", "office", stdout=out)
        assert "第2期" in pdf_text((tmp_path / "b.pdf").read_bytes())
    assert list(Briefing.objects.order_by("number").values_list("number", "generated_by__username")) == \
        [(1, "admin"), (2, "office")][: Briefing.objects.count()]


def test_the_periods_read_from_the_summary_tables():
    assert figures.stored_period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == "month"
    assert figures.stored_period(dt.date(2026, 1, 5), dt.date(2026, 1, 11)) == "week"  # Monday to Sunday
    assert figures.stored_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "year"
    assert figures.stored_period(dt.date(2026, 1, 7), dt.date(2026, 1, 7)) == "day"
    assert figures.stored_period(dt.date(2026, 1, 1), dt.date(2026, 1, 20)) is None


def test_the_default_templates_placeholders_are_all_known_whatever_the_apps_declare(monkeypatch):
    from bangfu.briefings import defaults

    monkeypatch.setattr(figures, "indicators", lambda: {})
    monkeypatch.setattr(figures, "ratios", lambda: {})
    for _key, _heading, text in defaults.SECTIONS:
        assert figures.unknown_placeholders(text) == []
