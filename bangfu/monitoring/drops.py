"""A department's file read row by row into DropRows (姓名, 身份证号, and the department's value), or
the errors naming each bad row and column: the drop is checked only when every row reads."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from bangfu.households import identity
from bangfu.imports import columns as cols
from bangfu.imports.readers import HEADER_SCAN_ROWS, FileError, first_sheet
from bangfu.monitoring.models import Department
from bangfu.monitoring.services import DropError, DropRow

# The headers each column may have (spaces ignored).
HEADERS = {
    "name": ("姓名",),
    "id_number": ("身份证号", "身份证号码", "证件号码", "公民身份号码"),
    "amount": ("自付金额", "个人自付", "累计自付", "自付费用", "个人负担"),
    "reason": ("原因", "事由", "情况", "备注", "类别"),
}
LABELS = {"name": "姓名", "id_number": "身份证号", "amount": "自付金额", "reason": "原因"}
MAX_ROWS = 100_000


def _key(text: Any) -> str | None:
    if cols.is_blank(text):
        return None
    plain = "".join(str(text).split())
    return next((key for key, names in HEADERS.items() if plain in names), None)


def _text(value: Any) -> str:
    if cols.is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def drop_rows(source: str | IO[bytes], department: str) -> tuple[list[DropRow], list[DropError]]:
    """Every row of the file, or what is wrong with it (row and column)."""
    needed = {"name", "id_number"} | ({"amount"} if department == Department.MEDICAL else set())
    rows: list[DropRow] = []
    errors: list[DropError] = []
    try:
        sheet_rows = first_sheet(source).rows()
        header = None
        for count, (number, values) in enumerate(sheet_rows):
            if count >= HEADER_SCAN_ROWS:
                break
            keys = {index: key for index, text in enumerate(values) if (key := _key(text))}
            if {"name", "id_number"} <= set(keys.values()):
                header = (number, keys)
                break
        if header is None:
            return [], [DropError(1, LABELS["id_number"], _(
                "No header row found: none of the first %(n)d rows holds 姓名 and 身份证号.") % {"n": HEADER_SCAN_ROWS})]
        missing = needed - set(header[1].values())
        if missing:
            return [], [DropError(header[0], LABELS[key], _("This column is missing.")) for key in sorted(missing)]
        for number, values in sheet_rows:
            cells = {key: _text(values[index]) if index < len(values) else "" for index, key in header[1].items()}
            if not any(cells.values()):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                return [], [DropError(number, LABELS["name"], _("More than %(n)d rows: split the file.") % {
                    "n": MAX_ROWS})]
            row_errors = []
            id_number = cells.get("id_number", "")
            try:
                id_number = identity.parse_id_number(id_number).base
            except identity.IdentityError as error:
                row_errors.append(DropError(number, LABELS["id_number"], str(error.message)))
            if not cells.get("name"):
                row_errors.append(DropError(number, LABELS["name"], _("The name is empty.")))
            amount = None
            if department == Department.MEDICAL:
                try:
                    value = Decimal(cells.get("amount", "").replace(",", "").replace("，", ""))
                    if value < 0 or value > 10**8:
                        raise InvalidOperation
                    amount = int((value * 100).to_integral_value())
                except (InvalidOperation, ValueError):
                    row_errors.append(DropError(number, LABELS["amount"], _("Give an amount in yuan, such as 5200.50.")))
            if row_errors:
                errors.extend(row_errors)
                continue
            shown = cells.get("amount", "") if department == Department.MEDICAL else cells.get("reason", "")
            rows.append(DropRow(row=number, id_number=id_number, name=cells["name"][:50], value=shown[:100],
                                amount_fen=amount))
    except FileError as error:
        return [], [DropError(1, LABELS["name"], str(error.message))]
    return ([], errors) if errors else (rows, [])
