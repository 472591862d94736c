"""ID numbers, disability numbers and phones: normalising, checking, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from bangfu.households import identity
from bangfu.households.synthetic import make_id_number

VALID = "11010519491231002X"


@pytest.fixture(autouse=True)
def english():
    """Messages here are compared in the source language; Chinese, the default, is tested on the pages."""
    with translation.override("en"):
        yield  # the standard's own example


def test_the_standard_example_is_valid():
    parsed = identity.parse_id_number(VALID)
    assert parsed.base == VALID
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"


@given(
    area=st.sampled_from(["370215", "410308", "110105"]),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    sequence=st.integers(0, 49),
    sex=st.sampled_from(["M", "F"]),
)
def test_generated_numbers_pass_and_agree(area, birth, sequence, sex):
    number = make_id_number(area, birth, sequence, sex)
    parsed = identity.parse_id_number(number)
    assert parsed.birth_date == birth
    assert parsed.sex == sex


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    sequence=st.integers(0, 49),
    position=st.integers(0, 17),
    replacement=st.sampled_from("0123456789X"),
)
def test_any_single_character_change_is_caught(birth, sequence, position, replacement):
    """The ISO 7064 MOD 11-2 check catches every single-character substitution."""
    number = make_id_number("370215", birth, sequence, "M")
    if number[position] == replacement or (replacement == "X" and position != 17):
        return
    changed = number[:position] + replacement + number[position + 1:]
    with pytest.raises(identity.IdentityError):
        identity.parse_id_number(changed)


@given(birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)), sequence=st.integers(0, 49))
def test_adjacent_transpositions_are_caught(birth, sequence):
    number = make_id_number("410308", birth, sequence, "F")
    for i in range(17):
        if number[i] == number[i + 1]:
            continue
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
        with pytest.raises(identity.IdentityError):
            identity.parse_id_number(swapped)


def test_wrong_check_digit_message():
    with pytest.raises(identity.IdentityError) as error:
        identity.parse_id_number(VALID[:17] + "1")
    assert str(error.value) == "The check digit is wrong."


@pytest.mark.parametrize("typed", [
    "11010519491231002x",  # lower-case x
    " 110105 19491231 002X ",  # spaces
    "１１０１０５１９４９１２３１００２Ｘ",  # full-width
    "\u200b11010519491231002X",  # zero-width space pasted from a chat
])
def test_normalised_before_checking(typed):
    assert identity.parse_id_number(typed).full == VALID


def test_excel_number_is_refused_with_its_reason():
    with pytest.raises(identity.IdentityError) as error:
        identity.parse_id_number("1.10105194912310E+17")
    assert "Excel" in str(error.value)


def test_impossible_birth_date():
    first17 = "11010519490231002"  # 31 February... 0231
    number = first17 + identity.check_char(first17)
    with pytest.raises(identity.IdentityError, match="not a real date"):
        identity.parse_id_number(number)


def test_future_birth_date():
    first17 = "11010530000101002"
    number = first17 + identity.check_char(first17)
    with pytest.raises(identity.IdentityError, match="not possible"):
        identity.parse_id_number(number, today=dt.date(2026, 1, 1))


@pytest.mark.parametrize("suffix", ["11", "4B", "1101", "12AB"])
def test_disability_numbers_of_20_and_22_characters(suffix):
    parsed = identity.parse_id_number(VALID + suffix)
    assert parsed.full == VALID + suffix
    assert parsed.base == VALID
    assert parsed.is_disability_number


@pytest.mark.parametrize("bad", [VALID + "1", VALID + "123", VALID[:17], VALID + "12345"])
def test_other_lengths_are_refused(bad):
    with pytest.raises(identity.IdentityError, match="18 characters"):
        identity.parse_id_number(bad)


def test_disability_suffix_not_accepted_where_only_an_id_is():
    with pytest.raises(identity.IdentityError):
        identity.parse_id_number(VALID + "11", allow_disability=False)


def test_masks():
    assert identity.mask_id("370215197005170013") == "3702************13"
    assert identity.mask_id("37021519700517001312") == "3702**************12"  # a disability number
    assert identity.mask_id("3702**********0013") == "3702************13"  # a row of older history
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_phone("0532-88881234") == "0532-****1234"
    assert identity.mask_id("") == ""


@pytest.mark.parametrize("typed,expected", [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("0532-88881234", "0532-88881234"),
    ("053288881234", "0532-88881234"),
    ("(0379)6712345", "0379-6712345"),
    ("010-88881234-801", "010-88881234-801"),
    ("01088881234", "010-88881234"),
    ("02962345678", "029-62345678"),
])
def test_phone_formats(typed, expected):
    assert identity.normalise_phone(typed) == expected


@pytest.mark.parametrize("bad", ["1381234567", "12812345678", "88881234", "abc", "138123456789"])
def test_bad_phones(bad):
    with pytest.raises(identity.IdentityError):
        identity.normalise_phone(bad)
