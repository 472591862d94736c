"""The shortcuts an import takes give the answers of the plain ways they replace."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from bangfu.core import crypto, text
from bangfu.core.bulk import insert_rows, row_maker
from bangfu.households.models import Household, HouseholdCategory
from bangfu.imports import columns as cols

# Polyphonic characters, surnames read their own way, phrases, Latin letters, digits, spaces.
NAME_CHARACTERS = "王李张曾单仇解查区朴覃翟长乐行重银朝还国建华秀英小雨春生 ·aBx1Ｌ\u3000"


def initials_by_phrase(name: str) -> str:
    """text.initials as it was before its shortcut: always pypinyin's reading of the whole name."""
    name = name.strip()
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default", strict=False)
    if name[0] in text.SURNAME_INITIALS and letters:
        letters[0] = text.SURNAME_INITIALS[name[0]] + letters[0][1:]
    return "".join(ch for part in letters for ch in part.lower() if "a" <= ch <= "z")


@hypothesis_settings(max_examples=500, deadline=None)
@given(st.text(alphabet=NAME_CHARACTERS, max_size=6) | st.text(max_size=4))
def test_initials_read_character_by_character_agree_with_the_whole_name(name):
    assert text.initials(name) == initials_by_phrase(name)


def test_initials_of_names_with_a_phrase_and_a_surname_read_otherwise():
    assert text.initials("曾小贤") == "zxx"
    assert text.initials("长江") == initials_by_phrase("长江")
    assert text.initials("王建国") == "wjg"


@given(st.text(max_size=30))
def test_keyed_hash_is_hmac_sha256_of_the_value(value):
    expected = hmac.new(settings.HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest() if value else ""
    assert crypto.keyed_hash(value) == expected


@given(st.text(alphabet="王李 \u3000\u200b\ufeff\u00a0\xad１２ＡＸa1\t①", max_size=8))
def test_cleaning_text_that_needs_no_change_returns_it_as_it_is(value):
    import unicodedata

    normalised = unicodedata.normalize("NFKC", value)
    expected = "".join(ch for ch in normalised if not ch.isspace() and unicodedata.category(ch) != "Cf")
    assert text.clean_text(value) == expected
    assert cols.cell_value(cols.COLUMN_BY_KEY["name"], value) == expected


def test_insert_rows_allocates_ids_fills_defaults_and_stores_json(db, regions):
    names, make = row_maker(Household)
    household = make({"number": "H1", "region_id": "370215010001", "region_code": "370215010001",
                      "other_causes": ["因病"], "wage_income": 100})
    insert_rows(Household, names, [household])
    stored = Household.objects.get(number="H1")
    assert (stored.other_causes, stored.risks, stored.status, stored.version) == (["因病"], [], "active", 1)
    assert stored.created_at is not None and stored.updated_at is not None
    insert_rows(HouseholdCategory, ("household_id", "category"), [(stored.pk, "monitored"), (stored.pk, "disabled")])
    assert sorted(stored.categories.values_list("category", flat=True)) == ["disabled", "monitored"]
    assert len(set(HouseholdCategory.objects.values_list("pk", flat=True))) == 2
