"""Helpers for import and export tests: the committed sheets, writing new ones, reading them back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

FILES = Path(__file__).resolve().parent / "files"
TOWNSHIP = "370215010"  # 蓝村街道, with 戴家庄村 (VILLAGE_A) and 北郝家庄村 (VILLAGE_B)


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def sheet_rows(path: Path, sheet: int = 0) -> list[tuple]:
    """Every row of a sheet as values, read back with openpyxl."""
    wb = load_workbook(path)
    return [tuple(row) for row in wb.worksheets[sheet].iter_rows(values_only=True)]
