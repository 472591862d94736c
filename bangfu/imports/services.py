"""Import of the national member sheet and export of households: every write and every file produced.

Import (households_import): each row binds to the households app's forms; the whole file is
checked, and written in one transaction only when every row is valid (a dry run is the very same
code, rolled back). Households are matched by 户编号, members by ID number; an existing household
or member is updated where the file differs and left alone where it does not, so importing a file
twice changes nothing the second time. Nothing is ever deleted: a member of an existing household
who is not in the file stays as they are. Every history row of one import shares one request id.

Decisions worth knowing:
- the rows of one household must be together (the national export groups them by 户编号); a
  household whose rows are scattered is refused, with the row where it appeared first;
- the household columns repeat on each member row and must agree with the household's first row;
- a row names its village by 行政区划代码 (12 digits, or 15 for a group) or by name (村, with 乡(镇)
  where names repeat within the import's area); a 组 the division tree does not know leaves the
  household on its village (said in the report);
- a village name matches the tree's ignoring 村民委员会 / 村委会 / 居民委员会 / 居委会 / 社区 (and 村),
  full-width forms and spaces; a name the tree lacks but the national list has (regions' shipped
  villages of the area) loads that village; a name neither knows is an error listing the closest
  known villages, unless the importer chose to add it as the township's own village (code 900-999,
  `add_villages`); the dry run counts such names' rows (`unknown_villages`);
- a village code that does not exist yet, inside the import's area, under an existing township,
  with its name in 村, creates that village (listed in the report; a code of the national list
  takes the list's name);
- a member already registered in another household is an error naming where (moving people
  between households is done in the app, where it is one deliberate act).

Export (households_export): the same columns, ID numbers and phones as text and masked (and the
birth date as its year) unless the user may reveal them and asks (a full export is recorded in
each household's history);
text that a spreadsheet would run as a formula is neutralised; rows are streamed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bangfu.accounts.models import User
from bangfu.core import bulk, crypto, requestid
from bangfu.core.codes import (
    COUNTY_LENGTH,
    GROUP_LENGTH,
    TOWNSHIP_LENGTH,
    VILLAGE_LENGTH,
    Level,
    ancestors,
    parent_of,
    township_of,
    village_of,
)
from bangfu.core.permissions import can, require
from bangfu.core.text import clean_text, initials, pinyin
from bangfu.history.models import Action, Change
from bangfu.history.services import changes_bulk_insert, changes_bulk_record, diff
from bangfu.households import choices, identity
from bangfu.households.forms import MONEY_FIELDS, member_set_errors
from bangfu.households.models import Household, HouseholdCategory, Member
from bangfu.households.moves import HouseholdMove, households_moved
from bangfu.households.queries import HouseholdFilter
from bangfu.households.services import (
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    household_snapshot,
    member_snapshot,
    member_snapshot_of,
    region_in_scope,
    registered_elsewhere_message,
)
from bangfu.imports import columns as cols
from bangfu.imports import queries
from bangfu.imports.forms import HouseholdImportForm, MemberImportForm, RowForm
from bangfu.imports.readers import FileError, Source, Table, open_table
from bangfu.regions.models import Region
from bangfu.regions.queries import closest_names, national_villages, village_key
from bangfu.regions.services import region_add, village_add_local, villages_load

__all__ = [
    "FileError", "ImportResult", "RowError", "Counts", "ExportResult",
    "households_import", "import_report_write", "households_export", "households_notice_export",
    "import_template_write",
]

CHUNK_ROWS = 2000  # rows validated, then written, together (whole households)
MAX_ERROR_ROWS = 10000  # after this many rows in error, stop reading: the file needs a different fix
LIST_SEPARATOR = "、"
HEALTH_SEPARATOR = ","  # as the national export writes 健康状况
MEMO_LIMIT = 4096
CATEGORY_ORDER = tuple(choices.Category.values)  # Category.values builds its list on each use
UNIQUE_KEYS = frozenset({"number", "phone", "head_name", "address", "name", "id_number", "member_phone"})

Progress = Callable[[int, int | None], None]


# --- results ---------------------------------------------------------------------------------

@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet's row number as Excel shows it (None for the file as a whole) and the
    column as the file spells its header."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        if self.column:
            return _("Row %(row)d %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    dry_run: bool
    file_name: str = ""
    format: str = ""
    encoding: str = ""
    sheet: str = ""
    header_row: int = 0
    rows: int = 0  # data rows read (blank rows not counted)
    skipped_rows: int = 0  # rows with neither 户编号, 姓名 nor 证件号码 (notes under the table)
    households: Counts = field(default_factory=Counts)
    members: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    stopped_at: int | None = None  # the row where reading stopped after too many errors
    unknown_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    villages_created: list[tuple[str, str]] = field(default_factory=list)
    villages_loaded: list[tuple[str, str]] = field(default_factory=list)  # from the national list
    # Village names neither the tree nor the national list knows: (township code, name) -> rows.
    unknown_villages: dict[tuple[str, str], int] = field(default_factory=dict)
    unknown_groups: dict[str, int] = field(default_factory=dict)  # 组 not in the tree -> households
    committed: bool = False
    request_id: uuid.UUID | None = None  # the history request id, once committed
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        """The one line the command prints."""
        return (f"households: {self.households}; members: {self.members}; errors: {len(self.errors)}")


# --- the import ------------------------------------------------------------------------------

@dataclass
class _MemberRow:
    row: int
    data: dict[str, Any]
    empty: bool = False  # a row that only carries its household (no member columns filled)
    parsed_id: identity.IdNumber | None = None
    id_hash: str = ""
    cleaned: dict[str, Any] | None = None
    existing: Member | None = None
    problems: frozenset[str] = frozenset()  # columns whose cell could not be read (already reported)


@dataclass
class _Group:
    number: str
    first_row: int
    raw: tuple  # the household cells of the first row, as read
    data: dict[str, Any]
    members: list[_MemberRow] = field(default_factory=list)
    region_code: str = ""
    existing: Household | None = None
    existing_categories: list[str] = field(default_factory=list)
    existing_members: list[Member] = field(default_factory=list)
    cleaned: dict[str, Any] | None = None
    categories: list[str] = field(default_factory=list)
    failed: bool = False
    problems: set[str] = field(default_factory=set)


class _Rollback(Exception):
    pass


class _TooManyErrors(Exception):
    pass


def _loose(name: str) -> str:
    """A place name without its administrative suffix, for matching 戴家庄 with 戴家庄村."""
    for suffix in ("街道办事处", "居民委员会", "村民委员会", "居委会", "村委会", "街道", "社区", "村", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _village_keys(name: str) -> list[str]:
    """The keys a village's name is found by, strictest first: as written (full-width and spaces
    ignored), without its committee suffix or 社区 (振兴村 ↔ 振兴村村民委员会), and without 村 too."""
    exact = clean_text(name)
    key = village_key(name)
    return list(dict.fromkeys([exact, key, _loose(key)]))


class _Regions:
    """The division tree within the import's area, loaded once, and where each row lives; the
    national list's villages of the area, read when a name is not in the tree."""

    def __init__(self, scope: str):
        self.scope = scope
        self.by_code: dict[str, tuple[str, str]] = {}
        self.villages: dict[str, list[str]] = {}
        self.groups: dict[tuple[str, str], str] = {}
        for code, name, level in Region.objects.within(scope).values_list("code", "name", "level"):
            self._add(code, name, level)
        # The area itself and what is above it, for matching names in rows of a village import.
        for code, name, level in Region.objects.filter(
            code__in=ancestors(scope)
        ).values_list("code", "name", "level"):
            self.by_code[code] = (name, level)
        self.memo: dict[tuple, tuple[str, str, str]] = {}
        self._national: dict[str, list[tuple[str, str]]] | None = None

    def _add(self, code: str, name: str, level: str) -> None:
        self.by_code[code] = (name, level)
        if level == Level.VILLAGE:
            for key in _village_keys(name):
                self.villages.setdefault(key, []).append(code)
        elif level == Level.GROUP:
            for key in {name, _loose(name)}:
                self.groups[(village_of(code), key)] = code

    def name(self, code: str) -> str:
        return self.by_code.get(code, ("", ""))[0]

    def find(self, village: str) -> list[str]:
        """Codes of the villages in the tree that the name may mean, by the strictest key that finds any."""
        for key in _village_keys(village):
            found = self.villages.get(key)
            if found:
                return list(dict.fromkeys(found))
        return []

    def national(self) -> dict[str, list[tuple[str, str]]]:
        """The national list's villages of the area not in the tree, by key."""
        if self._national is None:
            self._national = {}
            if len(self.scope) >= COUNTY_LENGTH:  # an import into a province reads no list
                for code, name in national_villages(self.scope):
                    if code not in self.by_code:
                        for key in _village_keys(name):
                            self._national.setdefault(key, []).append((code, name))
        return self._national

    def find_national(self, village: str) -> list[tuple[str, str]]:
        table = self.national()
        for key in _village_keys(village):
            found = table.get(key)
            if found:
                return found
        return []

    def known_names(self, area: str) -> list[str]:
        """Names of the villages known under `area`: in the tree and in the national list."""
        names = [name for code, (name, level) in self.by_code.items()
                 if level == Level.VILLAGE and code.startswith(area)]
        names += [name for rows in self.national().values() for code, name in rows if code.startswith(area)]
        return list(dict.fromkeys(names))


