"""Our own stylesheets are well formed: an unclosed block silently swallows every rule after it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bangfu

OWN_CSS = sorted(path for path in Path(bangfu.__file__).parent.glob("*/static/**/*.css") if "vendor" not in path.parts)


def test_there_are_stylesheets_to_check():
    assert OWN_CSS


@pytest.mark.parametrize("path", OWN_CSS, ids=lambda path: path.name)
def test_every_block_is_closed(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)  # comments
    text = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', '""', text)  # strings
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number}: a '}}' closes nothing"
    assert depth == 0, f"{path.name}: {depth} block(s) left open"
