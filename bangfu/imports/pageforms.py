"""Forms the import and export pages need: the upload, and an export of the list as filtered."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.models import User
from bangfu.core import bounds
from bangfu.core.codes import VILLAGE_LENGTH, Level
from bangfu.households import choices
from bangfu.households.queries import HouseholdFilter
from bangfu.imports.jobs import SUFFIXES
from bangfu.imports.models import JobKind
from bangfu.regions.models import Region

REGION_CHOICES_LIMIT = 1000


def _area_choices(user: User) -> list | None:
    """The areas an import may go into: the user's township(s) as a whole, or one village in them,
    grouped by township; None when there are too many to list (an administrator types a code)."""
    scope = user.scope
    if not scope:
        return None
    regions = list(
        Region.objects.within(scope).filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])
        .order_by("code").only("code", "name", "level")[: REGION_CHOICES_LIMIT + 1]
    )
    if len(regions) > REGION_CHOICES_LIMIT:
        return None
    if len(scope) >= VILLAGE_LENGTH:  # a village cadre: their village only
        own = Region.objects.filter(code=scope).only("code", "name").first()
        return [(own.code, own.name)] if own else []
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for region in regions:
        if region.level == Level.TOWNSHIP:
            groups.append((region.name, [(region.code, _("All of %(name)s") % {"name": region.name})]))
        elif groups and region.code.startswith(groups[-1][1][0][0]):
            groups[-1][1].append((region.code, region.name))
    if len(groups) == 1:
        return groups[0][1]
    return groups


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file"),
        help_text=_("The national member sheet (.xlsx, .xls or .csv), one row per member."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    region = forms.ChoiceField(
        label=_("Import into"),
        help_text=_("Every household in the file must be in this area."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        area_choices = _area_choices(user)
        if area_choices is None:
            self.fields["region"] = forms.CharField(
                label=_("Import into"), max_length=15,
                help_text=_("The division code of a township or village, such as 370215010."),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        else:
            self.fields["region"].choices = area_choices
            if len(area_choices) == 1 and not isinstance(area_choices[0][1], list):
                self.initial.setdefault("region", area_choices[0][0])


class ExportForm(forms.Form):
    """The household list's filters as the list page sends them, and what to export. A filter that
    does not parse is dropped (as on the list); the scope is the export's own business."""

    kind = forms.ChoiceField(choices=[(JobKind.EXPORT, JobKind.EXPORT), (JobKind.NOTICE, JobKind.NOTICE)],
                             required=False)
    full = forms.BooleanField(required=False)
    q = forms.CharField(required=False, max_length=50)
    village = forms.RegexField(regex=r"^[0-9]{2,15}$", required=False, max_length=bounds.CODE)
    category = forms.ChoiceField(choices=[("", ""), *choices.Category.choices], required=False)
    caseworker = forms.IntegerField(required=False, **bounds.ID.form())
    status = forms.ChoiceField(choices=[("", ""), *choices.Status.choices], required=False)
    request_id = forms.UUIDField(required=False)

    def household_filter(self) -> HouseholdFilter:
        self.is_valid()
        data = self.cleaned_data
        request_id = data.get("request_id")
        return HouseholdFilter(
            q=(data.get("q") or "").strip(), village=data.get("village") or "",
            category=data.get("category") or "", caseworker=data.get("caseworker"),
            status=data.get("status") or "", request_id=str(request_id) if request_id else "",
        )

    @property
    def export_kind(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("kind") or JobKind.EXPORT
