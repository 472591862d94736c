"""A department's payment sheet (.xlsx, .xls or .csv) read into rows: the header row found among
the first rows, each row checked, every problem named by row and column ("第5行 金额: ...")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from bangfu.core import bounds
from bangfu.core.dates import local_today
from bangfu.core.text import clean_text
from bangfu.households import identity
from bangfu.imports.readers import FileError, Source, first_sheet
from bangfu.policies.services import PaymentRow

# The headers a department's sheet uses for each column; the first found wins.
HEADERS = {
    "id_number": ("身份证号", "身份证号码", "证件号码", "公民身份号码", "id_number"),
    "name": ("姓名", "户主姓名", "name"),
    "amount": ("金额", "发放金额", "金额（元）", "金额(元)", "发放金额（元）", "发放金额(元)", "amount"),
    "paid_on": ("发放日期", "发放时间", "日期", "paid_on"),
}
REQUIRED = ("id_number", "amount")
SCAN_ROWS = 20
MAX_ROWS = 100_000


def _header_row(sheet) -> tuple[int, dict[str, int], list[str]]:
    for count, (number, values) in enumerate(sheet.rows()):
        if count >= SCAN_ROWS:
            break
        # Matched in a normal form (full-width brackets, stray spaces); named as the file spells it.
        texts = [clean_text(v).replace(" ", "") if v is not None else "" for v in values]
        names_known = {key: {clean_text(n) for n in names} for key, names in HEADERS.items()}
        found = {}
        for key, names in names_known.items():
            for index, text in enumerate(texts):
                if text in names and key not in found:
                    found[key] = index
        if all(key in found for key in REQUIRED):
            return number, found, ["" if v is None else str(v).strip() for v in values]
    raise FileError(_("No header row found: the sheet needs the columns 身份证号 and 金额 within its first %(n)d "
                      "rows.") % {"n": SCAN_ROWS})


def _amount(value) -> int:
    try:
        amount = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise ValueError(_("Enter a number of yuan.")) from None
    fen = int((amount * 100).to_integral_value())
    if not bounds.COST_FEN.min < fen <= bounds.COST_FEN.max:
        raise ValueError(_("Between 0.01 and %(max)s yuan.") % {"max": f"{bounds.COST_FEN.max // 100:,}"})
    return fen


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("Enter a date as 2026-03-15.")) from None
    if not bounds.PAST_EVENT.earliest <= day <= local_today():
        raise ValueError(_("A date between %(first)s and today.") % {"first": bounds.PAST_EVENT.earliest})
    return day


def read_sheet(source: Source) -> tuple[list[PaymentRow], list[str]]:
    """The rows of the sheet and the problems found, each naming its row and column; raises
    FileError when the file cannot be read as a sheet at all."""
    sheet = first_sheet(source)
    header, columns, texts = _header_row(sheet)
    rows: list[PaymentRow] = []
    errors: list[str] = []
    for number, values in sheet.rows():
        if number <= header:
            continue
        cell = {key: (values[index] if index < len(values) else None) for key, index in columns.items()}
        if all(v is None or not str(v).strip() for v in cell.values()):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(_("More than %(n)d rows: split the sheet.") % {"n": MAX_ROWS})
            break
        parsed = {}
        row_errors = []
        for key in ("id_number", "amount", "paid_on", "name"):
            if key not in columns:
                continue
            value = cell[key]
            label = texts[columns[key]]
            blank = value is None or not str(value).strip()
            try:
                if blank:
                    if key in REQUIRED:
                        raise ValueError(_("This field is required."))
                    continue
                if key == "id_number":
                    parsed[key] = identity.parse_id_number(str(value).strip()).full
                elif key == "amount":
                    parsed[key] = _amount(value)
                elif key == "paid_on":
                    parsed[key] = _date(value)
                else:
                    parsed[key] = clean_text(value)[:bounds.NAME]
            except identity.IdentityError as error:
                row_errors.append(_("Row %(row)d, %(column)s: %(message)s") % {
                    "row": number, "column": label, "message": error.message})
            except ValueError as error:
                row_errors.append(_("Row %(row)d, %(column)s: %(message)s") % {
                    "row": number, "column": label, "message": error})
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(PaymentRow(row=number, id_number=parsed["id_number"], name=parsed.get("name", ""),
                               amount=parsed["amount"], paid_on=parsed.get("paid_on") or local_today()))
    return rows, errors
