"""Fixtures for assets: a PV station of 戴家庄村 kept by the village, inspected by its caseworker;
photos kept in a temporary folder."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bangfu.assets import services
from bangfu.assets.models import AssetClass, AssetKind, OwnerLevel
from conftest import VILLAGE_A, VILLAGE_OTHER


@pytest.fixture(autouse=True)
def _photos_folder(settings, tmp_path):
    settings.PHOTOS_DIR = tmp_path / "photos"


@pytest.fixture
def station(personas, regions):
    return services.asset_create(
        name="戴家庄村光伏电站", asset_class=AssetClass.OPERATING, kind=AssetKind.PV_STATION, village=regions[VILLAGE_A],
        value_fen=48_000_000, owner_level=OwnerLevel.VILLAGE, owner_name="戴家庄村股份经济合作社", keeper="戴家庄村委会",
        inspector=personas["caseworker_a"], location="村北", actor=personas["office"])


@pytest.fixture
def other_station(personas, regions):
    from bangfu.accounts.services import user_add
    from bangfu.core.permissions import Role

    office, _pw = user_add(username="other_office_assets", role=Role.TOWNSHIP_OFFICE, region_code="410308103",
                           password="pw-x", display_name="o", check_password=False)
    return services.asset_create(
        name="送庄村大棚", asset_class=AssetClass.OPERATING, kind=AssetKind.GREENHOUSE, village=regions[VILLAGE_OTHER],
        value_fen=1_000_000, owner_level=OwnerLevel.VILLAGE, owner_name="送庄村", keeper="送庄村委会", actor=office)


def jpeg(width=3000, height=2000, colour=(200, 120, 40), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x010F] = "PhoneMaker"
        image.save(out, "JPEG", exif=exif.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()
