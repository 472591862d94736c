"""The division tree: the shipped national files, and villages added by users."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.codes import Level
from bangfu.regions.models import Region
from bangfu.regions.queries import region_label
from bangfu.regions.services import region_add, regions_load


@pytest.mark.django_db
def test_load_is_complete_and_idempotent():
    first = regions_load()
    assert first.created == 31 + 342 + 2978 + 41352
    assert Region.objects.get(code="370215010").name == "蓝村街道"
    assert Region.objects.get(code="410308103").name == "送庄镇"
    assert Region.objects.get(code="370215010").parent.code == "370215"
    assert Region.objects.filter(level=Level.TOWNSHIP).count() == 41352
    again = regions_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


def test_villages_and_groups_are_added_under_their_parent(regions):
    village = region_add(code="370215010003", name="后屯村")
    assert village.parent.code == "370215010" and village.level == Level.VILLAGE
    group = region_add(code="370215010003001", name="一组")
    assert group.parent == village and group.level == Level.GROUP
    assert region_label(group) == "青岛市 即墨区 蓝村街道 后屯村 一组"


@pytest.mark.parametrize("code", ["37021501000", "3702150100031", "370215999001", "abc215010003"])
def test_bad_village_codes(regions, code):
    with pytest.raises(ValidationError):
        region_add(code=code, name="某村")


def test_same_code_other_name_is_refused(regions):
    with pytest.raises(ValidationError):
        region_add(code="370215010001", name="别的村")
    assert region_add(code="370215010001", name="戴家庄村").name == "戴家庄村"


def test_within_is_a_prefix(regions):
    codes = set(Region.objects.within("370215010").values_list("code", flat=True))
    assert codes == {"370215010", "370215010001", "370215010002"}


def test_command_adds_a_village_and_refuses_a_bad_code(regions):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("regions", "add", "370215010009", "新村", stdout=out)
    assert Region.objects.get(code="370215010009").name == "新村"
    with pytest.raises(CommandError):
        call_command("regions", "add", "99", "某村")


def test_region_names_are_read_once_and_follow_a_rename(regions, django_assert_num_queries, tmp_path):
    from bangfu.regions.queries import forget_region_names, region_name

    forget_region_names()
    with django_assert_num_queries(1):
        assert region_name("370215010") == "蓝村街道"
        assert region_name("370215010") == "蓝村街道"
    village = region_add(code="370215010003", name="后屯村")
    with django_assert_num_queries(0):
        assert region_name(village.code) == "后屯村"
    township = Region.objects.get(code="370215010")
    township.name = "蓝村镇"
    township.save()
    assert region_name("370215010") == "蓝村镇"
    # A reload of the shipped tree that renames a region is seen at once too.
    assert region_name("370215") == "即墨区"
    data = tmp_path / "data"
    data.mkdir()
    (data / "provinces.csv").write_text("code,name\n37,山东省\n", encoding="utf-8")
    (data / "cities.csv").write_text("code,name,provinceCode\n3702,青岛市,37\n", encoding="utf-8")
    (data / "areas.csv").write_text("code,name,cityCode\n370215,即墨市,3702\n", encoding="utf-8")
    (data / "streets.csv").write_text("code,name,areaCode\n", encoding="utf-8")
    assert regions_load(data_dir=data).updated == 1
    assert region_name("370215") == "即墨市"


def test_region_names_read_only_those_not_read_before(regions, django_assert_num_queries):
    from bangfu.regions.queries import forget_region_names, region_names

    forget_region_names()
    with django_assert_num_queries(1):
        assert region_names(["370215010", "370215010001", "999"]) == {"370215010": "蓝村街道", "370215010001": "戴家庄村"}
    with django_assert_num_queries(0):
        assert region_names(["370215010001"]) == {"370215010001": "戴家庄村"}
    with django_assert_num_queries(1):
        assert region_names(["370215010001", "370215"]) == {"370215010001": "戴家庄村", "370215": "即墨区"}
