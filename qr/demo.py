"""Demo data: Phú Thọ tea, pomelo and banana, Đồng Tháp mango. Idempotent: every record is looked up first.

Demo GTINs use the GS1 prefix 952, reserved for demonstrations, so they can never collide with a real product.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from qr import demo_catalogue, demo_photos, demo_record, demo_trace
from registry.accounts import services as account_services
from registry.accounts.models import User
from registry.areas import services as areas_services
from registry.areas.models import GrowingArea
from registry.core.auth import Role
from registry.core.db import utcnow
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import CodeStatus as AreaStatus
from registry.lifecycle.models import StatusChange
from registry.organizations import services as org_services
from registry.organizations.models import Organization
from registry.products import images
from registry.products import services as product_services
from registry.products.models import Product
from registry.units.models import Commune
from trace.lots import services as trace_services
from trace.lots.models import Lot

ADMIN_EMAIL = "admin@demo.example"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    organization: str | None


ORGS = [
    # key, name, kind, tax code, commune, address
    ("tea", "HTX Chè Thanh Ba", "cooperative", "2600100011", "08152", "Khu 5, xã Thanh Ba, Phú Thọ"),
    (
        "pomelo",
        "HTX Bưởi Đoan Hùng Chí Đám",
        "cooperative",
        "2600100022",
        "07999",
        "Thôn Chí Chính, xã Chí Đám, Phú Thọ",
    ),
    ("banana", "HTX Chuối Hạ Hòa", "cooperative", "2600100033", "08053", "Xã Hạ Hòa, Phú Thọ"),
    ("mango", "Công ty TNHH Xoài Cao Lãnh", "enterprise", "1400100044", "30076", "Ấp 3, xã Mỹ Thọ, Đồng Tháp"),
]

AREAS = [
    # org key, name, kind, crop, variety, ha, commune, code as issued (None: the registry issues one), legacy place, status
    ("tea", "Vùng chè Thanh Ba khu 5", "domestic", "tea", "Trung du", "32.5", "08152", None, None, AreaStatus.ACTIVE),
    (
        "pomelo",
        "Vùng bưởi Chí Đám",
        "domestic",
        "pomelo",
        "Bưởi Sửu",
        "45",
        "07999",
        "VN-PTTO-0101",
        "xã Chí Đám, huyện Đoan Hùng, tỉnh Phú Thọ",
        AreaStatus.ACTIVE,
    ),
    (
        "pomelo",
        "Vùng bưởi Bằng Luân",
        "domestic",
        "pomelo",
        "Bưởi Bằng Luân",
        "28.3",
        "07996",
        "VN-PTTO-0102",
        "xã Bằng Luân, huyện Đoan Hùng, tỉnh Phú Thọ",
        AreaStatus.ACTIVE,
    ),
    (
        "pomelo",
        "Vùng bưởi Chí Đám mở rộng",
        "domestic",
        "pomelo",
        "Bưởi Sửu",
        "6.2",
        "07999",
        None,
        None,
        AreaStatus.PENDING,
    ),
    (
        "banana",
        "Vùng chuối Hạ Hòa",
        "domestic",
        "banana",
        "Chuối tiêu hồng",
        "12",
        "08053",
        None,
        None,
        AreaStatus.ACTIVE,
    ),
    (
        "mango",
        "Vùng xoài Mỹ Xương xuất khẩu",
        "export",
        "mango",
        "Xoài cát Hòa Lộc",
        "60",
        "30076",
        "VN-DTOR-0103",
        "xã Mỹ Xương, huyện Cao Lãnh, tỉnh Đồng Tháp",
        AreaStatus.ACTIVE,
    ),
    (
        "mango",
        "Vùng xoài Mỹ Hiệp",
        "domestic",
        "mango",
        "Xoài cát chu",
        "18",
        "30112",
        "VN-DTOR-0210",
        "xã Mỹ Hiệp, huyện Cao Lãnh, tỉnh Đồng Tháp",
        AreaStatus.SUSPENDED,
    ),
]

CODED_DAYS_AGO = 400

PRODUCTS = [
    # org key, name, crop, gtin, brand, shelf life in days, description
    ("tea", "Chè xanh Thanh Ba", "tea", None, "Chè Thanh Ba", 365,
     "Chè xanh sao tay từ búp chè trung du, nước xanh, vị chát dịu, hậu ngọt."),
    ("pomelo", "Bưởi Đoan Hùng", "pomelo", "09520123456788", "Bưởi Đoan Hùng", 60,
     "Bưởi Sửu Chí Đám: quả tròn, vỏ mỏng, tép ráo, vị ngọt mát."),
    ("banana", "Chuối tiêu hồng Hạ Hòa", "banana", None, None, 12,
     "Chuối tiêu hồng trồng theo VietGAP, chín tự nhiên, thơm, ngọt đậm."),
    ("mango", "Xoài cát Hòa Lộc Cao Lãnh", "mango", "09520123456795", "Xoài Cao Lãnh", 21,
     "Xoài cát Hòa Lộc vùng xuất khẩu, thịt vàng, dẻo, ít xơ."),
]  # fmt: skip

LOTS = [
    # product name, area name, lot code, days before today, quantity, unit
    ("Chè xanh Thanh Ba", "Vùng chè Thanh Ba khu 5", "CTB-2511-01", 12, "850", "KGM"),
    ("Bưởi Đoan Hùng", "Vùng bưởi Chí Đám", "DH-2511-001", 20, "4200", "H87"),
    ("Bưởi Đoan Hùng", "Vùng bưởi Bằng Luân", "DH-2511-002", 18, "3100", "H87"),
    ("Chuối tiêu hồng Hạ Hòa", "Vùng chuối Hạ Hòa", "CHH-2511-07", 6, "2.4", "TNE"),
    ("Xoài cát Hòa Lộc Cao Lãnh", "Vùng xoài Mỹ Xương xuất khẩu", "XCL-2511-A1", 9, "5.6", "TNE"),
]


def _coded_long_ago(session: Session, area: GrowingArea) -> None:
    """Demo codes were issued before the demo's harvests, as a real area's code is: the record and the public
    page then read "active" at harvest. Only the demo's own rows are moved back."""
    issued = utcnow() - dt.timedelta(days=CODED_DAYS_AGO)
    for change in session.scalars(sa.select(StatusChange).where(StatusChange.growing_area_id == area.id)):
        change.at = issued
    area.status_changed_at = issued
    session.flush()


