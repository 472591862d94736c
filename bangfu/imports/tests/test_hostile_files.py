"""Uploads built to exhaust memory or to smuggle entities in: each refused, before it is read, with
one message naming what is wrong, through the reader, the import service and the command line."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from bangfu.imports import readers
from bangfu.imports.services import FileError
from bangfu.imports.tests.support import FILES, TOWNSHIP
from bangfu.imports.tests.test_commands import run
from bangfu.imports.tests.test_import import nothing_written

REFUSED = "文件已损坏或过大"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&j;</t></si></sst>')
XXE = ('<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="&x;" '
       'sheetId="1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
       "</sheets></workbook>")


def altered(path: Path, replace: dict[str, bytes | None], *, stream: dict | None = None) -> Path:
    """national.xlsx with some parts replaced (None: left out), and others written chunk by chunk."""
    with zipfile.ZipFile(FILES / "national.xlsx") as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in (stream or {}):
                chunks = stream[info.filename]
                with target.open(info.filename, "w", force_zip64=True) as handle:
                    for chunk in chunks:
                        handle.write(chunk)
                continue
            data = replace.get(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
        for name in set(replace) - set(source.namelist()):  # national.xlsx has no shared strings
            if replace[name] is not None:
                target.writestr(name, replace[name])
    return path


def whitespace_workbook(megabytes: int):
    yield b'<?xml version="1.0"?>'
    for _ in range(megabytes):
        yield b" " * (1024 * 1024)
    yield b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'


def refusal(source, reader="auto") -> str:
    with pytest.raises(FileError) as raised:
        readers.open_table(source, reader=reader)
    return str(raised.value.message)


def test_a_small_zip_holding_a_huge_whitespace_workbook_is_refused_quickly_in_little_memory(tmp_path):
    path = altered(tmp_path / "bomb.xlsx", {}, stream={"xl/workbook.xml": whitespace_workbook(150)})
    assert path.stat().st_size < 1024 * 1024

    tracemalloc.start()
    started = time.monotonic()
    try:
        with translation.override("en"):
            message = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 2
    assert peak < 8 * 1024 * 1024  # the part is 150 MB
    # The size check refused it, by name and ratio, not a MemoryError nor the XML parser.
    assert "xl/workbook.xml unpacks to" in message and "more than the 100 times allowed" in message
    with translation.override("zh-hans"):
        assert refusal(path).startswith(REFUSED + "：其中 xl/workbook.xml 解压后")


def test_a_file_unpacking_to_more_than_the_limit_in_all_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 4096
    with translation.override("en"):
        assert "unpacked it would take more than 0 MB" in refusal(FILES / "national.xlsx")
    settings.IMPORT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
    assert readers.open_table(FILES / "national.xlsx").headers


@pytest.mark.parametrize("reader", ["calamine", "stream"])
def test_a_billion_laughs_in_the_shared_strings_is_refused(tmp_path, reader):
    path = altered(tmp_path / "laughs.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS.encode()})
    with translation.override("en"):
        message = refusal(path, reader)
    assert "xl/sharedStrings.xml declares a DTD" in message
    with translation.override("zh-hans"):
        assert refusal(path, reader).startswith(REFUSED)


@pytest.mark.parametrize("reader", ["calamine", "stream"])
def test_an_external_entity_is_refused(tmp_path, reader):
    path = altered(tmp_path / "xxe.xlsx", {"xl/workbook.xml": XXE.encode()})
    with translation.override("en"):
        assert "xl/workbook.xml declares a DTD" in refusal(path, reader)


def test_a_dtd_in_a_sheet_is_refused_by_the_streaming_reader_too(tmp_path):
    path = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(FILES / "national.xlsx") as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    doctype = b'<!DOCTYPE worksheet [<!ENTITY e "x">]>'
    sheet = sheet.replace(b"?>", b"?>" + doctype, 1) if sheet.startswith(b"<?xml") else doctype + sheet
    altered(path, {"xl/worksheets/sheet1.xml": sheet})
    with translation.override("en"):
        assert "xl/worksheets/sheet1.xml declares a DTD" in refusal(path, "stream")


@pytest.mark.parametrize("rels", [
    None,  # left out
    b"<Relationships><Relationship Id=",  # cut short
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="x"/></Relationships>',  # no target
], ids=["missing", "not-xml", "no-target"])
def test_broken_relationships_are_refused(tmp_path, rels):
    path = altered(tmp_path / "rels.xlsx", {"xl/_rels/workbook.xml.rels": rels})
    with translation.override("en"):
        message = refusal(path)
    assert "xl/_rels/workbook.xml.rels" in message
    assert message.startswith("The file is damaged or too large: ")


def test_a_damaged_style_sheet_is_refused(tmp_path):
    path = altered(tmp_path / "styles.xlsx", {"xl/styles.xml": b"<styleSheet><cellXfs>"})
    with translation.override("en"):
        assert "xl/styles.xml is not well-formed" in refusal(path, "stream")


def test_the_import_service_refuses_each_with_the_message_and_writes_nothing(run_import, tmp_path):
    files = [
        altered(tmp_path / "bomb.xlsx", {}, stream={"xl/workbook.xml": whitespace_workbook(20)}),
        altered(tmp_path / "laughs.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS.encode()}),
        altered(tmp_path / "xxe.xlsx", {"xl/workbook.xml": XXE.encode()}),
        altered(tmp_path / "rels.xlsx", {"xl/_rels/workbook.xml.rels": b"<Relationships"}),
    ]
    for path in files:
        with translation.override("zh-hans"), pytest.raises(FileError) as raised:
            run_import(path)
        assert str(raised.value.message).startswith(REFUSED), path
    assert nothing_written()


def test_the_command_line_refuses_each_with_exit_2_and_no_traceback(personas, tmp_path):
    files = [
        altered(tmp_path / "bomb.xlsx", {}, stream={"xl/workbook.xml": whitespace_workbook(20)}),
        altered(tmp_path / "laughs.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS.encode()}),
        altered(tmp_path / "xxe.xlsx", {"xl/workbook.xml": XXE.encode()}),
        altered(tmp_path / "rels.xlsx", {"xl/_rels/workbook.xml.rels": b"<Relationships"}),
    ]
    for path in files:
        with translation.override("zh-hans"):
            code, out, err = run("import", "households", str(path), "--region", TOWNSHIP, "--reader", "stream")
        assert code == 2 and "errors: 1" in out, path
        assert REFUSED in err and "Traceback" not in err and "ExpatError" not in err, path
    assert nothing_written()


def test_shared_strings_over_their_limit_are_refused(tmp_path, settings):
    settings.IMPORT_MAX_STRINGS_BYTES = 1024 * 1024
    strings = "".join(f"<si><t>{i:08d}{i * 7919 % 100003:06d}</t></si>" for i in range(60_000))
    path = altered(tmp_path / "strings.xlsx", {"xl/sharedStrings.xml": (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + "</sst>").encode()})
    with translation.override("en"):
        assert "xl/sharedStrings.xml unpacks to 1 MB, more than the 1 MB allowed" in refusal(path)


@pytest.mark.parametrize("part, data", [
    ("xl/workbook.xml", XXE.encode()),
    ("xl/sharedStrings.xml", BILLION_LAUGHS.encode()),
    ("xl/_rels/workbook.xml.rels", b"<Relationships"),
], ids=["xxe", "laughs", "rels"])
def test_an_upload_fails_with_the_message_not_an_unexpected_error(personas, tmp_path, part, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.imports import jobs
    from bangfu.imports.models import JobStatus

    path = altered(tmp_path / "upload.xlsx", {part: data})
    job = jobs.import_job_create(actor=personas["office"], upload=SimpleUploadedFile("upload.xlsx", path.read_bytes()),
                                 region_code=TOWNSHIP, language="zh-hans")
    assert job.status == JobStatus.FAILED and job.message.startswith(REFUSED), job.message
    assert part in job.message
    assert nothing_written()