class _Import:
    def __init__(self, *, actor: User, table: Table, scope: str, result: ImportResult, progress: Progress | None,
                 file_name: str, add_villages: bool | Collection[str] = False):
        self.actor = actor
        # Names the tree and the national list do not know, to add as the township's own villages:
        # all (True) or those chosen, as "township code:name".
        self.add_villages = add_villages if add_villages is True else frozenset(add_villages or ())
        self.pending_unknown: tuple[str, str] | None = None
        self.unknown_keys: dict[tuple, tuple[str, str]] = {}
        self.table = table
        self.scope = scope
        self.result = result
        self.progress = progress
        self.message = f"import {file_name}"[:300] if file_name else "import"
        self.present = {column.key for column in table.columns.values()}
        self.household_positions = [(i, c) for i, c in table.columns.items() if c.part != cols.MEMBER]
        self.member_positions = [(i, c) for i, c in table.columns.items() if c.part == cols.MEMBER]
        self.number_index = next(i for i, c in table.columns.items() if c.key == "number")
        self.name_index = next((i for i, c in table.columns.items() if c.key == "name"), None)
        self.id_index = next((i for i, c in table.columns.items() if c.key == "id_number"), None)
        self.regions = _Regions(scope)
        area = Region.objects.within(scope).filter(level__in=[Level.VILLAGE, Level.GROUP])
        self.household_form = RowForm(HouseholdImportForm, regions=area)
        self.member_form = RowForm(MemberImportForm)
        self.registered: dict[str, tuple[int, str, str, str]] = {}
        self.visible_elsewhere: set[int] = set()  # households of other areas the importer may see
        self.seen_numbers: dict[str, int] = {}
        self.seen_ids: dict[int, int] = {}  # first 17 digits of an ID number -> the row it is on
        self.errors_by_row: dict[int, int] = {}
        self.writing = True
        self.rows_done = 0
        self.cell_memo: dict[str, dict] = {}
        self.may_add_regions = can(actor, "region.add")
        self.now = timezone.now()
        self.member_names, self.member_row = bulk.row_maker(Member)
        self.char_fields = {
            f.name for model in (Household, Member) for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField")
        }
        defaults = Member()
        self.member_defaults = {name: getattr(defaults, name) for name in MEMBER_FIELDS}
        household = Household()
        self.household_defaults = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}

    # --- errors ---

    def error(self, row: int | None, key: str, message: str) -> None:
        column = self.table.header_of(key) if key else ""
        self.result.errors.append(RowError(row=row, column=column, message=str(message)))
        self.writing = False
        if row is not None:
            self.errors_by_row[row] = self.errors_by_row.get(row, 0) + 1
            if len(self.errors_by_row) >= MAX_ERROR_ROWS:
                self.result.stopped_at = row
                raise _TooManyErrors

    # --- reading ---

    def cell(self, column: cols.Column, value: Any) -> Any:
        """cell_value, remembered per column for the values a column repeats."""
        memo = self.cell_memo.get(column.key)
        if memo is None:
            return cols.cell_value(column, value)
        try:
            return memo[value]
        except KeyError:
            pass
        except TypeError:
            return cols.cell_value(column, value)
        try:
            result = cols.cell_value(column, value)
        except cols.CellError as error:
            result = error
        if len(memo) >= MEMO_LIMIT:
            del self.cell_memo[column.key]
        else:
            memo[value] = result
        if isinstance(result, cols.CellError):
            raise cols.CellError(result.message)  # a fresh one: re-raising one object grows its traceback
        return result

    def parse(self, row: int, values: list, positions) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        data: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        width = len(values)
        memos = self.cell_memo
        for index, column in positions:
            value = values[index] if index < width else None
            # The remembered value first, inline: most cells of a sheet are repeated values, and
            # this loop runs for every cell of every row.
            memo = memos.get(column.key)
            if memo is not None:
                try:
                    result = memo[value]
                except (KeyError, TypeError):
                    pass
                else:
                    if not isinstance(result, cols.CellError):
                        data[column.key] = result
                        continue
            try:
                data[column.key] = self.cell(column, value)
            except cols.CellError as error:
                problems.append((column.key, error.message))
        return data, problems

    def run(self) -> None:
        for column in self.table.columns.values():
            # Columns that hold a value per person or household are not remembered; the others
            # (ethnicity and place names too) repeat their few values over and over.
            if column.key not in UNIQUE_KEYS:
                self.cell_memo[column.key] = {}
        number_column = cols.COLUMN_BY_KEY["number"]
        chunk: list[_Group] = []
        chunk_rows = 0
        group: _Group | None = None
        household_indexes = [i for i, _c in self.household_positions]
        # The household's cells of a row, to compare with its first row (one C call per row).
        household_cells = itemgetter(*household_indexes) if len(household_indexes) > 1 else None
        household_width = max(household_indexes) + 1 if household_indexes else 0
        try:
            for row, values in self.table.data_rows():
                if all(cols.is_blank(v) for v in values):
                    continue
                if self.is_note(values):
                    self.result.skipped_rows += 1
                    continue
                self.result.rows += 1
                raw_number = values[self.number_index] if self.number_index < len(values) else None
                try:
                    number = self.cell(number_column, raw_number)
                except cols.CellError as error:
                    self.error(row, "number", error.message)
                    continue
                if not number:
                    self.error(row, "number", _("This field is required."))
                    continue
                if household_cells is not None and len(values) >= household_width:
                    raw = household_cells(values)
                else:
                    raw = tuple(values[i] if i < len(values) else None for i in household_indexes)
                if group is None or number != group.number:
                    if number in self.seen_numbers:
                        self.error(row, "number", _(
                            "The rows of household %(number)s are not together (it first appears on row %(row)d); "
                            "sort the sheet by 户编号."
                        ) % {"number": number, "row": self.seen_numbers[number]})
                        continue
                    if group is not None:
                        chunk.append(group)
                        chunk_rows += len(group.members)
                        if chunk_rows >= CHUNK_ROWS:
                            self.process(chunk)
                            chunk, chunk_rows = [], 0
                    self.seen_numbers[number] = row
                    data, problems = self.parse(row, values, self.household_positions)
                    group = _Group(number=number, first_row=row, raw=raw, data=data)
                    for key, message in problems:
                        self.error(row, key, message)
                        group.problems.add(key)
                elif raw != group.raw:
                    self.compare_household(group, row, values)
                self.add_member(group, row, values)
            if group is not None:
                chunk.append(group)
            if chunk:
                self.process(chunk)
        except _TooManyErrors:
            pass

    def is_note(self, values: list) -> bool:
        """A line of text under (or inside) the table, such as 制表人：张三: one cell, no member."""
        for index in (self.name_index, self.id_index):
            if index is not None and index < len(values) and not cols.is_blank(values[index]):
                return False
        return sum(1 for v in values if not cols.is_blank(v)) < 2

    def compare_household(self, group: _Group, row: int, values: list) -> None:
        data, problems = self.parse(row, values, self.household_positions)
        for key, message in problems:
            self.error(row, key, message)
        for key, value in data.items():
            if key in group.data and value != group.data[key]:
                self.error(row, key, _(
                    "Differs from the household's first row (row %(row)d); "
                    "a household's columns are the same on each of its rows."
                ) % {"row": group.first_row})

    def add_member(self, group: _Group, row: int, values: list) -> None:
        data, problems = self.parse(row, values, self.member_positions)
        member = _MemberRow(row=row, data=data)
        member.empty = not problems and all(v in ("", [], None) for v in data.values())
        if member.empty:
            group.members.append(member)
            return
        for key, message in problems:
            self.error(row, key, message)
        member.problems = frozenset(key for key, _message in problems)
        if "id_number" not in member.problems and data.get("id_number"):
            try:
                member.parsed_id = identity.parse_id_number(data["id_number"])
            except identity.IdentityError:
                pass  # the form says why
        if member.parsed_id is not None:
            key = int(member.parsed_id.base[:17])
            first = self.seen_ids.get(key)
            if first is not None:
                self.error(row, "id_number", _("The same ID number as row %(row)d.") % {"row": first})
                member.parsed_id = None
            else:
                self.seen_ids[key] = row
                member.id_hash = crypto.keyed_hash(member.parsed_id.base)
        group.members.append(member)

    # --- checking a chunk ---

    def process(self, groups: list[_Group]) -> None:
        self.locate(groups)
        self.load_existing(groups)
        for group in groups:
            self.check_household(group)
            for member in group.members:
                if not member.empty:
                    self.check_member(group, member)
            self.check_member_set(group)
        self.write(groups)
        self.rows_done += sum(len(g.members) for g in groups)
        if self.progress is not None:
            total = self.table.sheet.total_rows
            self.progress(self.rows_done, total - self.table.header_row if total else None)

    def locate(self, groups: list[_Group]) -> None:
        for group in groups:
            data = group.data
            key = tuple(data.get(k, "") for k in ("region_code", "township", "village", "group"))
            found = self.regions.memo.get(key)
            if found is None:
                self.pending_unknown = None
                found = self.regions.memo[key] = self.resolve(*key)
                if self.pending_unknown is not None:
                    self.unknown_keys[key] = self.pending_unknown
            if key in self.unknown_keys:
                unknown_villages = self.result.unknown_villages
                where = self.unknown_keys[key]
                unknown_villages[where] = unknown_villages.get(where, 0) + len(group.members)
            code, error_key, message = found
            if message and not code:
                self.error(group.first_row, error_key, message)
                group.failed = True
            elif message:  # a 组 the tree does not know: placed on the village
                unknown = self.result.unknown_groups
                unknown[data["group"]] = unknown.get(data["group"], 0) + 1
            group.region_code = code

    def resolve(self, code: str, township: str, village: str, group_name: str) -> tuple[str, str, str]:
        """(region code, key of the column at fault, message) for a row's location."""
        regions = self.regions
        if code:
            if not code.isdigit() or len(code) not in (VILLAGE_LENGTH, GROUP_LENGTH):
                return "", "region_code", _("A village code has 12 digits and a group code 15 digits.")
            if not code.startswith(self.scope):
                return "", "region_code", _("%(region)s is outside your area.") % {"region": code}
            if code in regions.by_code and regions.by_code[code][1] in (Level.VILLAGE, Level.GROUP):
                return code, "", ""
            return self.create_region(code, group_name if len(code) == GROUP_LENGTH else village)
        if not village:
            return "", "village", _("Give the village (村) or its 行政区划代码.")
        area = self.scope
        if township:
            townships = [c for c, (name, level) in regions.by_code.items()
                         if level == Level.TOWNSHIP and c.startswith(self.scope[:TOWNSHIP_LENGTH])
                         and _loose(clean_text(name)) == _loose(clean_text(township))]
            inside = [c for c in townships if c.startswith(self.scope) or self.scope.startswith(c)]
            if not inside:
                if Region.objects.filter(level=Level.TOWNSHIP, name__in={clean_text(township)}).exists():
                    return "", "township", _("%(region)s is outside your area.") % {"region": township}
                return "", "township", _("There is no township called “%(name)s” in %(area)s.") % {
                    "name": township, "area": regions.name(self.scope) or self.scope}
            if len(inside) == 1 and len(inside[0]) > len(area):
                area = inside[0]
        candidates = [c for c in regions.find(village) if c.startswith(area)]
        if not candidates:
            official = [(c, n) for c, n in regions.find_national(village) if c.startswith(area)]
            if len(official) == 1:
                return self.load_official(*official[0])
            if len(official) > 1:
                return "", "village", _(
                    "Several villages in your area are called %(name)s; add the 乡(镇) column or a 行政区划代码 column."
                ) % {"name": village}
            return self.unknown_village(area, township, village)
        if len(set(candidates)) > 1:
            return "", "village", _(
                "Several villages in your area are called %(name)s; add the 乡(镇) column or a 行政区划代码 column."
            ) % {"name": village}
        village_code = candidates[0]
        if group_name:
            group_code = regions.groups.get((village_code, group_name)) or regions.groups.get(
                (village_code, _loose(group_name)))
            if group_code:
                return group_code, "", ""
            return village_code, "group", "unknown group"
        return village_code, "", ""

    def load_official(self, code: str, name: str) -> tuple[str, str, str]:
        """A village of the national list not loaded yet: loaded now (the import's area holds it)."""
        if not villages_load(prefix=code).created:
            return "", "village", _("There is no region %(code)s in your area.") % {"code": code}
        self.regions._add(code, name, Level.VILLAGE)
        self.result.villages_loaded.append((code, name))
        return code, "", ""

    def unknown_village(self, area: str, township: str, village: str) -> tuple[str, str, str]:
        """A name that is neither in the tree nor in the national list: outside the area if it is a
        village elsewhere in the township, else the township's own if the office chose to add it,
        else unknown, with the known villages closest to it."""
        regions = self.regions
        name = clean_text(village)
        township_code = area[:TOWNSHIP_LENGTH] if len(area) >= TOWNSHIP_LENGTH else ""
        if len(self.scope) > TOWNSHIP_LENGTH and township_code:
            # A village's import: a village of the same township is outside the area, not unknown.
            keys = set(_village_keys(village))
            names = list(Region.objects.within(township_code).villages().exclude(
                code__startswith=self.scope).values_list("name", flat=True))
            names += [n for c, n in national_villages(township_code) if not c.startswith(self.scope)]
            if any(keys & set(_village_keys(other)) for other in names):
                where = f"{township} {village}".strip()
                return "", "village", _("%(region)s is outside your area.") % {"region": where}
        wanted = self.add_villages is True or (
            self.add_villages is not True and f"{township_code}:{name}" in self.add_villages)
        if (wanted and township_code and self.may_add_regions and len(self.scope) <= TOWNSHIP_LENGTH
                and township_code.startswith(self.actor.scope)):
            region = village_add_local(township_code=township_code, name=name)
            regions._add(region.code, region.name, region.level)
            self.result.villages_created.append((region.code, region.name))
            return region.code, "", ""
        self.pending_unknown = (township_code, name)
        area_name = regions.name(area) or area
        known = regions.known_names(area)
        if not known:
            return "", "village", _(
                "%(area)s has no village called “%(name)s”, and none of its villages is known yet: load them "
                "on the villages page."
            ) % {"area": area_name, "name": village}
        return "", "village", _("%(area)s has no village called “%(name)s”; the villages known there are: %(names)s.") % {
            "area": area_name, "name": village, "names": LIST_SEPARATOR.join(closest_names(village, known))}

    def create_region(self, code: str, name: str) -> tuple[str, str, str]:
        parent = parent_of(code)
        if parent not in self.regions.by_code:
            return "", "region_code", _("There is no region %(code)s in your area.") % {"code": code}
        if not name:
            return "", "region_code", _(
                "There is no region %(code)s yet; give its name in the 村 (or 组) column to create it."
            ) % {"code": code}
        if not self.may_add_regions:
            return "", "region_code", _("There is no region %(code)s in your area.") % {"code": code}
        try:
            region = region_add(code=code, name=name)
        except ValidationError as error:
            return "", "region_code", " ".join(m for ms in error.message_dict.values() for m in ms)
        self.regions._add(region.code, region.name, region.level)
        self.result.villages_created.append((region.code, region.name))
        return region.code, "", ""

    def load_existing(self, groups: list[_Group]) -> None:
        numbers = [g.number for g in groups]
        existing = {
            h.number: h for h in Household.objects.select_for_update().filter(number__in=numbers)
        }
        if existing:
            ids = [h.pk for h in existing.values()]
            categories: dict[int, list[str]] = {}
            for household_id, category in HouseholdCategory.objects.filter(household_id__in=ids).values_list(
                "household_id", "category"
            ):
                categories.setdefault(household_id, []).append(category)
            members: dict[int, list[Member]] = {}
            for member in Member.objects.filter(household_id__in=ids).order_by("pk"):
                members.setdefault(member.household_id, []).append(member)
        order = {value: i for i, value in enumerate(choices.Category.values)}
        for group in groups:
            household = existing.get(group.number)
            if household is None:
                continue
            if not household.region_code.startswith(self.scope):  # the import's area is within the actor's
                self.error(group.first_row, "number", _("Household number %(number)s is already in use.")
                           % {"number": group.number})
                group.failed = True
                continue
            group.existing = household
            group.existing_categories = sorted(categories.get(household.pk, []), key=lambda c: order.get(c, 99))
            group.existing_members = members.get(household.pk, [])
        # Members registered anywhere with one of these ID numbers.
        hashes = [m.id_hash for g in groups for m in g.members if m.id_hash]
        self.registered: dict[str, tuple[int, str, str, str]] = {}
        for start in range(0, len(hashes), 1000):
            for id_hash, household_id, name, number, village in Member.objects.filter(
                id_hash__in=hashes[start:start + 1000]
            ).values_list("id_hash", "household_id", "name", "household__number", "household__region__name"):
                self.registered[id_hash] = (household_id, name, number, village)
        # Where a number is registered is said only for a household the importer may see.
        elsewhere = {entry[0] for entry in self.registered.values()} - {h.pk for h in existing.values()}
        self.visible_elsewhere = set()
        ids = sorted(elsewhere)
        for start in range(0, len(ids), 1000):
            self.visible_elsewhere.update(Household.objects.visible_to(self.actor).filter(
                pk__in=ids[start:start + 1000]).values_list("pk", flat=True))

    # --- households ---

    def household_base(self, group: _Group) -> dict[str, Any]:
        household = group.existing
        if household is None:
            return dict(self.household_defaults)
        base = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
        for key in MONEY_FIELDS:
            if base[key] is not None:
                base[key] = Decimal(base[key]) / 100
        return base

    def categories_of(self, group: _Group) -> list[str]:
        data, present = group.data, self.present
        wanted = set(group.existing_categories)
        if "categories" in present:
            wanted = set(data.get("categories") or [])
        if "poverty_attribute" in present:
            if "categories" not in present:
                wanted.discard(choices.Category.REGISTERED_POOR)
            if data.get("poverty_attribute"):
                wanted.add(choices.Category.REGISTERED_POOR)
        if "monitor_type" in present:
            if "categories" not in present:
                wanted.discard(choices.Category.MONITORED)
            if data.get("monitor_type"):
                wanted.add(choices.Category.MONITORED)
        known = [value for value in CATEGORY_ORDER if value in wanted]
        return known + sorted(wanted - set(known))  # unknown ones: the form names them

    def check_household(self, group: _Group) -> None:
        if group.failed:
            return
        data = self.household_base(group)
        for key, value in group.data.items():
            if key == "status" and not value:
                continue  # an empty 户状态 keeps the status (a new household is active)
            if key in data or key == "phone":
                data[key] = value
        data["region"] = group.region_code
        data["number"] = group.number
        group.categories = data["categories"] = self.categories_of(group)
        cleaned, errors = self.household_form.validate(data)
        for name, messages in errors.items():
            location = "region_code" if "region_code" in self.present else "village"
            key = {"region": location, "__all__": ""}.get(name, name)
            if key in group.problems:
                continue  # its cell could not be read, which is already said
            for message in messages:
                self.error(group.first_row, key, message)
        if errors or group.problems:
            group.failed = True
        else:
            group.cleaned = cleaned

    # --- members ---

    def check_member(self, group: _Group, member: _MemberRow) -> None:
        existing = None
        if member.id_hash:
            registered = self.registered.get(member.id_hash)
            if registered is not None:
                household_id, name, number, village = registered
                if group.existing is not None and household_id == group.existing.pk:
                    existing = next((m for m in group.existing_members if m.id_hash == member.id_hash), None)
                else:
                    self.error(member.row, "id_number", registered_elsewhere_message(
                        name, number, village, visible=household_id in self.visible_elsewhere))
        member.existing = existing
        if existing is not None:
            data = {name: getattr(existing, name) for name in MEMBER_FIELDS}
        else:
            data = dict(self.member_defaults)
        data["health"] = list(data["health"] or [])
        for key, value in member.data.items():
            if key not in member.problems:
                data[cols.MEMBER_FIELD.get(key, key)] = value
        if not data.get("id_type") or ("id_type" not in self.present and existing is None):
            number = data.get("id_number") or ""
            data["id_type"] = choices.IdType.DISABILITY if len(number) in (20, 22) else choices.IdType.RESIDENT_ID
        cleaned, errors = self.member_form.validate(data)
        for name, messages in errors.items():
            key = {"phone": "member_phone", "__all__": ""}.get(name, name)
            if key in member.problems:
                continue  # its cell could not be read, which is already said
            for message in messages:
                self.error(member.row, key, message)
        if not errors and not member.problems and member.row not in self.errors_by_row:
            member.cleaned = cleaned

    def check_member_set(self, group: _Group) -> None:
        rows = [m for m in group.members if not m.empty]
        if not rows and group.existing is not None:
            return
        matched = {m.existing.pk for m in rows if m.existing is not None}
        entries: list[dict] = []
        for member in rows:
            cleaned = member.cleaned or {}
            entries.append({
                "relation": cleaned.get("relation") or member.data.get("relation"),
                "sex": cleaned.get("sex") or (member.parsed_id.sex if member.parsed_id else ""),
            })
        others = [m for m in group.existing_members if m.pk not in matched]
        entries += [{"relation": m.relation, "sex": m.sex} for m in others]
        for key, messages in member_set_errors(entries).items():
            parts = key.split(".")
            if len(parts) == 3 and parts[2] == "id_number":
                continue  # reported by row, with the row of the first one
            index = int(parts[1]) if len(parts) == 3 else None
            column = parts[2] if len(parts) == 3 else "relation"
            for message in messages:
                if index is None or index >= len(rows):
                    if index is not None:
                        other = others[index - len(rows)]
                        message = _("%(message)s (%(name)s, already registered in this household)") % {
                            "message": message, "name": other.name}
                    self.error(group.first_row, column, message)
                else:
                    self.error(rows[index].row, column, message)
        head_name = group.data.get("head_name")
        if head_name:
            heads = [m.cleaned["name"] for m in rows
                     if m.cleaned and m.cleaned.get("relation") == choices.Relation.HEAD]
            heads += [m.name for m in others if m.relation == choices.Relation.HEAD]
            if heads and clean_text(head_name) != heads[0]:
                self.error(group.first_row, "head_name", _("Does not match the head's name (%(name)s).")
                           % {"name": heads[0]})

    # --- writing ---

    def differences(self, obj, names: Iterable[str], values: dict) -> dict[str, Any]:
        """The fields whose cleaned value differs from the object's (an empty text is "", never NULL)."""
        char_fields = self.char_fields
        changes = {}
        for name in names:
            value = values[name]
            if value is None and name in char_fields:
                value = ""
            if getattr(obj, name) != value:
                changes[name] = value
        return changes

    @staticmethod
    def set_phone(obj, phone: str) -> None:
        obj.phone_encrypted, obj.phone_hash, obj.phone_tail = crypto.seal_phone(phone)

    @staticmethod
    def phone_differs(obj, new_phone: str | None) -> bool:
        """Whether the file gives another phone than the stored one (compared by keyed hash)."""
        return new_phone is not None and crypto.keyed_hash(crypto.phone_lookup_key(new_phone)) != obj.phone_hash

    @staticmethod
    def stored_phone(obj, new_phone: str | None) -> str:
        """The stored phone in plaintext: the file's when it is the same one, else decrypted."""
        if new_phone is not None and crypto.keyed_hash(crypto.phone_lookup_key(new_phone)) == obj.phone_hash:
            return new_phone
        return obj.phone if obj.phone_encrypted else ""

    @staticmethod
    def set_id(member: Member, parsed: identity.IdNumber) -> None:
        member.id_number_encrypted, member.id_hash, member.id_tail_reversed = crypto.seal_id_number(
            parsed.full, parsed.base)

    @staticmethod
    def change(action: str, obj, household: Household, before=None, after=None) -> tuple:
        """A history row for history.services.changes_bulk_insert: what history.services.record
        would write for `obj` (its declared type), with the household at hand."""
        return (action, type(obj).history.type, obj.pk, str(obj), household.pk, household.region_code, before, after)

    def write(self, groups: list[_Group]) -> None:
        """Count what the valid households would change and, while the file has no error, write it."""
        errors = self.errors_by_row
        valid = [g for g in groups if not g.failed and g.cleaned is not None and g.first_row not in errors
                 and all(m.row not in errors and (m.empty or m.cleaned is not None) for m in g.members)]
        if not self.writing:
            for group in valid:
                self.count_only(group)
            return
        history: list[tuple] = []
        created: list[Household] = []
        updated: list[Household] = []
        category_adds: list[tuple[int, str]] = []
        category_removals: dict[str, list[int]] = {}
        plans = []
        for group in valid:
            plan = self.plan_household(group)
            plans.append(plan)
            household = plan["household"]
            if group.existing is None:
                created.append(household)
            elif plan["changed"] or plan["head_changed"]:
                updated.append(household)
        bulk.insert(Household, created)
        update_fields = ["region", "region_code", "head_name", "phone_encrypted", "phone_hash", "phone_tail",
                         "version", "updated_at", *HOUSEHOLD_FIELDS]
        Household.objects.bulk_update(updated, update_fields, batch_size=500)
        households_moved([
            HouseholdMove(household_id=plan["household"].pk, old_region_code=plan["moved_from"],
                          new_region_code=plan["household"].region_code,
                          old_caseworker_id=plan["household"].caseworker_id,
                          new_caseworker_id=plan["household"].caseworker_id)
            for plan in plans if "moved_from" in plan])
        new_members: list[tuple[dict, Household, tuple[str, str]]] = []
        changed_members: list[tuple[Member, Household, dict, tuple[str, str]]] = []
        vacating: list[Member] = []
        for group, plan in zip(valid, plans):
            household = plan["household"]
            if group.existing is None:
                self.result.households.created += 1
                category_adds += [(household.pk, c) for c in group.categories]
                history.append(self.change(Action.CREATE, household, household, after=household_snapshot(
                    household, group.categories, phone=plan["phone"])))
            elif plan["changed"]:
                self.result.households.updated += 1
                current = set(group.existing_categories)
                category_adds += [(household.pk, c) for c in group.categories if c not in current]
                for category in current - set(group.categories):
                    category_removals.setdefault(category, []).append(household.pk)
                after = household_snapshot(household, group.categories, phone=plan["phone"])
                before, after = diff(plan["before"], after)
                history.append(self.change(Action.UPDATE, household, household, before=before, after=after))
            else:
                self.result.households.unchanged += 1
            for member, kind, before, plain in plan["members"]:
                if kind == "create":
                    member["household_id"] = household.pk
                    new_members.append((member, household, plain))
                elif kind == "update":
                    changed_members.append((member, household, before, plain))
                    if plan["vacates"].get(member.pk):
                        vacating.append(member)
        for category, household_ids in category_removals.items():
            HouseholdCategory.objects.filter(household_id__in=household_ids, category=category).delete()
        bulk.insert_rows(HouseholdCategory, ("household_id", "category"), category_adds)
        if vacating:
            # A head or spouse who becomes something else leaves the place first, so that the
            # member taking it over does not meet them in the one-head constraint.
            relations = {m.pk: m.relation for m in vacating}
            for member in vacating:
                member.relation = choices.Relation.OTHER if member.relation in (
                    choices.Relation.HEAD, choices.Relation.SPOUSE) else member.relation
            Member.objects.bulk_update(vacating, ["relation"], batch_size=500)
            for member in vacating:
                member.relation = relations[member.pk]
        rows = []
        for (values, household, (id_number, phone)), pk in zip(
                new_members, bulk.allocate_ids(Member, len(new_members))):
            values["id"] = pk
            rows.append(self.member_row(values))
            history.append((Action.CREATE, Member.history.type, pk, values["name"], household.pk, household.region_code, None,
                            member_snapshot_of(values, id_number=id_number, id_hash=values["id_hash"], phone=phone,
                                               phone_hash=values["phone_hash"])))
        self.result.members.created += len(rows)
        bulk.insert_rows(Member, self.member_names, rows)
        Member.objects.bulk_update([m for m, _h, _b, _p in changed_members],
                                   ["version", "updated_at", "name_initials", "name_pinyin", "id_number_encrypted", "id_hash",
                                    "id_tail_reversed", "phone_encrypted", "phone_hash", "phone_tail", *MEMBER_FIELDS],
                                   batch_size=500)
        for member, household, before, (id_number, phone) in changed_members:
            self.result.members.updated += 1
            old, new = diff(before, member_snapshot(member, id_number=id_number, phone=phone))
            history.append(self.change(Action.UPDATE, member, household, before=old, after=new))
        changes_bulk_insert(actor=self.actor, message=self.message, rows=history)

    def plan_household(self, group: _Group) -> dict:
        """The household as it will be, its members to create or update, and their history. Only
        what changes is touched: an unchanged household or member costs no snapshot, no decryption."""
        cleaned = group.cleaned
        household = group.existing
        plan: dict[str, Any] = {"changed": False, "head_changed": False, "members": [], "vacates": {}}
        new_phone = (cleaned.get("phone") or "") if "phone" in self.present else None
        region = cleaned["region"]
        if household is None:
            household = Household(number=group.number, region=region, region_code=region.code)
            for name, value in self.differences(household, HOUSEHOLD_FIELDS, cleaned).items():
                setattr(household, name, value)
            self.set_phone(household, new_phone or "")
            plan["phone"] = new_phone or ""
        else:
            changes = self.differences(household, HOUSEHOLD_FIELDS, cleaned)
            moved = household.region_id != region.code
            phone_changed = self.phone_differs(household, new_phone)
            if changes or moved or phone_changed or group.categories != group.existing_categories:
                old_phone = self.stored_phone(household, new_phone)
                plan["before"] = household_snapshot(household, group.existing_categories, phone=old_phone)
                for name, value in changes.items():
                    setattr(household, name, value)
                if moved:
                    plan["moved_from"] = household.region_code
                    household.region, household.region_code = region, region.code
                if phone_changed:
                    self.set_phone(household, new_phone)
                plan["phone"] = new_phone if new_phone is not None else old_phone
                household.version += 1
                household.updated_at = self.now
                plan["changed"] = True
        plan["household"] = household
        head_name = household.head_name
        for member in group.members:
            if member.empty:
                continue
            plan["members"].append(self.plan_member(member, plan))
            if member.cleaned["relation"] == choices.Relation.HEAD:
                head_name = member.cleaned["name"]
        if household.head_name != head_name:
            household.head_name = head_name
            plan["head_changed"] = True
            if group.existing is not None:
                household.updated_at = self.now
        return plan

    def plan_member(self, row: _MemberRow, plan: dict) -> tuple[Member, str, dict | None, tuple[str, str]]:
        cleaned = row.cleaned
        parsed = row.parsed_id
        new_phone = (cleaned.get("phone") or "") if "member_phone" in self.present else None
        member = row.existing
        if member is None:
            # A new member is a row of values (see write), not a Member object: an import of a
            # hundred thousand people builds no model instance for them.
            char_fields = self.char_fields
            values = {name: "" if value is None and name in char_fields else value
                      for name, value in ((name, cleaned[name]) for name in MEMBER_FIELDS)}
            values["name_initials"] = initials(values["name"])
            values["name_pinyin"] = pinyin(values["name"])
            # The keyed hash of parsed.base was made when the row was read.
            values["id_number_encrypted"], values["id_hash"], values["id_tail_reversed"] = crypto.seal_id_number(
                parsed.full, parsed.base, hashed=row.id_hash)
            values["phone_encrypted"], values["phone_hash"], values["phone_tail"] = crypto.seal_phone(new_phone or "")
            values["version"] = 1
            values["created_at"] = values["updated_at"] = self.now
            return values, "create", None, (parsed.full, new_phone or "")
        changes = self.differences(member, MEMBER_FIELDS, cleaned)
        # The same keyed hash is the same person; the stored number can differ from the file's
        # only by a disability certificate's suffix, which only that ID type carries.
        id_changed = parsed.full != parsed.base or member.id_type == choices.IdType.DISABILITY
        old_id = parsed.full
        if id_changed:
            old_id = member.id_number
            id_changed = old_id != parsed.full
        phone_changed = self.phone_differs(member, new_phone)
        if not changes and not id_changed and not phone_changed:
            self.result.members.unchanged += 1
            return member, "unchanged", None, ("", "")
        old_phone = self.stored_phone(member, new_phone)
        before = member_snapshot(member, id_number=old_id, phone=old_phone)
        old_relation = member.relation
        for name, value in changes.items():
            setattr(member, name, value)
        if id_changed:
            self.set_id(member, parsed)
        if phone_changed:
            self.set_phone(member, new_phone)
        member.name_initials = initials(member.name)
        member.name_pinyin = pinyin(member.name)
        member.version += 1
        member.updated_at = self.now
        if old_relation in (choices.Relation.HEAD, choices.Relation.SPOUSE) and member.relation != old_relation:
            plan["vacates"][member.pk] = True
        return member, "update", before, (parsed.full, new_phone if new_phone is not None else old_phone)

    def count_only(self, group: _Group) -> None:
        """What a valid household would change, when the file has errors and nothing is written."""
        plan = self.plan_household(group)  # changes the loaded objects in memory only
        if group.existing is None:
            self.result.households.created += 1
        elif plan["changed"]:
            self.result.households.updated += 1
        else:
            self.result.households.unchanged += 1
        for _member, kind, _before, _plain in plan["members"]:
            if kind == "create":
                self.result.members.created += 1
            elif kind == "update":
                self.result.members.updated += 1


