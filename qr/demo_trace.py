"""Demo traceability, through the real services. Idempotent, like qr.demo.

- Chí Đám's pomelo diary: fertilising, bagging and a spray long enough ago for the demo lot, and a fresh
  spray whose pre-harvest interval is still running, so a harvest today is refused;
- pomelo lot DH-2511-001, packed at the Chí Đám packing house, split in two, one part shipped to a wholesaler;
- dried tea made from Thanh Ba's fresh leaves;
- a recall of the banana lot, opened and closed.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from qr import demo_photos
from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core.db import today_in_vietnam
from registry.lifecycle import services as lifecycle
from registry.packing import services as packing
from registry.packing.models import PackingHouse
from registry.products import images
from registry.products import services as product_services
from registry.products.models import Product
from trace.diary import services as diary
from trace.diary.models import DiaryEntry
from trace.lots import shipping, steps
from trace.lots.models import Lot
from trace.recall import services as recalls
from trace.recall.models import Recall

DIARY = [
    # days ago, kind, input, active ingredient, dose, PHI days, done by
    (45, "fertilize", "NPK 16-16-8 Đầu Trâu", None, "1,5 kg/cây", None, "Nguyễn Văn Sửu"),
    (38, "bag", "Túi bao trái 2 lớp", None, None, None, "Tổ bao trái HTX"),
    (30, "spray", "Anvil 5SC", "Hexaconazole", "20 ml/bình 16 lít", 7, "Tổ phun thuốc HTX"),
    # Still running: no lot of this area can be harvested until it has passed.
    (3, "spray", "Score 250EC", "Difenoconazole", "10 ml/bình 16 lít", 14, "Tổ phun thuốc HTX"),
]
WHOLESALER = "Công ty TNHH Nông sản Long Biên (chợ đầu mối Long Biên, Hà Nội)"
DRIED_TEA = "Chè búp khô Thanh Ba"


def _member(session: Session, organization_id: int) -> User:
    return session.scalars(sa.select(User).where(User.organization_id == organization_id).order_by(User.id)).first()


def _lot(session: Session, code: str) -> Lot | None:
    return session.scalar(sa.select(Lot).where(Lot.code == code))


def _pomelo_house(session: Session, *, admin: User, auditor: User, organization_id: int) -> PackingHouse:
    """Chí Đám's packing house, applied for and activated (the registry issues its code)."""
    name = "Nhà sơ chế, đóng gói bưởi Chí Đám"
    house = session.scalar(sa.select(PackingHouse).where(PackingHouse.name == name))
    if house is None:
        house = packing.create_packing_house(
            session, actor=admin, organization_id=organization_id, name=name, commune_code="07999",
            address="Thôn Chí Chính, xã Chí Đám, Phú Thọ", capacity_t_per_day="12",
        )  # fmt: skip
        lifecycle.transition(
            session, house, actor=auditor, status="active", reason="Cấp mã cơ sở đóng gói (dữ liệu mẫu)"
        )
    return house


def load_trace(session: Session, *, admin: User, auditor: User) -> None:
    today = today_in_vietnam()
    area = session.scalars(sa.select(GrowingArea).where(GrowingArea.name == "Vùng bưởi Chí Đám")).one()
    member = _member(session, area.organization_id)
    if session.scalar(sa.select(DiaryEntry.id).where(DiaryEntry.growing_area_id == area.id)) is None:
        for days, kind, name, ingredient, dose, phi, who in DIARY:
            diary.add_entry(
                session, actor=member, area_id=area.id, kind=kind, date=today - dt.timedelta(days=days),
                input_name=name, active_ingredient=ingredient, dose=dose, phi_days=phi, performed_by=who,
            )  # fmt: skip

    pomelo = _lot(session, "DH-2511-001")
    if pomelo is not None and _lot(session, "DH-2511-001A") is None:
        member = _member(session, pomelo.organization_id)
        house = _pomelo_house(session, admin=admin, auditor=auditor, organization_id=pomelo.organization_id)
        steps.pack(session, actor=member, lot_id=pomelo.id, packing_house_id=house.id)
        part_a, _part_b = steps.split(
            session, actor=member, lot_id=pomelo.id,
            parts=[{"code": "DH-2511-001A", "quantity": "2000"}, {"code": "DH-2511-001B", "quantity": "1500"}],
        )  # fmt: skip
        shipping.ship(
            session, actor=member, lot_id=part_a.id, quantity="2000", receiver_name=WHOLESALER,
            document_type="invoice", document_number="0001254/HĐ-BĐH",
        )  # fmt: skip

    fresh = _lot(session, "CTB-2511-01")
    if fresh is not None and _lot(session, "CTB-D2511-01") is None:
        member = _member(session, fresh.organization_id)
        dried = session.scalar(sa.select(Product).where(Product.name == DRIED_TEA))
        if dried is None:
            dried = product_services.create_product(
                session, actor=admin, organization_id=fresh.organization_id, name=DRIED_TEA, crop="tea",
                brand="Chè Thanh Ba", shelf_life_days=540,
                description="Chè búp khô sao từ chè tươi vùng Thanh Ba; pha 3 g với 150 ml nước 85 °C.",
            )  # fmt: skip
            images.set_image(session, actor=member, product_id=dried.id, data=demo_photos.drawing("Chè xanh Thanh Ba"))
        steps.transform(
            session, actor=member, inputs=[{"lot_id": fresh.id, "quantity": "850"}],
            outputs=[{"code": "CTB-D2511-01", "product_id": dried.id, "quantity": "170", "unit": "KGM"}],
            reason="Héo, vò, sao khô chè búp tươi (5 kg chè tươi cho 1 kg chè khô)",
        )  # fmt: skip

    banana = _lot(session, "CHH-2511-07")
    if banana is not None and session.scalar(sa.select(Recall.id).where(Recall.lot_id == banana.id)) is None:
        recall = recalls.open_recall(
            session, actor=auditor, lot_id=banana.id, reason="Phát hiện quả dập, nhiễm nấm trong kho bảo quản"
        )
        recalls.close_recall(
            session, actor=auditor, recall_id=recall.id, note="Đã thu hồi và tiêu hủy 2,4 tấn theo biên bản số 07/BB"
        )
