"""Reading a sheet row by row: .xlsx and .xls through python-calamine, a streaming reader for very
large .xlsx, and .csv in UTF-8 (with or without BOM), GB18030/GBK or UTF-16; then finding the
header row, wherever it sits.

Every reader yields (row number as Excel shows it, cell values by absolute column, A = 0).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import io
import itertools
import logging
import os
import re
import zipfile
import zlib
from abc import ABC, abstractmethod
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bangfu.imports import columns as cols

Row = tuple[int, list[Any]]
logger = logging.getLogger(__name__)

# Above this uncompressed size of the sheet's XML, an .xlsx is streamed instead of loaded whole:
# calamine holds the whole sheet in memory (about twice the XML size), the streaming reader only
# one row and the shared strings (packed).
STREAM_ABOVE_BYTES = 96 * 1024 * 1024
HEADER_SCAN_ROWS = 30
LONGEST_ROW_BYTES = 32 * 1024 * 1024  # of XML: a row longer than this is a damaged sheet


class FileError(Exception):
    """The file cannot be read as a sheet at all."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


Source = str | os.PathLike | IO[bytes]


def _unreadable(error: Exception) -> FileError:
    # The library's own words (English, about zip entries and XML) say nothing to the person who
    # uploaded the file: they go to the log, and the user reads what to do about it.
    logger.info("file not readable as a spreadsheet: %s", error)
    return FileError(_("The file cannot be read as a spreadsheet: it is damaged, or not an Excel (.xlsx, .xls) "
                       "or CSV file. Open it in Excel, save it again as .xlsx and upload that."))


def _refused(problem) -> FileError:
    """The one refusal of an .xlsx that is damaged or built to exhaust memory, naming what is wrong."""
    logger.info("xlsx refused: %s", problem)
    return FileError(_("The file is damaged or too large: %(problem)s. Open it in Excel, save it again as .xlsx "
                       "and upload that.") % {"problem": problem})


def _rewind(source: Source) -> Source:
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def _path_of(source: Source) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    temporary = getattr(source, "temporary_file_path", None)  # a Django upload on disk
    return temporary() if temporary else None


def _head(source: Source, size: int = 65536) -> bytes:
    path = _path_of(source)
    if path is not None:
        try:
            with open(path, "rb") as handle:
                return handle.read(size)
        except OSError as error:
            raise FileError(_("The file cannot be opened: %(error)s") % {"error": error.strerror}) from None
    _rewind(source)
    head = source.read(size)
    _rewind(source)
    return head


# --- the sheet interface ---------------------------------------------------------------------

class Sheet(ABC):
    format = ""
    name = ""
    encoding = ""

    @abstractmethod
    def rows(self) -> Iterator[Row]:
        """Rows from the top, each time it is called."""

    @property
    def total_rows(self) -> int | None:
        return None

    def close(self) -> None:
        pass


class CalamineSheet(Sheet):
    def __init__(self, workbook, index: int, fmt: str):
        self.format = fmt
        self._sheet = workbook.get_sheet_by_index(index)
        self.name = self._sheet.name
        start = self._sheet.start
        self._column_offset = start[1] if start else 0
        end = self._sheet.end
        self._total = end[0] + 1 if end else 0

    @property
    def total_rows(self) -> int:
        return self._total

    def rows(self) -> Iterator[Row]:
        # calamine yields rows from the sheet's first row, and columns from the first used one.
        pad = [None] * self._column_offset
        for index, values in enumerate(self._sheet.iter_rows()):
            yield index + 1, pad + values if pad else values


def _calamine_book(source: Source):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        path = _path_of(source)
        return CalamineWorkbook.from_path(path) if path else CalamineWorkbook.from_filelike(_rewind(source))
    except (CalamineError, ValueError, OSError) as error:
        raise _unreadable(error) from None


def _calamine_sheets(source: Source, fmt: str) -> Iterator[Sheet]:
    from python_calamine import CalamineError, SheetTypeEnum, SheetVisibleEnum

    workbook = _calamine_book(source)
    for index, meta in enumerate(workbook.sheets_metadata):
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            yield CalamineSheet(workbook, index, fmt)
        except CalamineError as error:
            raise _unreadable(error) from None


# --- a streaming .xlsx reader ----------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats that show dates (14-22 everywhere, 27-36 and 50-58 in Chinese locales).
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED_RE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_format(code: str) -> bool:
    bare = _QUOTED_RE.sub("", code).lower()
    return any(ch in bare for ch in "ymdhs") and "general" not in bare