def households_import(
    *,
    actor: User,
    source: Source,
    region_code: str,
    dry_run: bool = False,
    report: str | Path | IO[bytes] | None = None,
    progress: Progress | None = None,
    file_name: str = "",
    reader: str = "auto",
    add_villages: bool | Collection[str] = False,
) -> ImportResult:
    """Import a national member sheet into the area `region_code` (which must be within the
    actor's scope). All or nothing; `dry_run` runs the same code and rolls it back.

    Raises FileError for a file that cannot be read as a sheet, PermissionDenied for a role that
    may not import, ValidationError for an area outside the actor's scope. Row errors are in the
    result. `report` (a path or a binary file) receives the sheet with an error column. `progress`
    is called with (rows done, rows in all or None) after each chunk, inside the import's
    transaction: a background job should report it outside the database (a cache, the task result).
    A village named in a row that the tree lacks is loaded from the national list when it is there;
    one that neither knows is an error unless `add_villages` (True for all, or "township code:name"
    strings, as the dry run lists them in `unknown_villages`) adds it as the township's own village
    (an actor who may add regions, in their township).
    """
    require(actor, "household.create")
    require(actor, "household.change")
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationError({"region": _("No region %(code)s.") % {"code": region_code}})
    if not region_in_scope(actor, region.code):
        raise ValidationError({"region": _("%(region)s is outside your area.") % {"region": region.name}})
    if file_name:
        name = file_name
    elif isinstance(source, (str, os.PathLike)):
        name = Path(source).name
    else:
        name = Path(getattr(source, "name", "") or "").name
    table = open_table(source, reader=reader)
    result = ImportResult(
        dry_run=dry_run, file_name=name, format=table.format, encoding=table.sheet.encoding,
        sheet=table.sheet.name, header_row=table.header_row, unknown_columns=table.unknown,
        duplicate_columns=table.duplicates,
    )
    missing = [cols.COLUMN_BY_KEY[key].header for key in cols.REQUIRED_KEYS
               if key not in {c.key for c in table.columns.values()}]
    present = {c.key for c in table.columns.values()}
    if "village" not in present and "region_code" not in present:
        missing.append("村")
    if missing:
        result.errors.append(RowError(row=None, column="", message=_(
            "Required columns are missing: %(columns)s (the header row found is row %(row)d)."
        ) % {"columns": "、".join(missing), "row": table.header_row}))
    else:
        with requestid.bound() as request_id:
            importer = _Import(actor=actor, table=table, scope=region.code, result=result, progress=progress,
                               file_name=name, add_villages=add_villages)
            try:
                with transaction.atomic():
                    importer.run()
                    if dry_run or result.errors:
                        raise _Rollback
            except _Rollback:
                pass
            else:
                result.committed = True
                result.request_id = request_id
            result.errors.sort(key=lambda e: (e.row or 0))
    if report is not None:
        import_report_write(table=table, result=result, out=report)
    table.sheet.close()
    return result


