"""API shapes of the summary figures."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: int | float | None
    money: bool = False
    ratio: bool = False


class FiguresOut(Schema):
    region: str
    region_name: str
    period: str
    start: dt.date
    end: dt.date
    as_of: dt.datetime | None
    as_of_label: str
    figures: list[FigureOut]
