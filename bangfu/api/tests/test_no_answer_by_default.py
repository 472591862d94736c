"""No form of the app answers for its user: every Django form class in the project is found (not
listed by hand), built, and each of its fields is checked. A yes/no or a choice that must be answered
starts unanswered, so that a form saved untouched is refused rather than stored as "all fine".

A field given a starting value on purpose (a setting with a usual value, a filter, a list's default
order) is named in ALLOWED with the reason; an answer about a household never is."""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
from decimal import Decimal

import pytest
from django import forms

import bangfu

pytestmark = pytest.mark.django_db

# (form class's qualified name, field): why a starting value is right there.
ALLOWED = {
    ("bangfu.casework.forms.CampaignForm", "channel"): "the office's setting for a campaign, not an answer",
    ("bangfu.casework.forms.CampaignForm", "assess"): "the office's setting: ask the four conditions",
    ("bangfu.emergency.forms.EmergencyForm", "kind"): "the office's setting for an emergency",
    ("bangfu.emergency.forms.EmergencyForm", "check_items"): "the protocol's checks, all by default",
    ("bangfu.emergency.forms.ReturneeForm", "household_kind"): "which part of the form to fill in, not an answer",
    ("bangfu.emergency.forms.ReturneeForm", "screening"): "'pending' is the truth until a result comes",
    ("bangfu.deliveries.forms.DeliveryForm", "what"): "which part of the form to fill in (from stock or bought)",
    ("bangfu.needs.forms.NeedForm", "urgency"): "a need's urgency is normal unless said (the need part's own)",
    ("bangfu.needs.contactpart.ContactNeedForm", "urgency"): "as NeedForm: only used when a need is described",
    ("bangfu.supplies.forms.ItemForm", "kind"): "the catalogue's usual kind of item",
    ("bangfu.casework.forms.CampaignForm", "region_codes"): "the user's only area, when they have one",
    ("bangfu.casework.forms.ScheduleForm", "*_channel"): "the schedule as it is set now (the form changes it)",
    ("bangfu.households.forms.HouseholdForm", "status"): "a household is registered as active",
    ("bangfu.households.pageforms.HouseholdPageForm", "status"): "as HouseholdForm",
    ("bangfu.imports.forms.HouseholdImportForm", "status"): "as HouseholdForm",
    ("bangfu.households.forms.MemberForm", "id_type"): "the resident ID card, unless another document is chosen",
    ("bangfu.households.pageforms.MemberPageForm", "id_type"): "as MemberForm",
    ("bangfu.imports.forms.MemberImportForm", "id_type"): "as MemberForm",
}


def allowed(form_name: str, field: str) -> bool:
    return any(form_name == f and fnmatch.fnmatchcase(field, pattern) for f, pattern in ALLOWED)


def _import_all() -> None:
    for module in pkgutil.walk_packages(bangfu.__path__, "bangfu."):
        if any(part in module.name for part in (".tests", ".migrations", ".management", "__main__")):
            continue
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> list[type]:
    _import_all()
    found = {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("bangfu.")}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _builders(user):
    """How to build the forms that need arguments: with every dynamic field they can have."""
    from bangfu.accounts.models import User
    from bangfu.casework.models import Campaign
    from bangfu.emergency.models import CheckItem, Emergency
    from bangfu.regions.models import Region
    from bangfu.supplies.models import Item

    users, items, regions = User.objects.none(), Item.objects.none(), Region.objects.none()

    area = Region(code="370215010", name="镇")
    campaign = Campaign(pk=1, name="随访", assess=True, questions=[
        {"key": "q1", "label": "是否需要代购", "kind": "yesno", "choices": []},
        {"key": "q2", "label": "身体", "kind": "choice", "choices": ["好", "一般"]},
    ])
    emergency = Emergency(check_items=[c.value for c in CheckItem], supplies_days=7, fever_threshold=Decimal("37.3"))
    return {
        "bangfu.casework.forms.ContactForm":
            lambda cls: cls({"campaign": "1"}, campaigns=[campaign], campaign=campaign),
        "bangfu.casework.forms.CampaignForm": lambda cls: cls(areas=[area]),
        "bangfu.casework.forms.ScheduleForm": lambda cls: cls(current={}),
        "bangfu.emergency.forms.EmergencyForm": lambda cls: cls(regions=[area]),
        "bangfu.emergency.forms.CheckForm":
            lambda cls: cls(emergency=emergency, people=[("m1", "张三", None), ("r2", "李四", None)]),
        "bangfu.emergency.forms.ReturneeForm": lambda cls: cls(villages=[area]),
        "bangfu.supplies.forms.MoveForm": lambda cls: cls(kind="in", items=items),
        "bangfu.deliveries.forms.DeliveryForm": lambda cls: cls(items=items, caseworkers=users),
        "bangfu.deliveries.forms.AssignForm": lambda cls: cls(caseworkers=users),
        "bangfu.deliveries.forms.ReopenForm": lambda cls: cls(caseworkers=users),
        "bangfu.deliveries.forms.DeliveryFilterForm": lambda cls: cls(villages=regions, caseworkers=users),
        "bangfu.deliveries.forms.DistributionForm": lambda cls: cls(items=items, villages=regions),
        "bangfu.households.pageforms.HouseholdFilterForm": lambda cls: cls({}, villages=regions, caseworkers=users),
        "bangfu.households.pageforms.AssignForm": lambda cls: cls(caseworkers=users),
        "bangfu.households.pageforms.HouseholdPageForm": lambda cls: cls(user=user),
        "bangfu.imports.pageforms.UploadForm": lambda cls: cls(user=user),
        "bangfu.monitoring.forms.PublicApplicationForm": lambda cls: cls(township=area),
        "bangfu.needs.forms.AssignForm": lambda cls: cls(owners=users),
        "bangfu.needs.forms.NeedFilterForm": lambda cls: cls({}, villages=regions),
        "bangfu.regions.forms.RegionAddForm": lambda cls: cls(parents=regions),
        "bangfu.projects.forms.ProjectForm": lambda cls: cls(regions=[area], villages=[area]),
        "bangfu.projects.forms.StepForm": lambda cls: cls(action="review"),
        "bangfu.projects.forms.DeadlinesForm": lambda cls: cls(counties=[area]),
    }