# --- the error report ------------------------------------------------------------------------

ERROR_FILL = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
ERROR_FONT = Font(color="9C0006")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"


def _report_cell(ws, value: Any, *, fill: PatternFill | None = None, font: Font | None = None):
    if isinstance(value, str):
        value = cols.neutralise(value)
    elif isinstance(value, dt.timedelta | dt.time):
        value = str(value)
    if fill is None and font is None and not isinstance(value, (dt.date, dt.datetime)):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = DATE_FORMAT
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    return cell


def import_report_write(*, table: Table, result: ImportResult, out: str | Path | IO[bytes]) -> None:
    """The sheet as read, with an error column after the last one; rows in error highlighted. A
    second sheet sums up: counts, ignored columns, villages created, errors of the file as a whole."""
    by_row: dict[int | None, list[RowError]] = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", table.sheet.name or "Sheet1")[:31])
    error_column = max(len(table.headers), 1)
    ws.column_dimensions[get_column_letter(error_column + 1)].width = 60
    ws.freeze_panes = f"A{table.header_row + 1}"
    expected = 1
    for number, values in table.sheet.rows():
        while expected < number:
            ws.append([])
            expected += 1
        expected = number + 1
        errors = by_row.get(number)
        if number == table.header_row:
            cells = [_report_cell(ws, v, font=HEADER_FONT) for v in values[:error_column]]
            cells += [None] * (error_column - len(cells))
            cells.append(_report_cell(ws, _("Errors"), font=Font(bold=True, color="9C0006")))
        elif errors:
            cells = [_report_cell(ws, v, fill=ERROR_FILL) for v in values[:error_column]]
            cells += [_report_cell(ws, None, fill=ERROR_FILL) for _i in range(error_column - len(cells))]
            text = "; ".join(f"{e.column}: {e.message}" if e.column else e.message for e in errors)
            cells.append(_report_cell(ws, text, fill=ERROR_FILL, font=ERROR_FONT))
        else:
            cells = [_report_cell(ws, v) for v in values[:error_column]]
        ws.append(cells)
    summary = wb.create_sheet(title=_("Summary")[:31])
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 80
    lines: list[tuple[str, Any]] = [
        (_("File"), result.file_name),
        (_("Sheet"), f"{result.sheet} ({result.format}{', ' + result.encoding if result.encoding else ''})"),
        (_("Header row"), result.header_row),
        (_("Rows read"), result.rows),
        (_("Households"), str(result.households)),
        (_("Members"), str(result.members)),
        (_("Errors"), len(result.errors)),
        (_("Result"), _("written") if result.committed else (_("dry run, nothing written") if result.ok
                                                              else _("nothing written"))),
    ]
    if result.request_id:
        lines.append((_("Request id"), str(result.request_id)))
    if result.stopped_at:
        lines.append((_("Stopped"), _("Reading stopped at row %(row)d after %(n)d rows in error.")
                      % {"row": result.stopped_at, "n": MAX_ERROR_ROWS}))
    if result.skipped_rows:
        lines.append((_("Rows skipped"), _("%(n)d rows without 户编号, 姓名 and 证件号码 (notes under the table).")
                      % {"n": result.skipped_rows}))
    if result.unknown_columns:
        lines.append((_("Columns ignored"), "、".join(result.unknown_columns)))
    if result.duplicate_columns:
        lines.append((_("Columns ignored (repeated)"), "、".join(result.duplicate_columns)))
    for code, name in result.villages_created:
        lines.append((_("Village created"), f"{code} {name}"))
    for code, name in result.villages_loaded:
        lines.append((_("Village loaded from the national list"), f"{code} {name}"))
    for (_township, name), count in result.unknown_villages.items():
        lines.append((_("Village nobody knows"), _("%(name)s: %(n)d rows") % {"name": name, "n": count}))
    for name, count in result.unknown_groups.items():
        lines.append((_("Group not in the division tree"),
                      _("%(name)s: %(n)d households placed on their village") % {"name": name, "n": count}))
    for error in by_row.get(None, []):
        lines.append((_("Error"), str(error)))
    for label, value in lines:
        summary.append([_report_cell(summary, label, font=HEADER_FONT), _report_cell(summary, value)])
    wb.save(out)
    if isinstance(out, (str, Path)):
        result.report_path = Path(out)


