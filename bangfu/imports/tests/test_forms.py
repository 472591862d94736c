"""The import forms give the same answers as the households app's forms, row after row.

An import binds one form instance to every row and remembers field results (see imports/forms.py);
these tests hold that to the plain forms, built fresh for each row, on valid and invalid rows.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.households.forms import HouseholdForm, MemberForm
from bangfu.households.synthetic import make_id_number
from bangfu.imports.forms import HouseholdImportForm, MemberImportForm, RowForm
from bangfu.regions.models import Region
from conftest import VILLAGE_A, VILLAGE_B

ID_M = make_id_number("370215", dt.date(1980, 2, 29), 1, "M")
ID_F = make_id_number("370215", dt.date(1999, 12, 31), 2, "F")

member_rows = st.fixed_dictionaries({
    "name": st.sampled_from(["王秀英", " 逄 珍波 ", "", "Ｌｉ", "x" * 60]),
    "relation": st.sampled_from(["户主", "配偶", "之子", "儿子", ""]),
    "id_type": st.sampled_from(["居民身份证", "残疾人证", "护照"]),
    "id_number": st.sampled_from([ID_M, ID_F, ID_M.lower(), ID_F[:17] + "0", ID_M + "11", "3.70215E+17", "", "1234"]),
    "sex": st.sampled_from(["", "M", "F", "X"]),
    "birth_date": st.sampled_from(["", "1980-02-29", "1999-12-31", "2001-02-30", "1999/12/31"]),
    "ethnicity": st.sampled_from(["汉族", "", "回族"]),
    "phone": st.sampled_from(["", "13812345678", "0532-88881234", "12345"]),
    "education": st.sampled_from(["", "初中", "小学", "博士"]),
    "school_status": st.sampled_from(["", "小学", "七年级"]),
    "health": st.sampled_from([[], ["健康"], ["残疾", "长期慢性病"], ["健康", "残疾"], ["不详"]]),
    "labor_skill": st.sampled_from(["", "普通劳动力", "劳模"]),
    "work_months": st.sampled_from(["", "6", "13", "-1", "六"]),
    "minimum_living": st.sampled_from(["true", "false", ""]),
    "pension_insured": st.sampled_from(["true", "false", ""]),
    "welfare_post_months": st.sampled_from(["", "12", "40"]),
})

_member_form = None


def _shared_member_form() -> RowForm:
    # One instance across all examples, as an import uses it across all rows.
    global _member_form
    if _member_form is None:
        _member_form = RowForm(MemberImportForm)
    return _member_form


def _answer(form) -> tuple[dict, dict]:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return (form.cleaned_data if not errors else {}), errors


@settings(max_examples=300, deadline=None)
@given(member_rows)
def test_member_rows_get_the_answers_of_a_fresh_member_form(row):
    with translation.override("en"):
        expected = _answer(MemberForm(data=dict(row)))
        cleaned, errors = _shared_member_form().validate(dict(row))
        assert ((cleaned if not errors else {}), errors) == expected


def test_household_rows_get_the_answers_of_a_fresh_household_form(regions):
    area = Region.objects.within("370215010")
    shared = RowForm(HouseholdImportForm, regions=area)
    rows = []
    for region in (VILLAGE_A, VILLAGE_B, "410308103001", "370215010", ""):
        for categories, monitor_type in ((["registered_poor"], ""), (["monitored"], "unstable"), (["monitored"], ""),
                                         ([], "marginal"), (["nonsense"], "")):
            for dilapidated, level in (("", ""), ("true", "C级"), ("true", ""), ("false", "D级")):
                rows.append({
                    "region": region, "number": " 3702 1501 ", "phone": "13812345678", "status": "active",
                    "categories": categories, "monitor_type": monitor_type, "main_cause": "因病",
                    "other_causes": ["因病", "因残", "缺水"][: len(rows) % 4], "risks": [],
                    "dilapidated": dilapidated, "dilapidation_level": level, "wage_income": "12.5",
                    "risk_elimination_method": "帮扶消除" if len(rows) % 3 == 0 else "",
                    "risk_eliminated_on": "2023-01-01" if len(rows) % 2 == 0 else "",
                })
    with translation.override("en"):
        for row in rows:
            expected = _answer(HouseholdForm(data=dict(row), regions=area))
            cleaned, errors = shared.validate(dict(row))
            assert ((cleaned if not errors else {}), errors) == expected, row
