"""Demo data for the department's registry: households, map polygons, certificates, seasons, a packing house
and inspections (one of which suspended a code). Idempotent, like qr.demo.

Coordinates are real places: Chí Đám and Bằng Luân (Đoan Hùng), Thanh Ba and Hạ Hòa in Phú Thọ, and Mỹ Xương,
Mỹ Hiệp (Cao Lãnh) in Đồng Tháp. Polygons are drawn around each area's centre with the declared size.
"""

from __future__ import annotations

import datetime as dt
import math

# area name -> (centre lon, centre lat, planting year, seed origin, average t, expected t, markets)
RECORDS = {
    "Vùng chè Thanh Ba khu 5": (105.152, 21.487, 2008, "Giống chè Trung du địa phương", "290", "310", []),
    "Vùng bưởi Chí Đám": (105.176, 21.618, 2012, "Cây ghép từ vườn đầu dòng Chí Đám", "540", "600", []),
    "Vùng bưởi Bằng Luân": (105.063, 21.716, 2014, "Cây ghép bưởi Bằng Luân", "310", "340", []),
    "Vùng bưởi Chí Đám mở rộng": (105.188, 21.611, 2021, "Cây ghép từ vườn đầu dòng Chí Đám", None, "40", []),
    "Vùng chuối Hạ Hòa": (104.992, 21.561, 2023, "Chuối tiêu hồng nuôi cấy mô", "360", "400", []),
    "Vùng xoài Mỹ Xương xuất khẩu": (105.671, 10.468, 2010, "Xoài cát Hòa Lộc ghép", "900", "950", ["CN", "US", "AU"]),
    "Vùng xoài Mỹ Hiệp": (105.818, 10.432, 2011, "Xoài cát chu ghép", "250", "260", []),
}

HOUSEHOLDS = {
    "Vùng chè Thanh Ba khu 5": [("Nguyễn Văn Thắng", "6.5", "0912345671"), ("Hà Thị Lan", "8", None),
                                ("Đinh Văn Hòa", "7.2", "0987654322"), ("Nguyễn Thị Mai", "5.8", None)],
    "Vùng bưởi Chí Đám": [("Nguyễn Văn Sửu", "9.5", "0912000111"), ("Trần Thị Hằng", "7", None),
                          ("Phan Văn Đức", "11.2", "0356111222"), ("Lê Thị Thu", "8.3", None),
                          ("Hoàng Văn Bình", "6", "0968333444")],
    "Vùng bưởi Bằng Luân": [("Đỗ Văn Luân", "10.1", "0912777888"), ("Nguyễn Thị Yến", "9", None)],
    "Vùng chuối Hạ Hòa": [("Bùi Văn Hạ", "4.2", None), ("Lương Thị Hòa", "3.9", "0372555666")],
    "Vùng xoài Mỹ Xương xuất khẩu": [("Lê Văn Xương", "14", "0939111222"), ("Nguyễn Thị Cúc", "12.5", None),
                                     ("Trần Văn Tư", "16", "0918333444")],
}  # fmt: skip

# area name -> (scheme, number, issuer, issued days ago, valid days from issue)
CERTIFICATES = {
    "Vùng bưởi Chí Đám": ("vietgap", "VietGAP-TT-12-05-25-0117", "Trung tâm Chứng nhận Phù hợp (QUACERT)", 300, 1095),
    "Vùng xoài Mỹ Xương xuất khẩu": ("globalgap", "GGN 4063061234567", "Control Union Việt Nam", 200, 365),
    # Expired: shown as expired on every page, never as valid.
    "Vùng chè Thanh Ba khu 5": (
        "vietgap",
        "VietGAP-CT-08-02-22-0042",
        "Chi cục Trồng trọt và BVTV Phú Thọ",
        1200,
        1095,
    ),
}

SEASONS = {
    "Vùng bưởi Chí Đám": ("Vụ bưởi 2026", (10, 15), (12, 31), "Nội địa, Tết Nguyên đán", "560"),
    "Vùng xoài Mỹ Xương xuất khẩu": ("Vụ xoài nghịch 2026", (3, 1), (5, 31), "CN, US", "870"),
}

PACKING_HOUSE = ("mango", "Cơ sở đóng gói xoài Mỹ Xương", "30076", "Ấp 2, xã Mỹ Xương, Đồng Tháp", "12")


def square_ring(lon: float, lat: float, ha: float) -> list[list[float]]:
    """A closed, slightly irregular ring of about ``ha`` hectares around (lon, lat)."""
    side_m = math.sqrt(ha * 10_000)
    dlat = side_m / 110_574 / 2
    dlon = side_m / (111_320 * math.cos(math.radians(lat))) / 2
    ring = [
        [lon - dlon, lat - dlat],
        [lon + dlon * 1.05, lat - dlat * 0.95],
        [lon + dlon, lat + dlat],
        [lon - dlon * 0.1, lat + dlat * 1.1],
        [lon - dlon * 0.95, lat + dlat * 0.9],
    ]
    ring = [[round(x, 6), round(y, 6)] for x, y in ring]
    return [*ring, ring[0]]