# --- export ----------------------------------------------------------------------------------

@dataclass
class ExportResult:
    households: int = 0
    members: int = 0
    full: bool = False


TEXT_KINDS = (cols.CODE, cols.PHONE, cols.ID)
LOCATION_LENGTHS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12, "group": 15}


class _Cells:
    """Values of the national columns for one household and member."""

    def __init__(self, *, full: bool):
        self.full = full

    def household(self, column: cols.Column, household: Household, names: dict[str, str]) -> Any:
        key = column.key
        if column.part == cols.LOCATION:
            if key == "region_code":
                return household.region_code
            length = LOCATION_LENGTHS[key]
            code = household.region_code
            return names.get(code[:length], "") if len(code) >= length else ""
        if key == "number":
            return household.number
        if key == "phone":
            phone = household.phone if household.phone_encrypted else ""
            return phone if self.full else identity.mask_phone(phone)
        if key == "head_name":
            return household.head_name
        if key == "categories":
            return LIST_SEPARATOR.join(column.label_of(c) for c in household.category_values())
        return self.value(column, getattr(household, key))

    def member(self, column: cols.Column, member: Member | None) -> Any:
        if member is None:
            return None
        key = column.key
        if key == "id_number":
            number = member.id_number
            return number if self.full else identity.mask_id(number)
        if key == "member_phone":
            phone = member.phone if member.phone_encrypted else ""
            return phone if self.full else identity.mask_phone(phone)
        if key == "birth_date" and not self.full:
            # Beside the masked ID number, the year (identity.birth_years), never the date.
            return member.birth_shown
        return self.value(column, getattr(member, key))

    @staticmethod
    def value(column: cols.Column, value: Any) -> Any:
        kind = column.kind
        if value is None or value == "" or value == []:
            return None
        if kind == cols.CHOICE:
            return column.label_of(value)
        if kind == cols.MULTI:
            separator = HEALTH_SEPARATOR if column.key == "health" else LIST_SEPARATOR
            return separator.join(column.label_of(v) for v in value)
        if kind == cols.BOOL:
            return column.label_of("true" if value else "false")
        if column.key in MONEY_FIELDS:
            return Decimal(value) / 100
        return value


