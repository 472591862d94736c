"""Every number, date and text a form takes has a bound (core.bounds), and the API's schema for the
same value states the same bound in the OpenAPI document. Generated over every form bangfu
defines: a new field without a bound, or a schema that drifts from its form, fails here."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.core import validators

import bangfu
from bangfu.accounts.forms import UserAddForm, UserEditForm
from bangfu.api.urls import api
from bangfu.assets.forms import AssetForm, AssetSettingForm, IncomeForm, InspectionForm
from bangfu.casework.forms import CampaignForm, ContactForm, ScheduleForm
from bangfu.casework.models import Campaign
from bangfu.core.bounds import DateWindow
from bangfu.core.forms import YuanField
from bangfu.deliveries.forms import CompleteForm, DeliveryForm, DistributionForm, FailForm
from bangfu.emergency.forms import CheckForm, EmergencyForm, ExtendForm, ReturneeForm
from bangfu.emergency.models import CheckItem, Emergency
from bangfu.fund.forms import AgreementForm, ContributionForm, CouncilForm, PayoutForm, SupporterForm
from bangfu.households.forms import HouseholdForm, MemberForm
from bangfu.monitoring.forms import LeadForm, MeasureForm
from bangfu.monitoring.forms import StepForm as LeadStepForm
from bangfu.needs.forms import AssignForm, NeedForm, NoteForm, ReopenForm, ResolveForm
from bangfu.policies.forms import ImportForm, PolicyForm, ReceiptForm
from bangfu.projects.forms import PaymentForm, ProjectForm
from bangfu.projects.forms import StepForm as ProjectStepForm
from bangfu.regions.models import Region
from bangfu.sales.forms import BuyerForm, SaleForm
from bangfu.supplies.forms import MoveForm
from bangfu.supplies.models import MoveKind
from bangfu.work.forms import OutcomeForm, StatusPageForm
from bangfu.work.posting_forms import PostingForm
from bangfu.work.welfare_forms import AttendanceForm

NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
DATE_FIELDS = (forms.DateField, forms.DateTimeField)
# Text with a fixed shape, checked whole: a UUID, a file.
SHAPED_TEXT = (forms.UUIDField,)


def _form_modules():
    for info in pkgutil.walk_packages(bangfu.__path__, "bangfu."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf in {"forms", "pageforms", "contactform", "contactpart"}:
            yield importlib.import_module(info.name)


def _form_classes() -> list[type[forms.BaseForm]]:
    found = {}
    for module in _form_modules():
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, forms.BaseForm)
                    and value.__module__.startswith("bangfu.")):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def _dynamic_forms() -> dict[str, forms.BaseForm]:
    """Forms whose fields are made when they are built: one of each, with every kind of field."""
    questions = [{"key": f"q{n}", "label": kind, "kind": kind, "choices": ["a", "b"]}
                 for n, kind in enumerate(("yesno", "choice", "number", "text"), 1)]
    campaign = Campaign(pk=1, name="c", questions=questions)
    emergency = Emergency(check_items=[c.value for c in CheckItem], supplies_days=7)
    return {
        "ContactForm": ContactForm(campaigns=[campaign], campaign=campaign),
        "CampaignForm": CampaignForm(areas=[Region(code="370215010001", name="v")]),
        "CheckForm": CheckForm(emergency=emergency, people=[("m1", "n", None), ("r1", "n", None)]),
        "ScheduleForm": ScheduleForm(current={}),
        **{f"MoveForm.{kind}": MoveForm(kind=kind, items=Region.objects.none()) for kind in MoveKind.values},
        "StepForm.hand_over": ProjectStepForm(action="hand_over"),
        "InspectionForm.pv_station": InspectionForm(kind="pv_station"),
        "InspectionForm.workshop": InspectionForm(kind="workshop"),
        "AssetSettingForm": AssetSettingForm(counties=[]),
    }


def _all_fields():
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            yield f"{cls.__module__}.{cls.__qualname__}.{name}", field
    for label, form in _dynamic_forms().items():
        for name, field in form.fields.items():
            yield f"{label}.{name}", field


def _limits(field: forms.Field) -> tuple[object, object]:
    low = high = None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value
    return low, high


def _window(field: forms.Field) -> DateWindow | None:
    return next((v for v in field.validators if isinstance(v, DateWindow)), None)


def test_the_forms_are_found():
    names = {cls.__name__ for cls in _form_classes()}
    assert {"HouseholdForm", "MemberForm", "DeliveryForm", "EmergencyForm", "NeedForm", "MoveForm"} <= names


def test_every_number_date_and_text_field_has_a_bound():
    missing = []
    for where, field in _all_fields():
        if isinstance(field, (forms.ChoiceField, forms.BooleanField, forms.FileField, *SHAPED_TEXT)):
            continue
        if isinstance(field, NUMBER_FIELDS):
            if None in _limits(field):
                missing.append(f"{where}: a number without min_value and max_value")
        elif isinstance(field, DATE_FIELDS):
            if _window(field) is None:
                missing.append(f"{where}: a date without a core.bounds.DateWindow")
        elif isinstance(field, forms.CharField):
            if field.max_length is None:
                missing.append(f"{where}: a text without max_length")
        else:
            missing.append(f"{where}: a {type(field).__name__}, unknown to this test")
    assert missing == []


# --- the API states the form's bounds ------------------------------------------------------------

def _fields_of(form) -> dict[str, forms.Field]:
    return dict(form.fields) if isinstance(form, forms.BaseForm) else dict(form.base_fields)


def _pairs():
    """(schema name, form, {schema property: form field}); properties with the form field's own
    name are paired without being listed."""
    dynamic = _dynamic_forms()
    return [
        ("HouseholdIn", HouseholdForm, {}),
        ("HouseholdPatch", HouseholdForm, {}),
        ("MemberIn", MemberForm, {}),
        ("ContactIn", dynamic["ContactForm"], {}),
        ("AssessmentIn", dynamic["ContactForm"], {}),
        ("CampaignIn", dynamic["CampaignForm"], {}),
        ("QuestionIn", dynamic["CampaignForm"], {"label": "q1_label"}),
        ("DeliveryIn", DeliveryForm, {}),
        ("CompleteIn", CompleteForm, {}),
        ("FailIn", FailForm, {"reason": "failure_reason"}),
        ("DistributionIn", DistributionForm, {}),
        ("DistributionLineIn", DistributionForm, {}),
        ("EmergencyIn", EmergencyForm, {}),
        ("EmergencyEndIn", ExtendForm, {}),
        ("CheckIn", dynamic["CheckForm"], {"temperatures": "t_m1"}),
        ("ReturneeIn", ReturneeForm, {"household": None}),  # an id here, a household number there
        ("NewHouseholdIn", ReturneeForm, {}),
        ("MoveIn", dynamic["MoveForm.adjust"], {"source": None, "note": None}),
        ("MoveIn", dynamic["MoveForm.receive"], {"reason": None, "quantity": None}),
        ("NeedIn", NeedForm, {}),
        ("TransitionIn", NoteForm, {}),
        ("TransitionIn", AssignForm, {}),
        ("TransitionIn", ResolveForm, {"cost_fen": "cost"}),
        ("TransitionIn", ReopenForm, {}),
        ("LeadIn", LeadForm, {"household": None}),
        ("StepIn", LeadStepForm, {"cadres": None}),  # a list of names here, one text there
        ("PolicyIn", PolicyForm, {}),
        ("ReceiptIn", ReceiptForm, {}),
        ("ImportIn", ImportForm, {}),
        ("MeasureIn", MeasureForm, {"household": None}),  # in the path there
        ("UserIn", UserAddForm, {}),
        ("CouncilIn", CouncilForm, {"members": None}),  # lines of one text there, a list here
        ("AgreementIn", AgreementForm, {}),
        ("SupporterIn", SupporterForm, {}),
        ("ContributionIn", ContributionForm, {}),
        ("PayoutIn", PayoutForm, {}),
        ("UserPatch", UserEditForm, {}),
        ("StatusIn", StatusPageForm, {"member": None, "wage_fen": "wage"}),  # the labourer's id; the page names them in its path
        ("OutcomeIn", OutcomeForm, {}),
        # a list of ids there, household numbers in a text here; a list of rows there, lines of text here
        ("ProjectIn", ProjectForm, {"households": None, "targets": None, "client_id": None}),
        ("ProjectStepIn", ProjectStepForm, {}),
        ("HandoverItemIn", dynamic["StepForm.hand_over"], {"name": "item_1_name", "value_fen": "item_1_value",
                                                   "owner_name": "item_1_owner_name", "keeper": "item_1_keeper"}),
        ("ProjectPaymentIn", PaymentForm, {"amount_fen": "amount", "client_id": None}),
        # the township is the page's choice of the caller's townships, not a form field
        ("PostingIn", PostingForm, {"township": None, "wage_min_fen": "wage_min", "wage_max_fen": "wage_max"}),
        ("AttendanceIn", AttendanceForm, {}),
        # a list of household ids here, household numbers in a text there
        ("SaleIn", SaleForm, {"households": None}),
        ("BuyerIn", BuyerForm, {}),
        # an id there, a household number here; the inspector is a choice of users here
        ("AssetIn", AssetForm, {"value_fen": "value", "household": None, "inspector": None}),
        ("IncomeIn", IncomeForm, {"amount_fen": "amount", "client_id": None}),
    ]


def _property(schema: dict, spec: dict) -> dict:
    """A property's own schema: through a reference, a nullable's anyOf, a map's values."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for option in schema.get("anyOf", ()):
        if option.get("type") != "null":
            return _property(option, spec)
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        return _property(schema["additionalProperties"], spec)
    return schema


