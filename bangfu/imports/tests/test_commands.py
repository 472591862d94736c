"""`bangfu import households` and `bangfu export ...`: one summary line, exit codes 0, 1 and 2."""

from __future__ import annotations

import contextlib
import io
import shutil
from unittest import mock

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from bangfu.history.models import Change
from bangfu.households.models import Household
from bangfu.imports.tests.support import FILES, TOWNSHIP, sheet_rows

SUMMARY = "households: created 3, updated 0, unchanged 0; members: created 7, updated 0, unchanged 0; errors: 0"


def run(*args) -> tuple[int, str, str]:
    """The command as the shell runs it: (exit code, stdout, stderr). Django closes the database
    connections after a command run from the command line; here they are the test's, so not."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            mock.patch.object(connections, "close_all"):
        try:
            execute_from_command_line(["bangfu", *args])
            code = 0
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_a_valid_file_exits_0_with_one_summary_line(personas):
    code, out, _err = run("import", "households", str(FILES / "national.xlsx"), "--region", TOWNSHIP, "--as", "office")
    assert (code, out) == (0, SUMMARY + "\n")
    assert Household.objects.count() == 3
    assert set(Change.objects.values_list("actor__username", flat=True)) == {"office"}

    code, out, _err = run("import", "households", str(FILES / "national.xlsx"), "--region", TOWNSHIP)
    assert (code, out) == (0, "households: created 0, updated 0, unchanged 3; "
                              "members: created 0, updated 0, unchanged 7; errors: 0\n")


def test_a_dry_run_exits_0_and_writes_nothing(personas):
    code, out, _err = run("import", "households", str(FILES / "legacy.xls"), "--region", TOWNSHIP, "--dry-run")
    assert code == 0 and out.startswith("households: created 1,")
    assert not Household.objects.exists()


def test_an_invalid_file_exits_1_and_writes_the_report(personas, tmp_path):
    path = tmp_path / "bad_rows.xlsx"
    shutil.copy(FILES / "bad_rows.xlsx", path)

    code, out, err = run("import", "households", str(path), "--region", TOWNSHIP, "--as", "office")

    assert code == 1
    assert out.count("\n") == 1 and out.rstrip().endswith("errors: 4")
    report = tmp_path / "bad_rows.errors.xlsx"
    assert str(report) in err
    assert any(row[-1] and "证件号码" in str(row[-1]) for row in sheet_rows(report))
    assert not Household.objects.exists()

    chosen = tmp_path / "out" / "report.xlsx"
    chosen.parent.mkdir()
    code, _out, _err = run("import", "households", str(path), "--region", TOWNSHIP, "--report", str(chosen))
    assert code == 1 and chosen.exists()


def test_an_unreadable_file_exits_2(personas):
    code, out, err = run("import", "households", str(FILES / "not_a_sheet.xlsx"), "--region", TOWNSHIP)
    assert code == 2 and "errors: 1" in out and "not_a_sheet.xlsx" in err
    code, _out, _err = run("import", "households", str(FILES / "no_such_file.xlsx"), "--region", TOWNSHIP)
    assert code == 2


def test_a_user_who_may_not_import_is_refused(personas):
    with pytest.raises(CommandError):
        call_command("import", "households", str(FILES / "national.xlsx"), "--region", TOWNSHIP,
                     "--as", "caseworker_a")
    assert not Household.objects.exists()


def test_export_households_full_and_masked(personas, tmp_path):
    run("import", "households", str(FILES / "national.xlsx"), "--region", TOWNSHIP)
    masked, full = tmp_path / "masked.xlsx", tmp_path / "full.xlsx"

    code, out, _err = run("export", "households", "--region", TOWNSHIP, "-o", str(masked), "--as", "county")
    assert code == 0 and out.startswith("households: 3; members: 7")
    code, _out, _err = run("export", "households", "--region", TOWNSHIP, "-o", str(full), "--full", "--as", "office")
    assert code == 0
    assert Change.objects.filter(action="export").count() == 3

    def ids(path):
        rows = sheet_rows(path)
        return {row[rows[0].index("证件号码")] for row in rows[1:]}

    assert all("*" in value for value in ids(masked))
    assert not any("*" in value for value in ids(full))

    code, _out, err = run("export", "households", "-o", str(full), "--full", "--as", "county")
    assert code == 1 and "member.reveal_id" in err


def test_export_notice_and_template(personas, tmp_path):
    run("import", "households", str(FILES / "national.xlsx"), "--region", TOWNSHIP)
    notice, template = tmp_path / "notice.xlsx", tmp_path / "template.xlsx"
    assert run("export", "notice", "--region", TOWNSHIP, "-o", str(notice))[0] == 0
    assert [row[4] for row in sheet_rows(notice)[2:]] == ["李桂兰"]  # the one monitored household
    assert run("export", "template", "-o", str(template))[0] == 0
    assert sheet_rows(template)[0][0] == "户编号"