def _write_cell(ws, column: cols.Column, value: Any):
    if isinstance(value, str):
        value = cols.neutralise(value)
    if column.kind in TEXT_KINDS:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "@"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _header(ws, columns: list[cols.Column]) -> None:
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([_report_cell(ws, column.header, font=HEADER_FONT) for column in columns])


def households_export(
    *,
    actor: User,
    out: str | Path | IO[bytes],
    filters: HouseholdFilter | None = None,
    full: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """The households the actor sees (narrowed by `filters`, as the list page filters them), one
    row per member, in the national columns. `full` gives whole ID numbers and phones, for a role
    that may reveal them; each household exported in full gets an export row in its history."""
    require(actor, "household.view")
    if full:
        require(actor, "member.reveal_id")
    household_columns = [c for c in cols.COLUMNS if c.part != cols.MEMBER]
    member_columns = [c for c in cols.COLUMNS if c.part == cols.MEMBER]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Households")[:31])
    _header(ws, household_columns + member_columns)
    cells = _Cells(full=full)
    result = ExportResult(full=full)
    exported: list[tuple[int, str, str]] = []
    for household, members, names in queries.export_rows(actor, filters or HouseholdFilter()):
        head = [_write_cell(ws, c, cells.household(c, household, names)) for c in household_columns]
        for member in members or [None]:
            ws.append(head + [_write_cell(ws, c, cells.member(c, member)) for c in member_columns])
        result.households += 1
        result.members += len(members)
        if full:
            exported.append((household.pk, household.region_code, str(household)))
        if progress is not None and result.households % 500 == 0:
            progress(result.households, None)
    wb.save(out)
    if full and exported:
        with transaction.atomic():
            changes_bulk_record([
                Change(actor=actor, action=Action.EXPORT, object_type=Household.history.type, object_id=pk,
                       object_repr=text[:200], household_id=pk, region_code=code,
                       message="full export (ID numbers and phones)")
                for pk, code, text in exported
            ])
    return result


NOTICE_HEADERS = ["序号", "乡(镇)", "村", "组", "户主姓名", "家庭人口数", "监测对象类别"]


def households_notice_export(
    *, actor: User, out: str | Path | IO[bytes], filters: HouseholdFilter | None = None, title: str = ""
) -> ExportResult:
    """A public notice (公示) list: one row per household, and never an ID number, a phone, a bank
    account or anything about health (个人信息保护法 Art. 28)."""
    require(actor, "household.view")
    filters = filters or HouseholdFilter(category=choices.Category.MONITORED)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Public notice")[:31])
    for index, width in enumerate([6, 14, 14, 10, 12, 10, 16], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.merged_cells.add(f"A1:{get_column_letter(len(NOTICE_HEADERS))}1")
    ws.append([_report_cell(ws, title or _("Public notice of monitored households"), font=Font(bold=True, size=14))])
    ws.append([_report_cell(ws, h, font=HEADER_FONT) for h in NOTICE_HEADERS])
    monitor = cols.COLUMN_BY_KEY["monitor_type"]
    result = ExportResult()
    for household, members, names in queries.export_rows(actor, filters):
        result.households += 1
        code = household.region_code
        ws.append([
            result.households, names.get(township_of(code), ""), names.get(village_of(code), ""),
            names.get(code[:GROUP_LENGTH], "") if len(code) >= GROUP_LENGTH else "",
            cols.neutralise(household.head_name), len(members),
            monitor.label_of(household.monitor_type) if household.monitor_type else "",
        ])
    wb.save(out)
    return result


# --- the template ----------------------------------------------------------------------------

def import_template_write(*, out: str | Path | IO[bytes], rows: int = 2000) -> None:
    """An empty sheet with the national headers, text format where numbers must stay text, and a
    dropdown on every column with a fixed list of values (several may be typed where several apply)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Households")[:31]
    options = wb.create_sheet(title="options")
    options.sheet_state = "hidden"
    ws.freeze_panes = "A2"
    option_column = 0
    for index, column in enumerate(cols.COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        if column.kind in TEXT_KINDS:
            for row in range(2, rows + 2):
                ws.cell(row=row, column=index).number_format = "@"
        values = column.options
        if not values:
            continue
        option_column += 1
        option_letter = get_column_letter(option_column)
        options.cell(row=1, column=option_column, value=column.header)
        for position, value in enumerate(values, start=2):
            options.cell(row=position, column=option_column, value=value)
        several = column.kind == cols.MULTI
        validation = DataValidation(
            type="list", formula1=f"options!${option_letter}$2:${option_letter}${len(values) + 1}",
            allow_blank=True, showErrorMessage=not several, showDropDown=False,
        )
        if several:
            validation.promptTitle = column.header
            validation.prompt = _("Several values may apply: separate them with 、")
            validation.showInputMessage = True
        validation.add(f"{letter}2:{letter}{rows + 1}")
        ws.add_data_validation(validation)
    help_sheet = wb.create_sheet(title=_("How to fill in")[:31])
    help_sheet.column_dimensions["A"].width = 100
    for line in [
        _("One row per member; the household columns repeat on each member row, and a household's rows stay together."),
        _("Required: 户编号, 姓名, 证件号码, 与户主关系, and the village (村, or 行政区划代码)."),
        _("证件号码, 联系电话 and 户编号 are text: never let Excel turn them into numbers."),
        _("Dates as 1990-01-02; yes/no as 是 or 否; several values separated by 、"),
        _("户类别: 建档立卡户, 监测对象, 低保户, 特困供养户, 残疾人, 留守老人, 特殊家庭."),
    ]:
        help_sheet.append([line])
    wb.save(out)

