"""The national list of villages: loading all or an area's, again and again, and a township's own
villages beside them (codes 900-999, never overwritten)."""

from __future__ import annotations

import lzma
import time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bangfu.core.codes import Level
from bangfu.history.models import AreaChange
from bangfu.regions.models import Region
from bangfu.regions.queries import national_villages, village_key
from bangfu.regions.services import (
    LOCAL_FIRST,
    region_add,
    region_create,
    regions_load,
    village_add_local,
    villages_load,
)


@pytest.fixture
def small_list(tmp_path):
    """A national list of five villages: three in 蓝村街道, one in 送庄镇, one under a township the
    test tree lacks."""
    rows = [
        ("370215010002", "北郝家庄村村民委员会"),  # the tree's 北郝家庄村 is there already
        ("370215010203", "振兴村村民委员会"),
        ("370215010253", "挪城村村民委员会"),
        ("370215011201", "大信村村民委员会"),
        ("410308103209", "东山头村村民委员会"),
    ]
    path = tmp_path / "villages.csv.xz"
    path.write_bytes(lzma.compress(("code,name\n" + "".join(f"{c},{n}\n" for c, n in rows)).encode()))
    return path


def test_no_official_code_uses_the_local_range():
    rows = national_villages("")
    assert len(rows) == 620573
    assert max(int(code[-3:]) for code, _name in rows) < LOCAL_FIRST
    assert all(len(code) == 12 for code, _name in rows)


def test_load_all_then_by_prefix_and_again(regions, small_list):
    result = villages_load(prefix="410308103", path=small_list)
    assert (result.created, result.existing) == (1, 0)
    assert Region.objects.get(code="410308103209").name == "东山头村村民委员会"
    assert not Region.objects.filter(code="370215010203").exists()
    result = villages_load(path=small_list)
    # The township 370215011 is not in the tree: its village waits for it.
    assert (result.created, result.existing) == (2, 2)
    assert result.differing == [("370215010002", "北郝家庄村", "北郝家庄村村民委员会")]
    assert Region.objects.get(code="370215010002").name == "北郝家庄村"  # left as it was
    village = Region.objects.get(code="370215010203")
    assert village.parent_id == "370215010" and village.level == Level.VILLAGE and not village.local
    assert not Region.objects.filter(code="370215011201").exists()
    before = AreaChange.objects.count()
    again = villages_load(path=small_list)
    assert (again.created, again.existing) == (0, 4)
    assert AreaChange.objects.count() == before  # nothing changed, no page made stale


def test_a_county_from_the_real_list_in_about_a_second(db):
    regions_load()
    started = time.perf_counter()
    result = villages_load(prefix="370215")
    elapsed = time.perf_counter() - started
    assert result.created == 197
    assert Region.objects.get(code="370215010203").name == "振兴村村民委员会"
    assert Region.objects.within("370215").villages().count() == 197
    assert elapsed < 3, elapsed  # about a second on a laptop; shared CI cores get some slack
    assert villages_load(prefix="370215").created == 0


def test_a_townships_own_villages_take_900_up_and_survive_a_load(regions):
    first = village_add_local(township_code="370215010", name="戴家庄新村")
    second = village_add_local(township_code="370215010", name="后屯村")
    assert (first.code, second.code) == ("370215010900", "370215010901")
    assert first.local and second.local
    villages_load(prefix="370215010")
    first.refresh_from_db()
    assert first.name == "戴家庄新村" and first.local
    assert Region.objects.get(code="370215010203").local is False


def test_an_official_code_takes_its_official_name_and_is_not_local(regions):
    village = region_add(code="410308103211", name="负图")
    assert village.name == "负图村村民委员会" and not village.local
    assert region_add(code="370215010003", name="后屯村").local  # not in the list


def test_a_user_adds_only_in_the_local_range(personas):
    office = personas["office"]
    with pytest.raises(ValidationError) as error:
        region_create(actor=office, code="370215010203", name="某村")
    assert "振兴村村民委员会" in str(error.value.message_dict["number"])
    with pytest.raises(ValidationError) as error:
        region_create(actor=office, code="370215010005", name="某村")
    assert "900" in str(error.value.message_dict["number"])
    assert region_create(actor=office, code="370215010905", name="某村").local


def test_load_by_an_office_in_its_township_only(personas):
    with pytest.raises(ValidationError) as error:
        villages_load(prefix="410308103", actor=personas["office"])
    assert "prefix" in error.value.message_dict
    assert villages_load(prefix="370215010", actor=personas["office"]).created == 10
    from bangfu.core.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        villages_load(prefix="370215010", actor=personas["county"])
    with pytest.raises(ValidationError):
        villages_load(prefix="3702150", actor=personas["admin"])


def test_command_loads_an_area(regions):
    out = StringIO()
    call_command("regions", "load", "--villages", "410308103", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("villages: created 16, existing 1 in ")
    # The test tree's 送庄村 sits on an official code: kept, and said.
    assert lines[1] == "kept 410308103001 送庄村 (the national list: 送庄社区居民委员会)"
    assert Region.objects.get(code="410308103211").name == "负图村村民委员会"


@pytest.mark.parametrize(("sheet", "official"), [
    ("振兴村", "振兴村村民委员会"), ("振兴村村委会", "振兴村村民委员会"), ("阳辉路社区", "阳辉路社区居民委员会"),
    ("阳辉路 社区", "阳辉路社区居委会"), ("ＡＢ村", "AB村村民委员会"),
])
def test_village_keys_ignore_suffixes_width_and_spaces(sheet, official):
    assert village_key(sheet) == village_key(official)
