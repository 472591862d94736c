"""Reading prints back: the text of a PDF (pypdf puts spaces between CJK glyphs; they are dropped)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    for gap in (" ", "\n", "\x00", "\u3000"):
        text = text.replace(gap, "")
    return text


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