def season_dates(today: dt.date, start: tuple[int, int], end: tuple[int, int]) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, *start), dt.date(today.year, *end)


def load_record(session, *, admin, auditor, orgs: dict, areas: dict, members: dict) -> None:
    """Fill each demo area's record once; every part is skipped when already present."""
    from registry.areas import record
    from registry.areas import services as areas_services
    from registry.core.db import today_in_vietnam

    today = today_in_vietnam()
    for name, (lon, lat, year, seed, avg, expected, markets) in RECORDS.items():
        area = areas.get(name)
        if area is None:
            continue
        if area.geometry is None:
            changes = {
                "geometry": {"type": "Polygon", "coordinates": [square_ring(lon, lat, float(area.area_ha))]},
                "gps": {"lat": lat, "lon": lon},
                "planting_year": year,
                "seed_origin": seed,
                "expected_yield_t": expected,
            }
            if avg is not None:
                changes["average_yield_t"] = avg
            if markets:
                changes["markets"] = markets
            areas_services.update_area(session, actor=admin, area_id=area.id, changes=changes)
        if not area.households:
            for hh_name, plot, phone in HOUSEHOLDS.get(name, []):
                record.add_household(session, actor=admin, area_id=area.id, name=hh_name, plot_ha=plot, phone=phone)
        if name in CERTIFICATES and not area.certificates:
            scheme, number, issuer, days_ago, valid_days = CERTIFICATES[name]
            issued = today - dt.timedelta(days=days_ago)
            record.add_certificate(
                session, actor=admin, area_id=area.id, scheme=scheme, number=number, issuer=issuer,
                issued_on=issued, expires_on=issued + dt.timedelta(days=valid_days),
            )  # fmt: skip
        if name in SEASONS and not area.seasons:
            season, start, end, market, actual = SEASONS[name]
            first, last = season_dates(today, start, end)
            record.add_season(
                session, actor=admin, area_id=area.id, name=season, harvest_from=first, harvest_to=last,
                target_market=market, actual_yield_t=actual,
            )  # fmt: skip
    session.flush()


def load_inspections(session, *, auditor, areas: dict) -> None:
    """A passed inspection, one with a corrective action whose deadline has passed, and a suspension."""
    from registry.core.db import today_in_vietnam
    from registry.lifecycle import services as lifecycle
    from registry.lifecycle.models import CodeStatus

    today = today_in_vietnam()
    plans = [
        ("Vùng bưởi Chí Đám", dict(
            inspected_on=today - dt.timedelta(days=40), conclusion="pass", growth_stage="Quả non, đường kính 8–10 cm",
            pests=[{"name": "Rệp sáp", "density": "rải rác, < 5% cây"}], diary_kept=True, pesticides_permitted=True,
            sampled=True, sample_results="Dư lượng thuốc BVTV dưới ngưỡng cho phép (mẫu 2 quả/lô).",
            field_hygiene="good", packaging_collected=True, inspector_name="Nguyễn Thị Hương (Chi cục TT&BVTV)",
        )),
        ("Vùng bưởi Bằng Luân", dict(
            inspected_on=today - dt.timedelta(days=30), conclusion="corrective_action",
            corrective_deadline=today - dt.timedelta(days=5), growth_stage="Quả sắp thu hoạch",
            diary_kept=False, pesticides_permitted=True, field_hygiene="fair", packaging_collected=False,
            reason="Chưa ghi nhật ký sản xuất; vỏ bao bì thuốc chưa được thu gom.",
            inspector_name="Trần Văn Nam (Chi cục TT&BVTV)",
        )),
    ]  # fmt: skip
    for name, data in plans:
        area = areas.get(name)
        if area is not None and area.status == CodeStatus.ACTIVE and not area.inspections:
            lifecycle.record_inspection(session, area, actor=auditor, **data)
    session.flush()


def load_packing_house(session, *, admin, auditor, orgs: dict) -> dict:
    """The mango enterprise's packing house, applied for and activated (its code is issued by the registry)."""
    import sqlalchemy as sa

    from registry.lifecycle import services as lifecycle
    from registry.packing import services as packing
    from registry.packing.models import PackingHouse

    key, name, commune, address, capacity = PACKING_HOUSE
    org = orgs[key]
    house = session.scalar(
        sa.select(PackingHouse).where(PackingHouse.organization_id == org.id, PackingHouse.name == name)
    )
    if house is None:
        house = packing.create_packing_house(
            session, actor=admin, organization_id=org.id, name=name, commune_code=commune, address=address,
            capacity_t_per_day=capacity,
        )  # fmt: skip
        lifecycle.transition(
            session, house, actor=auditor, status="active", reason="Cấp mã cơ sở đóng gói (dữ liệu mẫu)"
        )
    return {"Xoài cát Hòa Lộc Cao Lãnh": house}
