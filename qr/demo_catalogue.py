"""Demo OCOP ratings and production-linkage models, through the real services. Idempotent, like qr.demo.

- Phú Thọ tea 4★ and Cao Lãnh mango 5★ (ministry) with valid certificates;
- Đoan Hùng pomelo 4★, whose certificate lapses within 30 days, so both home pages alert;
- Hạ Hòa banana 3★, whose certificate expired four months ago: it shows no stars anywhere public;
- a mango linkage model tied to the coded export area, and a pomelo one whose only area awaits its code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core.db import today_in_vietnam
from registry.linkage import services as linkage
from registry.linkage.models import LinkageModel
from registry.ocop import services as ocop
from registry.ocop.models import OcopCertificate, OcopEvaluation
from registry.ocop.rules import add_months
from registry.ocop.status import statuses
from registry.organizations import services as org_services
from registry.organizations.models import Organization
from registry.products.models import Product

PHU_THO_COUNCIL = "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Phú Thọ"
DONG_THAP_COUNCIL = "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Đồng Tháp"
CENTRAL_COUNCIL = "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương"


@dataclass(frozen=True)
class Rating:
    product: str
    scores: tuple[int, int, int]
    subgroup: str
    council: str
    decision: str
    level: str

    def decided_on(self, today: dt.date) -> dt.date:
        return {
            "Chè xanh Thanh Ba": today - dt.timedelta(days=120),
            # 36 months before the day 20 days from now: it lapses within the 30-day notice.
            "Bưởi Đoan Hùng": add_months(today + dt.timedelta(days=20), -36),
            "Xoài cát Hòa Lộc Cao Lãnh": today - dt.timedelta(days=200),
            # Forty months ago: expired four months ago.
            "Chuối tiêu hồng Hạ Hòa": add_months(today, -40),
        }[self.product]


RATINGS = [
    Rating("Chè xanh Thanh Ba", (32, 20, 27), "1g", PHU_THO_COUNCIL, "2154/QĐ-UBND", "province"),
    Rating("Bưởi Đoan Hùng", (31, 21, 26), "1a", PHU_THO_COUNCIL, "3318/QĐ-UBND", "province"),
    Rating("Xoài cát Hòa Lộc Cao Lãnh", (37, 23, 32), "1a", CENTRAL_COUNCIL, "1120/QĐ-BNN-VPĐP", "ministry"),
    Rating("Chuối tiêu hồng Hạ Hòa", (25, 15, 18), "1a", PHU_THO_COUNCIL, "1876/QĐ-UBND", "province"),
]

PARTNERS = [
    # tax code, name, kind, commune, address
    ("1400100055", "HTX Xoài Mỹ Xương", "cooperative", "30076", "Ấp Mỹ Thạnh, xã Mỹ Thọ, Đồng Tháp"),
    ("2600100066", "Công ty CP Nông sản Đoan Hùng", "enterprise", "07999", "Xã Chí Đám, Phú Thọ"),
]

LINKAGE = [
    # name, lead (tax code), partners (tax codes), crop, communes, supplying areas, households, start, end (days)
    (
        "Liên kết xoài xuất khẩu Mỹ Xương",
        "1400100044",
        ["1400100055"],
        "mango",
        ["30076"],
        ["Vùng xoài Mỹ Xương xuất khẩu"],
        86,
        -400,
        1060,
    ),
    (
        "Liên kết bưởi Chí Đám mở rộng",
        "2600100066",
        ["2600100022"],
        "pomelo",
        ["07999"],
        ["Vùng bưởi Chí Đám mở rộng"],
        24,
        -60,
        1400,
    ),
]


def _product(session: Session, name: str) -> Product:
    return session.scalars(sa.select(Product).where(Product.name == name).order_by(Product.id)).one()


def load_ocop(session: Session, *, auditor: User) -> list[tuple[Product, OcopCertificate]]:
    """Rate and certify the four demo products once; answers each product with its latest certificate."""
    today = today_in_vietnam()
    shown = []
    for rating in RATINGS:
        product = _product(session, rating.product)
        rated = session.scalar(sa.select(OcopEvaluation.id).where(OcopEvaluation.product_id == product.id))
        if rated is None:
            decided = rating.decided_on(today)
            a, b, c = rating.scores
            ocop.evaluate(
                session, actor=auditor, product_id=product.id, score_a=a, score_b=b, score_c=c,
                evaluated_on=decided - dt.timedelta(days=21), subgroup=rating.subgroup, council=rating.council,
            )  # fmt: skip
            ocop.certify(
                session, actor=auditor, product_id=product.id, decision_number=rating.decision,
                decided_on=decided, level=rating.level,
            )  # fmt: skip
        latest = session.scalars(
            sa.select(OcopCertificate)
            .where(OcopCertificate.product_id == product.id)
            .order_by(OcopCertificate.issued_on.desc(), OcopCertificate.id.desc())
        ).first()
        shown.append((product, latest))
    return shown


def load_linkage(session: Session, *, admin: User) -> list[LinkageModel]:
    today = today_in_vietnam()
    orgs: dict[str, Organization] = {}
    for tax, name, kind, commune, address in PARTNERS:
        org = session.scalar(sa.select(Organization).where(Organization.tax_code == tax))
        if org is None:
            org = org_services.create_organization(
                session, actor=admin, name=name, kind=kind, tax_code=tax, commune_code=commune, address=address
            )
        orgs[tax] = org
    models = []
    for name, lead, partners, crop, communes, areas, households, start, end in LINKAGE:
        model = session.scalar(sa.select(LinkageModel).where(LinkageModel.name == name))
        if model is None:
            by_tax = {o.tax_code: o.id for o in session.scalars(sa.select(Organization))}
            area_ids = [session.scalars(sa.select(GrowingArea.id).where(GrowingArea.name == a)).one() for a in areas]
            model = linkage.create_model(
                session, actor=admin, name=name, crop=crop, lead_organization_id=by_tax[lead],
                partner_organization_ids=[by_tax[t] for t in partners], commune_codes=communes, area_ids=area_ids,
                partner_households=households, started_on=today + dt.timedelta(days=start),
                ended_on=today + dt.timedelta(days=end),
            )  # fmt: skip
        models.append(model)
    return models


def summary_lines(session: Session) -> list[str]:
    """One line per demo OCOP product for the operator: stars and until when, or that it lapsed."""
    today = today_in_vietnam()
    lines = []
    for rating in RATINGS:
        product = _product(session, rating.product)
        row = statuses(session, [product.id], today).get(product.id)
        if row is None:
            continue
        state = (
            f"valid until {row.expires_on:%d/%m/%Y}" if row.is_valid(today) else f"expired {row.expires_on:%d/%m/%Y}"
        )
        lines.append(f"{product.name}: {row.stars}★ {row.level.value}, {state}")
    return lines