def _same(form_value, api_value) -> bool:
    return api_value is not None and Decimal(str(form_value)) == Decimal(str(api_value))


@pytest.fixture(scope="module")
def spec():
    return api.get_openapi_schema(path_prefix="/api/")


@pytest.mark.parametrize(("schema_name", "form", "renames"), _pairs(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_the_api_states_the_forms_bounds(spec, schema_name, form, renames):
    schema = spec["components"]["schemas"][schema_name]
    fields = _fields_of(form)
    compared, differ = 0, []
    for prop, raw in schema["properties"].items():
        field_name = renames.get(prop, prop)
        if field_name is None or field_name not in fields:
            continue
        field, stated = fields[field_name], _property(raw, spec)
        if isinstance(field, (forms.ChoiceField, forms.BooleanField, *SHAPED_TEXT)):
            continue
        compared += 1
        if isinstance(field, NUMBER_FIELDS):
            low, high = _limits(field)
            scale = 100 if isinstance(field, YuanField) else 1  # the form takes yuan, the API fen
            if not (_same(low * scale, stated.get("minimum")) and _same(high * scale, stated.get("maximum"))):
                differ.append(f"{prop}: form {low}..{high} (x{scale}), API "
                              f"{stated.get('minimum')}..{stated.get('maximum')}")
        elif isinstance(field, DATE_FIELDS):
            window = _window(field)
            if window is None or stated.get("x-date-window") != window.stated():
                differ.append(f"{prop}: form {window and window.stated()}, API {stated.get('x-date-window')}")
            if stated.get("format") != ("date-time" if isinstance(field, forms.DateTimeField) else "date"):
                differ.append(f"{prop}: format {stated.get('format')}")
        elif isinstance(field, forms.CharField):
            if stated.get("maxLength") != field.max_length:
                differ.append(f"{prop}: form max_length {field.max_length}, API {stated.get('maxLength')}")
    assert compared, f"{schema_name} shares no field with its form"
    assert differ == []


def test_a_date_window_is_checked_and_stated():
    window = DateWindow(dt.date(2000, 1, 1), 1)
    assert window.stated() == {"earliest": "2000-01-01", "latest": "today+1d"}
    assert window.message(dt.date(2000, 1, 1)) is None
    assert "2000-01-01" in window.message(dt.date(1, 1, 1))
    assert window.message(dt.date(9999, 12, 31)) is not None


def test_a_moment_is_judged_by_its_shanghai_day():
    window = DateWindow(dt.date(2000, 1, 1), 1)
    # 20:00 UTC on the last day of 1999 is already 2000 in Shanghai.
    assert window.message(dt.datetime(1999, 12, 31, 20, tzinfo=dt.UTC)) is None
    assert window.message(dt.datetime(1999, 12, 31, 15, tzinfo=dt.UTC)) is not None


# Bodies with no form of their own: each only chooses (a user by id, a field to reveal).
NO_FORM = {"AssignIn": "a caseworker's id", "ReopenIn": "a caseworker's id", "RevealIn": "a choice of field",
           # A department's rows, each read as a row of its file is (monitoring.drops).
           "DropIn": "a department and its rows", "DropRowIn": "a row of a department's file",
           "ProjectTargetIn": "a line of ProjectForm's targets text (indicator and target, each of bounds.TITLE)",
           "PaymentRowIn": "a payment sheet's row, checked as the sheet's rows are (policies.payments)"}


def _referenced(schema: dict, spec: dict, seen: set[str]) -> None:
    """The names of the components a schema refers to, however deep."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                _referenced(spec["components"]["schemas"][name], spec, seen)
        for value in schema.values():
            _referenced(value, spec, seen)
    elif isinstance(schema, list):
        for value in schema:
            _referenced(value, spec, seen)


def test_every_request_body_is_paired_with_its_form(spec):
    bodies: set[str] = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                _referenced(operation["requestBody"], spec, bodies)
    with_numbers_dates_or_text = {
        name for name in bodies
        if any(_property(p, spec).get("type") in {"string", "number", "integer"} and "enum" not in _property(p, spec)
               for p in spec["components"]["schemas"][name].get("properties", {}).values())
    }
    paired = {name for name, _form, _renames in _pairs()}
    assert with_numbers_dates_or_text - paired - set(NO_FORM) == set()


def test_a_moment_at_the_edge_of_the_calendar_is_refused_not_an_error():
    window = DateWindow(dt.date(2000, 1, 1), 1)
    # In UTC this is still year 0, which no datetime holds.
    first = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert "2000-01-01" in window.message(first)
    assert window.message(dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))) is not None
