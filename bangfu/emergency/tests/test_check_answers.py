"""The daily check's answers: none given until the volunteer gives them, an untouched one refused by
name, the temperature's hint not a value, and a correction opening with the earlier answers."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from bangfu.emergency.models import CheckStatus, HealthCheck
from bangfu.emergency.services import checks_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(make_household, personas, emergency):
    home = make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    return HealthCheck.objects.get(household=home)


def _checked_radios(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<input[^>]*>", html) if 'type="radio"' in tag and "checked" in tag]


def test_the_check_opens_with_nothing_answered_and_no_numeric_placeholder(client, personas, check):
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("emergencies:check", args=[check.pk])).content.decode()
    assert _checked_radios(html) == []
    assert 'placeholder="36.5"' not in html
    assert "例如 36.5" in html and 'class="field-help temp-hint"' in html


def test_an_untouched_answer_is_refused_by_name_and_nothing_is_written(client, personas, check):
    head = check.household.members.first()
    client.force_login(personas["caseworker_a"])
    url = reverse("emergencies:check", args=[check.pk])
    response = client.post(url, {"client_id": str(uuid.uuid4()), f"t_m{head.pk}": "36.6", "disinfection": "yes",
                                 "symptoms": "no", "supplies": "yes"})  # "help" left untouched
    assert response.status_code == 200
    html = response.content.decode()
    assert "这户需要帮助吗？请回答是或否。" in html
    # Every untouched answer at once, not the first one only.
    response = client.post(url, {"client_id": str(uuid.uuid4()), f"t_m{head.pk}": "36.6"})
    html = response.content.decode()
    assert "今天已消毒？请回答是或否。" in html and "这户需要帮助吗？请回答是或否。" in html
    check.refresh_from_db()
    assert check.status == CheckStatus.DUE and check.done_at is None and not check.readings.exists()


def test_correcting_a_check_opens_with_the_earlier_answers(client, personas, check):
    head = check.household.members.first()
    client.force_login(personas["caseworker_a"])
    url = reverse("emergencies:check", args=[check.pk])
    response = client.post(url, {"client_id": str(uuid.uuid4()), f"t_m{head.pk}": "37.8", "disinfection": "yes",
                                 "symptoms": "yes", "supplies": "no", "help": "yes", "note": "户主发热伴咳嗽"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "更正排查" in html
    checked = {re.search(r'name="(\w+)"', tag)[1]: re.search(r'value="(\w+)"', tag)[1]
               for tag in _checked_radios(html)}
    assert checked == {"disinfection": "yes", "symptoms": "yes", "supplies": "no", "help": "yes"}
    assert re.search(rf'name="t_m{head.pk}"[^>]*value="37.8"', html)
    assert "户主发热伴咳嗽</textarea>" in html