def load_demo(session: Session, *, password: str) -> list[DemoAccount]:
    if session.scalar(sa.select(sa.func.count()).select_from(Commune)) == 0:
        raise RuntimeError("Administrative units are missing: run 'flask --app wsgi units load' first.")

    admin = session.scalar(sa.select(User).where(User.email == ADMIN_EMAIL))
    if admin is None:
        admin = account_services.create_user(session, email=ADMIN_EMAIL, password=password, role="admin")
    accounts = [DemoAccount(ADMIN_EMAIL, "admin", None)]
    auditor_email = "sonn@demo.example"
    auditor = session.scalar(sa.select(User).where(User.email == auditor_email))
    if auditor is None:
        auditor = account_services.create_user(session, email=auditor_email, password=password, role="auditor")
    accounts.append(DemoAccount(auditor_email, "auditor", None))

    orgs: dict[str, Organization] = {}
    for key, name, kind, tax, commune, address in ORGS:
        org = session.scalar(sa.select(Organization).where(Organization.tax_code == tax))
        if org is None:
            org = org_services.create_organization(
                session, actor=admin, name=name, kind=kind, tax_code=tax, commune_code=commune, address=address
            )
        orgs[key] = org
        email = f"{key}@demo.example"
        if session.scalar(sa.select(User).where(User.email == email)) is None:
            account_services.create_user(
                session, email=email, password=password, role=Role.MEMBER.value, organization_id=org.id
            )
        accounts.append(DemoAccount(email, "member", org.name))

    areas: dict[str, GrowingArea] = {}
    for key, name, kind, crop, variety, ha, commune, code, legacy, status in AREAS:
        area = session.scalar(
            sa.select(GrowingArea).where(GrowingArea.organization_id == orgs[key].id, GrowingArea.name == name)
        )
        if area is None:
            area = areas_services.create_area(
                session, actor=admin, organization_id=orgs[key].id, name=name, kind=kind, crop=crop,
                variety=variety, area_ha=ha, commune_code=commune, code=code, legacy_place=legacy,
            )  # fmt: skip
            if status != AreaStatus.PENDING:
                areas_services.change_area_status(
                    session, actor=admin, area_id=area.id, status="active", reason="Cấp mã (dữ liệu mẫu)"
                )
                _coded_long_ago(session, area)
            if status == AreaStatus.SUSPENDED:
                # Suspended by an inspection, as the department does it: the history points at the inspection.
                lifecycle.record_inspection(
                    session, area, actor=auditor, inspected_on=trace_services.today_in_vietnam() - dt.timedelta(days=15),
                    conclusion="suspend", growth_stage="Ra hoa, đậu quả", diary_kept=True, pesticides_permitted=False,
                    sampled=True, sample_results="Mẫu quả có dư lượng Carbendazim 0,6 mg/kg, vượt MRL 0,5 mg/kg.",
                    field_hygiene="fair", packaging_collected=True, inspector_name="Lê Minh Tâm (Chi cục TT&BVTV)",
                    reason="Phát hiện dư lượng thuốc BVTV vượt ngưỡng",
                )  # fmt: skip
        areas[name] = area

    products: dict[str, Product] = {}
    for key, name, crop, gtin, brand, shelf_life, description in PRODUCTS:
        product = session.scalar(
            sa.select(Product).where(Product.organization_id == orgs[key].id, Product.name == name)
        )
        if product is None:
            product = product_services.create_product(
                session, actor=admin, organization_id=orgs[key].id, name=name, crop=crop, gtin=gtin, brand=brand,
                shelf_life_days=shelf_life, description=description,
            )  # fmt: skip
            member = session.scalar(sa.select(User).where(User.organization_id == product.organization_id))
            images.set_image(session, actor=member, product_id=product.id, data=demo_photos.drawing(name))
        products[name] = product

    demo_record.load_record(session, admin=admin, auditor=auditor, orgs=orgs, areas=areas, members={})
    demo_record.load_inspections(session, auditor=auditor, areas=areas)
    houses = demo_record.load_packing_house(session, admin=admin, auditor=auditor, orgs=orgs)

    today = trace_services.today_in_vietnam()
    for product_name, area_name, code, days_ago, qty, unit in LOTS:
        product = products[product_name]
        if session.scalar(sa.select(Lot.id).where(Lot.product_id == product.id, Lot.code == code)) is None:
            member = session.scalar(sa.select(User).where(User.organization_id == product.organization_id))
            trace_services.create_lot(
                session, actor=member, product_id=product.id, growing_area_id=areas[area_name].id, code=code,
                harvest_date=today - dt.timedelta(days=days_ago), quantity=qty, unit=unit,
                packing_house_id=houses[product_name].id if product_name in houses else None,
            )  # fmt: skip
    session.flush()
    demo_catalogue.load_ocop(session, auditor=auditor)
    demo_catalogue.load_linkage(session, admin=admin)
    demo_trace.load_trace(session, admin=admin, auditor=auditor)
    session.flush()
    return accounts


def demo_lots(session: Session) -> list[Lot]:
    codes = [row[2] for row in LOTS]
    return list(session.scalars(sa.select(Lot).where(Lot.code.in_(codes)).order_by(Lot.id)))
