"""Every page renders in both languages, and a Chinese page has no English left in what people read."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from bangfu.households import choices
from conftest import VILLAGE_A, member_data

# Words that are the same in both languages: the other language's own name, and the personas'
# user names (they are their display names in the fixtures).
ALLOWED_WORDS = {"English", "PDF", "admin", "office", "county", "caseworker_a", "caseworker_b", "village_a"}
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _Readable(HTMLParser):
    """The text a person reads: text nodes and the attributes that are shown or spoken."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _Readable()
    parser.feed(html)
    text = " ".join(parser.parts)
    words = set(re.findall(r"(?<![\w-])[A-Za-z][A-Za-z_]{2,}(?![\w-])", text))
    return words - ALLOWED_WORDS


@pytest.fixture
def pages(make_household, personas):
    household = make_household(
        VILLAGE_A, caseworker=personas["caseworker_a"], categories=[choices.Category.MONITORED],
        monitor_type=choices.MonitorType.MARGINAL, wage_income=1_200_000, farmland_mu="2.5",
        members=[
            member_data(name="逄珍波"),
            member_data(name="王秀英", relation=choices.Relation.SPOUSE, sex="F", phone="13987654321"),
        ],
    )
    spouse = household.members.get(relation=choices.Relation.SPOUSE)
    return {
        "list": reverse("households:list"),
        "list filtered": reverse("households:list") + "?q=pzb&category=monitored",
        "list empty": reverse("households:list") + "?q=nobody",
        "detail": reverse("households:detail", args=[household.pk]),
        "create": reverse("households:create"),
        "edit": reverse("households:edit", args=[household.pk]),
        "delete": reverse("households:delete", args=[household.pk]),
        "assign": reverse("households:assign", args=[household.pk]),
        "assign many": reverse("households:assign_bulk") + f"?household={household.pk}",
        "assign none": reverse("households:assign_bulk"),
        "member add": reverse("households:member_add", args=[household.pk]),
        "member edit": reverse("households:member_edit", args=[spouse.pk]),
        "member remove": reverse("households:member_remove", args=[spouse.pk]),
        "make head": reverse("households:member_make_head", args=[spouse.pk]),
        "not found": reverse("households:detail", args=[household.pk + 1000]),
    }


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_page_renders_in_both_languages(client, pages, personas, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(personas["admin"])
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, name
        if language == "zh-hans":
            assert not english_words(html), (name, english_words(html))
        else:
            assert "Households" in html, name


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_forms_with_errors_and_other_views_in_both_languages(client, pages, personas, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(personas["office"])
    responses = {
        "create with errors": client.post(pages["create"], {"phone": "123", "head-id_number": "11010519491231002"}),
        "member with errors": client.post(pages["member add"], {"name": "", "id_number": "x"}),
        "make head without choice": client.post(pages["make head"], {}),
        "reveal page": client.post(pages["detail"] + "reveal-phone/"),
        "htmx results": client.get(pages["list"], HTTP_HX_REQUEST="true"),
    }
    client.logout()  # which forgets every cookie, the language's too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    responses["login"] = client.get(reverse("accounts:login"))
    responses["login failed"] = client.post(reverse("accounts:login"), {"username": "office", "password": "wrong"})
    client.force_login(personas["caseworker_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    responses["forbidden"] = client.get(pages["delete"])
    for name, response in responses.items():
        assert response.status_code in (200, 400, 403), name
        html = response.content.decode()
        if language == "zh-hans":
            assert not english_words(html), (name, english_words(html))
    if language == "zh-hans":
        assert "校验位错误" in responses["create with errors"].content.decode() or \
            "证件号码应为 18 位" in responses["create with errors"].content.decode()
        assert "用户名或密码错误" in responses["login failed"].content.decode()
    else:
        assert "The username or password is wrong." in responses["login failed"].content.decode()
