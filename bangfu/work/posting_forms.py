"""The field rules of job postings, shared by their pages, the API and the sheet import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.households.choices import Sex
from bangfu.work.areas import place_code_problem
from bangfu.work.posting_models import Board, SkillRequired, Step

BLANK = [("", "---------")]
AGE = bounds.Range(16, 80)
OPENINGS = bounds.Range(1, 100_000)
DATE = forms.DateInput(attrs={"type": "date"})


def _text(value) -> str:
    return clean_text(value or "").strip()


class PostingForm(forms.Form):
    employer = forms.CharField(label=_("employer"), max_length=bounds.TITLE)
    title = forms.CharField(label=_("job"), max_length=bounds.TITLE)
    openings = forms.IntegerField(label=_("openings"), **OPENINGS.form())
    place_code = forms.CharField(label=_("place code"), max_length=bounds.CODE,
                                 help_text=_("A division code: 44 广东省, 441900 东莞市, or the township's own."))
    place_name = forms.CharField(label=_("place"), max_length=bounds.TITLE, required=False)
    wage_min = YuanField(label=_("monthly wage from (yuan)"), fen=bounds.COST_FEN)
    wage_max = YuanField(label=_("monthly wage up to (yuan)"), fen=bounds.COST_FEN)
    age_min = forms.IntegerField(label=_("age from"), required=False, **AGE.form())
    age_max = forms.IntegerField(label=_("age up to"), required=False, **AGE.form())
    sex = forms.ChoiceField(label=_("sex"), required=False,
                            choices=[("", _("Either"))] + list(Sex.choices))
    skill = forms.ChoiceField(label=_("labour ability"), required=False,
                              choices=[("", _("Any"))] + list(SkillRequired.choices))
    skills = forms.CharField(label=_("skills asked"), max_length=bounds.ADDRESS, required=False)
    board = forms.ChoiceField(label=_("board and lodging"), required=False, choices=BLANK + list(Board.choices))
    contact = forms.CharField(label=_("contact"), max_length=bounds.TITLE,
                              help_text=_("A name and a telephone number, as published."))
    valid_until = forms.DateField(label=_("valid until"), validators=[bounds.PLANNED], widget=DATE)
    source = forms.CharField(label=_("source"), max_length=bounds.TITLE, required=False,
                             help_text=_("Who handed it over: the county's employment bureau, the employer…"))

    def clean(self):
        data = super().clean()
        for key in ("employer", "title", "place_code", "place_name", "skills", "contact", "source"):
            if key in data:
                data[key] = _text(data[key])
        code = data.get("place_code")
        if code and (problem := place_code_problem(code)):
            self.add_error("place_code", problem)
        low, high = data.get("wage_min"), data.get("wage_max")
        if low is not None and high is not None and high < low:
            self.add_error("wage_max", _("The wage up to cannot be below the wage from."))
        young, old = data.get("age_min"), data.get("age_max")
        if young is not None and old is not None and old < young:
            self.add_error("age_max", _("The age up to cannot be below the age from."))
        return data


class PostingImportForm(PostingForm):
    """A sheet's row: the same fields."""


class ReferralForm(forms.Form):
    """What a caseworker heard from a labourer about a posting."""

    step = forms.ChoiceField(label=_("step"), choices=BLANK + list(Step.choices))
    member = forms.IntegerField(widget=forms.HiddenInput, **bounds.ID.form())
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)


class PostingSheetForm(forms.Form):
    file = forms.FileField(label=_("Sheet of job postings"),
                           help_text=_("An .xlsx or .csv file with the columns 单位, 岗位, 人数, 地点代码, 地点, "
                                       "最低月薪, 最高月薪, 最小年龄, 最大年龄, 性别, 技能要求, 食宿, 联系方式, "
                                       "有效期至, 来源."))