class _PackedStrings:
    """The shared strings of a big workbook, packed: one str per 4096 strings, plus offsets."""

    BLOCK = 4096

    def __init__(self):
        self._blocks: list[str] = []
        self._offsets: list[array] = []
        self._pending: list[str] = []

    def append(self, text: str) -> None:
        self._pending.append(text)
        if len(self._pending) == self.BLOCK:
            self._pack()

    def _pack(self) -> None:
        offsets = array("L", [0])
        total = 0
        for text in self._pending:
            total += len(text)
            offsets.append(total)
        self._blocks.append("".join(self._pending))
        self._offsets.append(offsets)
        self._pending = []

    def finish(self) -> None:
        if self._pending:
            self._pack()

    def __getitem__(self, index: int) -> str:
        block, position = divmod(index, self.BLOCK)
        offsets = self._offsets[block]
        return self._blocks[block][offsets[position]:offsets[position + 1]]


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


# A part smaller than this unpacks to little whatever its ratio (a tiny styles.xml packs 30 to 1).
RATIO_JUDGED_ABOVE = 1024 * 1024
# Parts read whole into memory, or into as many objects as they have elements: kilobytes in any
# workbook. (The shared strings are held too, their limit a setting; a sheet is streamed.)
SMALL_PARTS = frozenset(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/styles.xml"])
SMALL_PART_BYTES = 16 * 1024 * 1024
PART_CHUNK = 1 << 16


class _RootReached(Exception):
    pass


def _parser(part: str, **options) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE: a workbook has none, and one is how entity bombs
    (billion laughs) and external entities come in. Refused at the declaration, before anything in
    it is expanded."""
    parser = expat.ParserCreate(**options)

    def doctype(*_args):
        raise _refused(_("its part %(part)s declares a DTD (entities), which a workbook never does")
                       % {"part": part})

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    return parser


def _parse_part(archive: zipfile.ZipFile, part: str, parser: expat.XMLParserType) -> None:
    """Feed a part to `parser` as it is unpacked: memory stays at one chunk however big the part.
    zipfile never unpacks more than the size the part declares, which _check_archive has bounded."""
    try:
        with archive.open(part) as handle:
            while chunk := handle.read(PART_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        logger.info("xlsx part %s: %s", part, error)
        raise _refused(_("its part %(part)s is not well-formed") % {"part": part}) from None
    # What zipfile raises for a damaged or unreadable part: a bad header or CRC (BadZipFile), broken
    # deflate data (zlib.error), a truncated part (EOFError), a compression method it does not
    # support (NotImplementedError) and an encrypted part (RuntimeError).
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        logger.info("xlsx part %s: %s", part, error)
        raise _refused(_("its part %(part)s cannot be unpacked") % {"part": part}) from None


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Before any reader touches an .xlsx: what it unpacks to in all, how much each part swells,
    and no DTD in any XML part (each read only up to its root element)."""
    limit, ratio_limit = settings.IMPORT_MAX_UNPACKED_BYTES, settings.IMPORT_MAX_PACK_RATIO
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > limit:
            raise _refused(_("unpacked it would take more than %(limit)d MB") % {"limit": limit // (1024 * 1024)})
        if info.file_size > RATIO_JUDGED_ABOVE and info.file_size > ratio_limit * max(info.compress_size, 1):
            raise _refused(_("its part %(part)s unpacks to %(ratio)d times its packed size, more than the "
                             "%(limit)d times allowed") % {"part": info.filename, "limit": ratio_limit,
                                                          "ratio": info.file_size // max(info.compress_size, 1)})
        held = settings.IMPORT_MAX_STRINGS_BYTES if info.filename == "xl/sharedStrings.xml" else (
            SMALL_PART_BYTES if info.filename in SMALL_PARTS else None)
        if held is not None and info.file_size > held:
            raise _refused(_("its part %(part)s unpacks to %(size)d MB, more than the %(limit)d MB allowed")
                           % {"part": info.filename, "size": info.file_size // (1024 * 1024),
                              "limit": held // (1024 * 1024)})
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        parser = _parser(info.filename)

        def root(*_args):
            raise _RootReached

        parser.StartElementHandler = root
        try:
            _parse_part(archive, info.filename, parser)
        except _RootReached:
            pass


def _xml_attributes(archive: zipfile.ZipFile, part: str, tag: str) -> list[dict[str, str]]:
    """Attributes of every `tag` element in a part (workbook, rels), read as a stream."""
    found: list[dict[str, str]] = []
    parser = _parser(part, namespace_separator=" ")

    def start(name, attrs):
        if name.rsplit(" ", 1)[-1] == tag:
            found.append({key.rsplit(" ", 1)[-1]: value for key, value in attrs.items()})

    parser.StartElementHandler = start
    _parse_part(archive, part, parser)
    return found


def _number(text: str) -> int:
    """A format id as styles.xml writes it; anything else is no format (so no date)."""
    return int(text) if text.isdigit() else -1


_ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
_EPOCH = dt.datetime(1899, 12, 30)


def _cell_value(kind: str | None, raw: str, style: int | None, strings: _PackedStrings, date_styles: set[int]) -> Any:
    """A cell's value from its type (the `t` attribute), its text and its style, as Excel means them."""
    if kind == "s":
        return strings[int(raw)]
    if kind in ("inlineStr", "str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    if kind == "d":
        return dt.datetime.fromisoformat(raw)
    number = float(raw)
    if style is not None and style in date_styles:
        moment = _EPOCH + dt.timedelta(days=number)
        return moment.date() if moment.time() == dt.time() else moment
    return number
_ATTRIBUTE_RE = re.compile(rb'([\w:]+)="([^"]*)"')


class XlsxStreamSheet(Sheet):
    """One worksheet of an .xlsx, parsed as it is read: memory stays flat however long it is."""

    format = "xlsx"
    fast = True  # False: every row through expat (the tests compare the two)

    def __init__(self, source: Source, name: str, part: str):
        self._source = source
        self.name = name
        self._part = part
        with self._zip() as archive:
            names = set(archive.namelist())
            self._date_styles = self._read_styles(archive, names)
            self._strings = self._read_strings(archive, names)
            with archive.open(part) as handle:
                head = handle.read(4096).decode("utf-8", "ignore")
        match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
        self._total = int(match.group(1)) if match else None
        # Some writers put the main namespace under a prefix (<x:worksheet>, <x:c>).
        prefix = re.search(r"<(\w+):worksheet\b", head)
        self._prefix = f"{prefix.group(1)}:" if prefix else ""

    def _zip(self) -> zipfile.ZipFile:
        path = _path_of(self._source)
        return zipfile.ZipFile(path if path else _rewind(self._source))

    @property
    def total_rows(self) -> int | None:
        return self._total

    @staticmethod
    def _read_styles(archive: zipfile.ZipFile, names: set[str]) -> set[int]:
        if "xl/styles.xml" not in names:
            return set()
        custom: dict[int, str] = {}
        cell_formats: list[int] = []  # the format of each cell style, in order
        inside = [False]  # in cellXfs (cellStyleXfs holds xf elements too, not the cells' own)
        parser = _parser("xl/styles.xml", namespace_separator=" ")

        def start(name, attrs):
            local = name.rsplit(" ", 1)[-1]
            if local == "numFmt" and "numFmtId" in attrs:
                custom[_number(attrs["numFmtId"])] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                inside[0] = True
            elif local == "xf" and inside[0]:
                cell_formats.append(_number(attrs.get("numFmtId", "0")))

        def end(name):
            if name.rsplit(" ", 1)[-1] == "cellXfs":
                inside[0] = False

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        _parse_part(archive, "xl/styles.xml", parser)
        return {index for index, format_id in enumerate(cell_formats)
                if format_id in DATE_FORMAT_IDS or (format_id in custom and _is_date_format(custom[format_id]))}

    @staticmethod
    def _read_strings(archive: zipfile.ZipFile, names: set[str]) -> _PackedStrings:
        strings = _PackedStrings()
        if "xl/sharedStrings.xml" not in names:
            strings.finish()
            return strings
        parser = _parser("xl/sharedStrings.xml")
        parser.buffer_text = True
        pieces: list[str] = []
        state = {"text": False, "phonetic": 0}

        def start(name, attrs):
            local = name.rsplit(":", 1)[-1]
            if local == "si":
                pieces.clear()
            elif local == "t" and not state["phonetic"]:
                state["text"] = True
            elif local == "rPh":
                state["phonetic"] += 1

        def end(name):
            local = name.rsplit(":", 1)[-1]
            if local == "si":
                strings.append("".join(pieces))
            elif local == "t":
                state["text"] = False
            elif local == "rPh":
                state["phonetic"] -= 1

        def chars(data):
            if state["text"]:
                pieces.append(data)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        _parse_part(archive, "xl/sharedStrings.xml", parser)
        strings.finish()
        return strings

    def _chunks(self) -> Iterator[bytes]:
        with self._zip() as archive, archive.open(self._part) as handle:
            while chunk := handle.read(1 << 20):
                yield chunk

    def rows(self) -> Iterator[Row]:
        """The rows, by regular expressions over the XML as Excel, WPS and openpyxl write it (a cell
        `<c r="B7" s="3" t="s"><v>12</v></c>` or an inline string); a row holding anything else
        (formulas, rich text, other attribute orders) is parsed by expat, so every valid sheet
        reads the same either way, the common ones about twice as fast."""
        if not self.fast:
            yield from self._expat_rows(self._chunks())
            return
        p = re.escape(self._prefix).encode()
        row_re = re.compile(rb"<" + p + rb"row\b([^>]*)(?<!/)>(.*?)</" + p + rb"row>", re.S)
        cell_re = re.compile(
            rb"<" + p + rb'c r="([A-Z]{1,3})\d*"([^>]*?)(?:/>|>(?:<' + p + rb"v>([^<]*)</" + p + rb"v>|<" + p
            + rb"is><" + p + rb"t(?: [^>]*)?>([^<]*)</" + p + rb"t></" + p + rb"is>)?</" + p + rb"c>)")
        # Every cell starts with "<c" and so may other elements inside a row (a rich text's
        # <color>): a row where fewer cells matched than "<c" appear goes to expat.
        opens = b"<" + p + b"c"
        row_end = b"</" + p + b"row>"
        ends = (b"</" + p + b"sheetData>", b"<" + p + b"sheetData/>")
        strings, date_styles = self._strings, self._date_styles
        shared: dict[bytes, str] = {}  # the strings of the last cells read, by their index as written
        column_of: dict[bytes, int] = {}
        kinds: dict[bytes, tuple[int | None, str | None]] = {}  # a cell's other attributes: (style, type)
        row_number = 0
        buffer = b""
        for chunk in itertools.chain(self._chunks(), (b"",)):
            buffer += chunk
            cut = buffer.rfind(row_end)
            if cut < 0 and chunk:
                if len(buffer) > LONGEST_ROW_BYTES:
                    raise FileError(_("The sheet is damaged: %(error)s") % {"error": _("a row has no end")})
                continue
            cut = cut + len(row_end) if cut >= 0 else 0
            segment, buffer = buffer[:cut], buffer[cut:]
            for match in row_re.finditer(segment):
                attrs, content = match.groups()
                number = _ROW_NUMBER_RE.search(attrs)
                row_number = int(number.group(1)) if number else row_number + 1
                cells = cell_re.findall(content)
                if len(cells) != content.count(opens):
                    if number is None:
                        attrs += b' r="%d"' % row_number
                    data = b"<" + p + b"row" + attrs + b">" + content + row_end
                    yield from self._expat_rows([data])
                    continue
                values: list[Any] = []
                for letters, rest, raw, inline in cells:
                    column = column_of.get(letters)
                    if column is None:
                        column = column_of[letters] = _column_index(letters.decode())
                    style_kind = kinds.get(rest)
                    if style_kind is None:
                        found = dict(_ATTRIBUTE_RE.findall(rest))
                        style, kind = found.get(b"s"), found.get(b"t")
                        style_kind = kinds[rest] = (int(style) if style else None, kind.decode() if kind else None)
                    style, kind = style_kind
                    if inline:
                        raw = inline
                    elif not raw:
                        continue
                    if kind == "s":  # most cells: looked up once for the values a sheet repeats
                        value: Any = shared.get(raw)
                        if value is None:
                            value = strings[int(raw)]
                            if len(shared) >= 65536:
                                shared.clear()
                            shared[raw] = value
                    else:
                        text = raw.decode()
                        if "&" in text:  # expat decodes entities; here it is done by hand
                            text = html.unescape(text)
                        value = _cell_value(kind, text, style, strings, date_styles)
                    if value != "":
                        width = len(values)
                        if column == width:
                            values.append(value)
                        elif column > width:
                            values.extend([None] * (column - width))
                            values.append(value)
                        else:  # cells out of order, or the same cell twice: the last one counts
                            values[column] = value
                if values:
                    yield row_number, values
            if not chunk:
                break
        if not any(end in buffer for end in ends):
            raise FileError(_("The sheet is damaged: %(error)s") % {"error": _("it ends before its last row")})

    def _expat_rows(self, chunks: Iterable[bytes]) -> Iterator[Row]:
        """Rows parsed by expat from the sheet's XML given in `chunks`: any valid sheet, however written."""
        strings, date_styles = self._strings, self._date_styles
        p = self._prefix
        C, V, T, ROW, PHONETIC = f"{p}c", f"{p}v", f"{p}t", f"{p}row", f"{p}rPh"
        ready: list[Row] = []
        values: dict[int, Any] = {}
        text: list[str] = []
        column_of: dict[str, int] = {}
        column = kind = style = None
        grab = False
        phonetic = row_number = next_column = 0

        def start(name, attrs):
            nonlocal column, kind, style, grab, phonetic, row_number, next_column
            if name == C:
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    column = column_of.get(letters)
                    if column is None:
                        column = column_of[letters] = _column_index(letters)
                else:
                    column = next_column
                kind = attrs.get("t")
                style = attrs.get("s")
                text.clear()
            elif name == V or name == T:
                grab = not phonetic
            elif name == ROW:
                values.clear()
                next_column = 0
                row_number = int(attrs["r"]) if "r" in attrs else row_number + 1
            elif name == PHONETIC:
                phonetic += 1

        def end(name):
            nonlocal grab, phonetic, next_column
            if name == C:
                next_column = column + 1
                raw = "".join(text) if len(text) != 1 else text[0]
                if not raw:
                    return
                value = _cell_value(kind, raw, int(style) if style is not None else None, strings, date_styles)
                if value != "":
                    values[column] = value
            elif name == V or name == T:
                grab = False
            elif name == ROW:
                if values:
                    ready.append((row_number, [values.get(i) for i in range(max(values) + 1)]))
            elif name == PHONETIC:
                phonetic -= 1

        def chars(data):
            if grab:
                text.append(data)

        parser = _parser(self._part)
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        for chunk in itertools.chain(chunks, (b"",)):
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as error:
                raise FileError(_("The sheet is damaged: %(error)s") % {"error": error}) from None
            if ready:
                yield from ready
                ready.clear()


def _xlsx_parts(source: Source) -> list[tuple[str, str, int]]:
    """(sheet name, part path, uncompressed size) of each visible worksheet, in workbook order."""
    path = _path_of(source)
    try:
        archive = zipfile.ZipFile(path if path else _rewind(source))
    except (zipfile.BadZipFile, OSError) as error:
        raise _unreadable(error) from None
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise FileError(_("The file is a zip archive but not an Excel workbook."))
        _check_archive(archive)

        def broken() -> FileError:
            return _refused(_("the workbook's relationships (xl/_rels/workbook.xml.rels) are missing or broken"))

        if "xl/_rels/workbook.xml.rels" not in names:
            raise broken()
        rels = {}
        for a in _xml_attributes(archive, "xl/_rels/workbook.xml.rels", "Relationship"):
            if not a.get("Id") or not a.get("Target"):
                raise broken()
            rels[a["Id"]] = a["Target"]
        parts = []
        for attrs in _xml_attributes(archive, "xl/workbook.xml", "sheet"):
            if attrs.get("state", "visible") != "visible":
                continue
            target = rels.get(attrs.get("id", ""), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if part in names:
                parts.append((attrs.get("name", ""), part, archive.getinfo(part).file_size))
        return parts


def _xlsx_sheets(source: Source, reader: str) -> Iterator[Sheet]:
    parts = _xlsx_parts(source)
    if reader == "stream" or (reader == "auto" and any(size > STREAM_ABOVE_BYTES for *_, size in parts)):
        for name, part, _size in parts:
            yield XlsxStreamSheet(source, name, part)
        return
    yield from _calamine_sheets(source, "xlsx")


# --- CSV -------------------------------------------------------------------------------------

def detect_encoding(head: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030 (a superset of GBK and GB2312)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileError(_("The file is neither UTF-8 nor GBK text, nor an Excel workbook."))


class CsvSheet(Sheet):
    format = "csv"

    def __init__(self, source: Source, head: bytes):
        self._source = source
        self.encoding = detect_encoding(head)
        if b"\x00" in head and not self.encoding.startswith("utf-16"):
            raise FileError(_("The file is neither UTF-8 nor GBK text, nor an Excel workbook."))
        sample = head.decode(self.encoding, "ignore")
        first = next((line for line in sample.splitlines() if line.strip()), "")
        self.delimiter = max([",", "\t", ";", "|"], key=first.count)
        self.name = Path(_path_of(source) or getattr(source, "name", "") or "").stem

    def rows(self) -> Iterator[Row]:
        path = _path_of(self._source)
        binary = open(path, "rb") if path else _rewind(self._source)
        text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
        try:
            for index, values in enumerate(csv.reader(text, delimiter=self.delimiter)):
                yield index + 1, values
        except UnicodeDecodeError:
            raise FileError(_("The file is not valid %(encoding)s text after row %(row)d.")
                            % {"encoding": self.encoding, "row": index + 1}) from None
        except csv.Error as error:
            raise FileError(_("The file cannot be read as CSV: %(error)s") % {"error": error}) from None
        finally:
            if path:
                text.close()
            else:
                text.detach()


# --- finding the table -----------------------------------------------------------------------

@dataclass
class Table:
    """A sheet with its header row found: which column is which."""

    sheet: Sheet
    header_row: int
    headers: list[str]  # the header text of each column, as the file spells it
    columns: dict[int, cols.Column] = field(default_factory=dict)  # known columns by position
    unknown: list[str] = field(default_factory=list)  # headers that match no column (ignored)
    duplicates: list[str] = field(default_factory=list)  # a second column for the same field (ignored)

    @property
    def format(self) -> str:
        return self.sheet.format

    def data_rows(self) -> Iterator[Row]:
        for number, values in self.sheet.rows():
            if number > self.header_row:
                yield number, values

    def header_of(self, key: str) -> str:
        """The header the file uses for a field, or the national one when the file has none."""
        for index, column in self.columns.items():
            if column.key == key:
                return self.headers[index]
        return cols.COLUMN_BY_KEY[key].header if key in cols.COLUMN_BY_KEY else key


def _header_candidates(sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
    """The first rows, each with empty cells filled from the row above when that one holds a known
    header: a header merged across two rows has its text only in the upper row."""
    previous: list[str] = []
    for count, (number, values) in enumerate(sheet.rows()):
        if count >= HEADER_SCAN_ROWS:
            return
        texts = ["" if cols.is_blank(v) else str(v).strip() for v in values]
        filled = list(texts)
        for index, text in enumerate(texts):
            if not text and index < len(previous) and cols.column_for(previous[index]):
                filled[index] = previous[index]
        yield number, filled
        previous = texts


def _score(headers: list[str]) -> tuple[int, bool]:
    keys = {column.key for text in headers if (column := cols.column_for(text))}
    return len(keys), bool(keys & {"id_number", "name", "number"})


def find_table(sheet: Sheet) -> Table | None:
    best: tuple[int, int, list[str]] | None = None
    for number, headers in _header_candidates(sheet):
        score, anchored = _score(headers)
        if anchored and score >= 3 and (best is None or score > best[0]):
            best = (score, number, headers)
    if best is None:
        return None
    number, headers = best[1], best[2]
    table = Table(sheet=sheet, header_row=number, headers=headers)
    taken: set[str] = set()
    for index, text in enumerate(headers):
        if not text:
            continue
        column = cols.column_for(text)
        if column is None:
            table.unknown.append(text)
        elif column.key in taken:
            table.duplicates.append(text)
        else:
            taken.add(column.key)
            table.columns[index] = column
    return table


def sniff_format(source: Source) -> str:
    head = _head(source, 8)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


def open_table(source: Source, *, reader: str = "auto") -> Table:
    """The first visible sheet that has a header row. Raises FileError when there is none."""
    fmt = sniff_format(source)
    if fmt == "xlsx":
        sheets: Iterator[Sheet] = _xlsx_sheets(source, reader)
    elif fmt == "xls":
        sheets = _calamine_sheets(source, "xls")
    else:
        head = _head(source)
        if not head.strip():
            raise FileError(_("The file is empty."))
        sheets = iter([CsvSheet(source, head)])
    for sheet in sheets:
        table = find_table(sheet)
        if table is not None:
            return table
    raise FileError(_(
        "No header row found: none of the first %(n)d rows holds the national headers (户编号, 姓名, 证件号码, …)."
    ) % {"n": HEADER_SCAN_ROWS})


def first_sheet(source: Source, *, reader: str = "auto") -> Sheet:
    """The first visible sheet of any file a reader above takes, for sheets that are not the member
    sheet (a list of cadres): the caller finds its own header row."""
    fmt = sniff_format(source)
    if fmt == "csv":
        head = _head(source)
        if not head.strip():
            raise FileError(_("The file is empty."))
        return CsvSheet(source, head)
    sheets = _xlsx_sheets(source, reader) if fmt == "xlsx" else _calamine_sheets(source, "xls")
    for sheet in sheets:
        return sheet
    raise FileError(_("The file is empty."))
