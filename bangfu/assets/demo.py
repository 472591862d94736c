"""Demo data for assets: 蓝村街道's PV stations (a year of monthly inspections with photos, some
findings fixed and one fix overdue, monthly power settlements, last year's distribution plan
approved, published and paid out) and 送庄镇's morel and vegetable greenhouses. The road that the
project library's demo hands over in 蓝村 comes into the register by itself (the handover hook).
Villages are found by name under the demo townships."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from bangfu.accounts.models import User
from bangfu.assets import services
from bangfu.assets.models import Asset, AssetClass, AssetKind, IncomeCategory, OwnerLevel, Share
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.regions.models import Region

NAMESPACE = uuid.UUID("0c3e6a55-8b1d-4f7e-a2c4-93d0e1b7f6a2")
LANCUN, SONGZHUANG = "370215010", "410308103"

# name, village name, kW, value (yuan), location
STATIONS = (
    ("戴家庄村光伏电站", "戴家庄村", 60, 480_000, "村北荒坡"),
    ("振兴村光伏电站", "振兴村村民委员会", 50, 400_000, "村委会屋顶及南侧空地"),
    ("稻香村光伏电站", "稻香村村民委员会", 44, 352_000, "村东废弃砖厂"),
)
GREENHOUSES = (
    ("送庄村羊肚菌大棚（12座）", "送庄社区居民委员会", 960_000, "村西产业园", "送庄村羊肚菌种植合作社"),
    ("梁凹村蔬菜大棚（8座）", "梁凹村村民委员会", 640_000, "梁凹村南", "梁凹村股份经济合作社"),
)


def _id(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _village(township: str, name: str) -> Region | None:
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=township, name=name).first()


def _month(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _photo(seed: int, *, dirty: bool = False) -> SimpleUploadedFile:
    """A drawing of a row of PV panels on grass (dust on them when `dirty`)."""
    image = Image.new("RGB", (960, 720), (110, 160, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 960, 260), fill=(170, 200, 235))
    for row in range(3):
        for col in range(6):
            x, y = 40 + col * 150, 290 + row * 130 + (seed % 3) * 4
            draw.polygon([(x, y + 100), (x + 130, y + 100), (x + 150, y), (x + 20, y)], fill=(35, 60, 120),
                         outline=(200, 200, 210))
            if dirty and (row + col + seed) % 3 == 0:
                draw.ellipse((x + 30, y + 20, x + 90, y + 70), fill=(150, 130, 100))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"pv-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def assets_demo_load(**_kwargs) -> dict[str, int]:
    office = User.objects.filter(username="lancun").first()
    if office is None:
        return {}
    today = local_today()
    made = {"assets": 0, "inspections": 0}
    for n, (name, village_name, kw, value, location) in enumerate(STATIONS):
        village = _village(LANCUN, village_name)
        if village is None or Asset.objects.filter(name=name, region_code=village.code).exists():
            continue  # loaded already
        keeper_user = (User.objects.filter(role=Role.CASEWORKER, region=village).order_by("pk").first()
                       or User.objects.filter(role=Role.VILLAGE, region=village).order_by("pk").first())
        station = services.asset_create(
            name=name, asset_class=AssetClass.OPERATING, kind=AssetKind.PV_STATION, village=village,
            value_fen=value * 100, owner_level=OwnerLevel.VILLAGE, owner_name=f"{village.name.removesuffix('村民委员会')}股份经济合作社",
            keeper=f"{village.name.removesuffix('村民委员会')}村委会（运维管理员）", inspector=keeper_user,
            location=location, actor=office)
        made["assets"] += 1
        inspector = keeper_user or office
        reading = 10_000.0 * (n + 1)
        for back in range(11, -1, -1):
            day = _month(today, back) + dt.timedelta(days=4 + n)
            if day > today or (n == 0 and back == 0):
                continue  # 戴家庄村's station: this month's inspection is still due
            reading += kw * 105 * (0.7 if _month(today, back).month in (12, 1, 2) else 1.0)
            finding, fix_by = "", None
            if back == 7:
                finding, fix_by = "组件表面积灰较多，需清洗", day + dt.timedelta(days=7)
            if n == 0 and back == 1:
                # The one fix left overdue: the fence was reported broken a month ago.
                finding, fix_by = "东侧围栏被撞坏一段约5米，需修复", day + dt.timedelta(days=10)
            inspection, _created = services.inspection_create(
                asset=station, client_id=_id("inspection", name, back), actor=inspector,
                uploads=[_photo(back + n * 12, dirty=bool(finding))] if back < 4 or finding else [],
                data=services.InspectionData(
                    day=day, checklist={"panels_clean": not finding, "inverter_running": True,
                                        "fence_intact": not (n == 0 and back == 1), "cables_sound": True,
                                        "meter_reading": round(reading, 1)},
                    note="逆变器运行正常，电表读数已记录" if not finding else "", finding=finding, fix_by=fix_by))
            made["inspections"] += 1
            if back == 7:
                services.finding_fix(finding=inspection.findings.get(), fixed_on=day + dt.timedelta(days=3),
                                     note="运维管理员已冲洗组件", actor=inspector)
        # A year of monthly power settlements, the land rent and the upkeep.
        for back in range(14, 0, -1):
            month = _month(today, back)
            power = int(kw * 105 * 0.3949 * (0.7 if month.month in (12, 1, 2) else 1.0) * 100)
            services.income_record(asset=station, month=month, category=IncomeCategory.POWER, amount_fen=power,
                                   note="供电公司电费结算", client_id=_id("income", name, back), actor=office)
            if month.month == 1:
                services.income_record(asset=station, month=month, category=IncomeCategory.LAND_RENT,
                                       amount_fen=kw * 2_000, note="土地租金", client_id=_id("rent", name, back),
                                       actor=office)
            if month.month == 6:
                services.income_record(asset=station, month=month, category=IncomeCategory.MAINTENANCE,
                                       amount_fen=120_000, note="逆变器维护", client_id=_id("upkeep", name, back),
                                       actor=office)
        # Last year's plan: approved by the township, published, and the public-welfare posts paid.
        year = today.year - 1
        plan = services.plan_create(asset=station, year=year, shares={
            Share.WELFARE: 70, Share.COLLECTIVE: 20, Share.REINVEST: 10}, meeting=f"村民代表大会 {year + 1}-01-08",
            actor=office)
        plan = services.plan_approve(plan=plan, actor=office)
        plan = services.plan_publish(plan=plan, actor=office)
        distributable = services.year_money(station, year).distributable
        if distributable:
            welfare = distributable * 70 // 100
            services.payout_record(plan=plan, share=Share.WELFARE, amount_fen=welfare // 2,
                                   day=dt.date(year + 1, 1, 20), payee="公益岗（保洁、护林）工资",
                                   client_id=_id("payout", name, 1), actor=office)
            services.payout_record(plan=plan, share=Share.COLLECTIVE, amount_fen=distributable * 20 // 100,
                                   day=dt.date(year + 1, 1, 20), payee="村集体账户",
                                   client_id=_id("payout", name, 2), actor=office)

    songzhuang = User.objects.filter(username="songzhuang").first()
    if songzhuang is not None:
        for n, (name, village_name, value, location, owner) in enumerate(GREENHOUSES):
            village = _village(SONGZHUANG, village_name)
            if village is None or Asset.objects.filter(name=name, region_code=village.code).exists():
                continue
            house = services.asset_create(
                name=name, asset_class=AssetClass.OPERATING, kind=AssetKind.GREENHOUSE, village=village,
                value_fen=value * 100, owner_level=OwnerLevel.VILLAGE, owner_name=owner, keeper=owner,
                inspector=User.objects.filter(role=Role.CASEWORKER, region=village).order_by("pk").first(),
                location=location, actor=songzhuang)
            made["assets"] += 1
            for back in (9, 6, 3):
                day = _month(today, back) + dt.timedelta(days=10 + n)
                services.inspection_create(
                    asset=house, client_id=_id("inspection", name, back), actor=songzhuang,
                    data=services.InspectionData(day=day, checklist={"film_intact": True, "irrigation_working": True,
                                                                     "in_use": True},
                                                 note="羊肚菌出菇正常" if n == 0 else "番茄、黄瓜在棚"))
                made["inspections"] += 1
            for back in range(6, 0, -1):
                services.income_record(asset=house, month=_month(today, back), category=IncomeCategory.RENT,
                                       amount_fen=(4_000 if n == 0 else 2_500) * 100, note="大棚承包租金",
                                       client_id=_id("income", name, back), actor=songzhuang)
    return made
