"""Synthetic people for the demo, benchmarks and tests: valid-checksum ID numbers and plausible names.

Never real persons: the 15th digit of every synthetic ID number is 9, and names are drawn at random.
"""

from __future__ import annotations

import datetime as dt

from bangfu.households.identity import check_char

# How many distinct ID numbers make_id_number gives for one area, birth date and sex.
IDS_PER_BIRTH_DATE_AND_SEX = 50


def make_id_number(area: str, birth: dt.date, sequence: int, sex: str) -> str:
    """An 18-character ID with a valid check digit: 6-digit area, birth date, then the order code
    "9", sequence % 10, and a 17th digit odd for "M" and even for "F" (sequence // 10 picks it)."""
    if len(area) != 6 or not area.isdigit():
        raise ValueError("area is the 6-digit county code")
    if not 0 <= sequence < IDS_PER_BIRTH_DATE_AND_SEX:
        raise ValueError(f"sequence is 0..{IDS_PER_BIRTH_DATE_AND_SEX - 1}")
    seventeenth = (sequence // 10) * 2 + (1 if sex == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}9{sequence % 10}{seventeenth}"
    return first17 + check_char(first17)