def _build(cls, builders):
    builder = builders.get(_name(cls))
    return builder(cls) if builder else cls()


def _given(value) -> bool:
    return value not in (None, "", [], (), set())


def answered_for_the_user(form) -> list[str]:
    """The fields of `form` that start with an answer nobody gave."""
    found = []
    for name, field in form.fields.items():
        if field.widget.is_hidden or field.disabled:
            continue
        initial = form.get_initial_for_field(field, name)
        if callable(initial):
            initial = initial()
        if isinstance(field, forms.NullBooleanField):
            wrong = initial is not None
        elif isinstance(field, forms.BooleanField):
            wrong = bool(initial)  # a box ticked before anyone ticked it
        elif isinstance(field, forms.ChoiceField):
            # A required choice with a value already chosen is saved whether or not it was asked; a
            # radio shown ticked reads as answered.
            wrong = _given(initial) and (field.required or isinstance(field.widget, forms.RadioSelect))
        else:
            continue
        if wrong:
            found.append(name)
    return found


def test_every_form_is_found_and_built(personas):
    classes = project_forms()
    names = {_name(cls) for cls in classes}
    # The discovery finds the forms this issue is about, and many more.
    assert {"bangfu.casework.forms.ContactForm", "bangfu.emergency.forms.CheckForm",
            "bangfu.emergency.forms.ReturneeForm", "bangfu.needs.contactpart.ContactNeedForm",
            "bangfu.households.forms.MemberForm"} <= names
    assert len(classes) >= 35
    builders = _builders(personas["office"])
    for cls in classes:
        _build(cls, builders)  # a new form that needs arguments gets a builder above
    assert not set(builders) - names, "a builder for a form that is gone"


def test_no_form_starts_with_an_answer_the_user_did_not_give(personas):
    builders = _builders(personas["office"])
    wrong = []
    for cls in project_forms():
        form = _build(cls, builders)
        for name in answered_for_the_user(form):
            if not allowed(_name(cls), name):
                wrong.append(f"{_name(cls)}.{name}")
    assert wrong == [], "\n".join(wrong)
    # The dynamic fields were built and checked: the four conditions, the campaign's yes/no, the
    # daily check's questions.
    contact = _build(__import__("bangfu.casework.forms", fromlist=["ContactForm"]).ContactForm, builders)
    assert {"supplies_ok", "living_ok", "answer_q1", "answer_q2"} <= set(contact.fields)
    check = _build(__import__("bangfu.emergency.forms", fromlist=["CheckForm"]).CheckForm, builders)
    assert {"disinfection", "symptoms", "supplies", "help", "t_m1"} <= set(check.fields)


def test_the_check_finds_a_form_that_answers_for_the_user():
    class Ticked(forms.Form):
        fine = forms.BooleanField(required=False, initial=True)
        how = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], initial="a")
        said = forms.NullBooleanField(initial=False)
        open_question = forms.ChoiceField(choices=[("a", "A")], required=False)

    assert answered_for_the_user(Ticked()) == ["fine", "how", "said"]
    assert answered_for_the_user(Ticked(initial={"open_question": "a"})) == ["fine", "how", "said"]

    class Radio(forms.Form):
        yes_no = forms.ChoiceField(choices=[("yes", "是"), ("no", "否")], required=False,
                                   widget=forms.RadioSelect)

    assert answered_for_the_user(Radio(initial={"yes_no": "yes"})) == ["yes_no"]
    assert answered_for_the_user(Radio()) == []


def test_the_old_contact_form_would_have_been_caught():
    """Before this change the four conditions were boxes ticked as met and the channel was the
    follow-up's: both shapes are what the check refuses."""
    class OldContact(forms.Form):
        channel = forms.ChoiceField(choices=[("visit", "入户走访"), ("phone", "电话")], widget=forms.RadioSelect)
        supplies_ok = forms.BooleanField(required=False, initial=True)

    assert answered_for_the_user(OldContact(initial={"channel": "visit"})) == ["channel", "supplies_ok"]


def test_the_allowed_fields_still_exist(personas):
    builders = _builders(personas["office"])
    fields = {(_name(cls), name) for cls in project_forms() for name in _build(cls, builders).fields}
    for form_name, pattern in ALLOWED:
        assert any(f == form_name and fnmatch.fnmatchcase(name, pattern) for f, name in fields), (form_name, pattern)
