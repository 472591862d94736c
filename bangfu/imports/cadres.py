"""The sheet of cadres (姓名, 手机号, 村, 角色): read here, added by accounts.services.users_bulk_add
all or none, with a report naming each bad row and column, and the one-time passwords shown once."""

from __future__ import annotations

from typing import IO, Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bangfu.accounts.models import User
from bangfu.accounts.services import CADRE_COLUMNS, CadreError, users_bulk_add
from bangfu.core import bounds
from bangfu.core.codes import Level
from bangfu.core.permissions import require
from bangfu.imports import columns as cols
from bangfu.imports.readers import HEADER_SCAN_ROWS, FileError, first_sheet
from bangfu.regions.models import Region

# The headers a cadre sheet may use for each column (spaces ignored).
HEADERS = {
    "name": ("姓名",),
    "phone": ("手机号", "手机号码", "手机", "联系电话", "电话"),
    "village": ("村", "村名", "所在村", "村（社区）", "村(社区)", "村居", "社区"),
    "role": ("角色", "职务", "身份"),
}
MAX_ROWS = 2000


class CadreSheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Sheet of cadres"),
                           help_text=gettext_lazy("An .xlsx, .xls or .csv file with the columns 姓名, 手机号, 村, 角色."))
    township = forms.CharField(label=gettext_lazy("Township (region code)"), max_length=bounds.CODE)

    def clean_township(self) -> str:
        code = self.cleaned_data["township"].strip()
        if not Region.objects.filter(code=code, level=Level.TOWNSHIP).exists():
            raise forms.ValidationError(_("No township with code %(code)s.") % {"code": code})
        return code

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.")
                                        % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload


def _header_key(text: Any) -> str | None:
    if cols.is_blank(text):
        return None
    plain = "".join(str(text).split())
    return next((key for key, names in HEADERS.items() if plain in names), None)


def cadre_rows(source: str | IO[bytes]) -> tuple[list[tuple[int, dict[str, str]]], list[CadreError]]:
    """The sheet's rows as {name, phone, village, role}, by row number; or what is wrong with the sheet."""
    try:
        rows = first_sheet(source).rows()
        header: tuple[int, dict[int, str]] | None = None
        for count, (number, values) in enumerate(rows):
            if count >= HEADER_SCAN_ROWS:
                break
            keys = {index: key for index, text in enumerate(values) if (key := _header_key(text))}
            if {"name", "phone"} <= set(keys.values()):
                header = (number, keys)
                break
        if header is None:
            return [], [CadreError(1, CADRE_COLUMNS["phone"], _(
                "No header row found: none of the first %(n)d rows holds 姓名 and 手机号.") % {"n": HEADER_SCAN_ROWS})]
        found: list[tuple[int, dict[str, str]]] = []
        for number, values in rows:
            cells = {key: _text(values[index]) if index < len(values) else "" for index, key in header[1].items()}
            if not any(cells.values()):
                continue
            if len(found) >= MAX_ROWS:
                return [], [CadreError(number, CADRE_COLUMNS["name"],
                                       _("More than %(n)d rows: split the sheet.") % {"n": MAX_ROWS})]
            found.append((number, cells))
    except FileError as error:
        return [], [CadreError(1, CADRE_COLUMNS["name"], str(error.message))]
    return found, []


def _text(value: Any) -> str:
    if cols.is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number Excel holds as a number
    return str(value).strip()


@login_required
@require_http_methods(["GET", "POST"])
def cadres_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    user: User = request.user
    own = user.region_id if user.region and user.region.level == Level.TOWNSHIP else ""
    form = CadreSheetForm(request.POST or None, request.FILES or None, initial={"township": own})
    errors: list[CadreError] = []
    added: list = []
    if request.method == "POST" and form.is_valid():
        rows, errors = cadre_rows(form.cleaned_data["file"])
        if not errors and not rows:
            form.add_error("file", _("The sheet has no rows of cadres."))
        elif not errors:
            added, errors = users_bulk_add(actor=user, township_code=form.cleaned_data["township"], rows=rows)
    response = render(request, "imports/cadres.html", {"form": form, "errors": errors, "added": added})
    if added:
        add_never_cache_headers(response)
    return response
