"""Who may read and who may change, for every route and every role, from one table.

ROUTES below names every endpoint of the app (by endpoint name) with the rule for reading it (GET) and the rule
for changing through it (POST, PUT, PATCH, DELETE); None where the route has no such method. The rules:

    public               everyone, signed in or not
    signed-in            anyone signed in (members see their own organization's rows; the department all)
    owner-or-department  the owning organization's members, the inspectors and the admin
    owner                the owning organization's members and the admin (inspectors only read)
    registrar            members of any organization and the admin: a new record of one's own organization
    department           inspectors and the admin
    admin                the admin
    self                 the user the record belongs to (member A's own API token)

Every parameterised route points at a record of organization A. The five roles are: anonymous, a member of
organization A (the owner), a member of organization B (another), an inspector (auditor) and the admin.

A denied role gets 401 (API without a token), a redirect to /login (a page without a session), 403, or 404; a
member of another organization asking for organization A's record gets 404, so that nobody learns what exists.
A denied change leaves every table as it was. An allowed role gets neither 401, 403 nor 404 nor a 5xx (a 422 for
an incomplete body is allowed: the gate let it through). Pages are asked with a session and the form's CSRF
token, the API with a Bearer token.

A new route: add a line to ROUTES (and, if it changes something, a body to BODIES; a query string it needs to
QUERIES; a URL argument of a new name to Targets.url_values); the failures name what is missing. A change whose
body, not its URL, names organization A's records goes in BODY_REFERS: there a refusal may also be the 422 a
body naming an unknown record gets, since telling the two apart would reveal what exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from registry.accounts.models import ApiToken
from registry.accounts.services import create_token
from registry.core.db import today_in_vietnam
from registry.core.extensions import db as _db
from tests import factories
from tests.conftest import UNIT_TABLES, csrf_token, empty_database
from tests.trace.conftest import make_house

ANON, OWNER, OTHER, AUDITOR, ADMIN = "anonymous", "member_a", "member_b", "auditor", "admin"
ROLES = (ANON, OWNER, OTHER, AUDITOR, ADMIN)
RULES = {
    "public": {ANON, OWNER, OTHER, AUDITOR, ADMIN},
    "signed-in": {OWNER, OTHER, AUDITOR, ADMIN},
    "owner-or-department": {OWNER, AUDITOR, ADMIN},
    "owner": {OWNER, ADMIN},
    "registrar": {OWNER, OTHER, ADMIN},
    "department": {AUDITOR, ADMIN},
    "admin": {ADMIN},
    "self": {OWNER},
}
CHANGES = ("POST", "PUT", "PATCH", "DELETE")
PUB, SIGNED, OWN_DEPT, OWN, REG, DEPT, ADM, SELF = RULES

# endpoint: (read, change)
ROUTES: dict[str, tuple[str | None, str | None]] = {
    # ---------------------------------------------------------------- public and account pages
    "desk.index": (PUB, None),
    "healthz": (PUB, None),
    "set_language": (PUB, None),
    "accounts.login": (PUB, PUB),
    "accounts.logout": (None, SIGNED),
    "accounts.password": (SIGNED, SIGNED),
    "accounts.tokens": (SIGNED, SIGNED),
    "accounts.token_revoke": (None, SELF),  # the token's own user: member A
    "accounts.users": (ADM, None),
    "accounts.user_new": (ADM, ADM),
    "accounts.user_edit": (ADM, ADM),
    "api_docs": (PUB, None),
    "api-docs.openapi_json": (PUB, None),
    "qr.well_known": (PUB, None),
    "qr.resolve": (PUB, None),
    "qr.short_link": (PUB, None),
    "products.product_image": (PUB, None),
    "check.check": (DEPT, None),
    "codes.lookup": (PUB, None),
    "codes.code": (PUB, None),
    # ---------------------------------------------------------------- registry pages
    "organizations.organizations": (SIGNED, DEPT),
    "organizations.organization_detail": (OWN_DEPT, None),
    "organizations.organization_edit": (OWN_DEPT, OWN_DEPT),
    "areas.areas": (SIGNED, None),
    "areas.area_new": (REG, OWN),
    "areas.area_detail": (OWN_DEPT, None),
    "areas.area_edit": (OWN, OWN),
    "areas.area_certificate_new": (None, OWN),
    "areas.area_household_new": (None, OWN),
    "areas.area_season_new": (None, OWN),
    "areas.area_inspection_new": (DEPT, DEPT),
    "areas.area_status": (None, DEPT),
    "areas.area_withdraw": (None, OWN),
    "diary.diary": (OWN_DEPT, None),
    "diary.diary_add": (None, OWN),
    "packing.houses": (SIGNED, None),
    "packing.house_new": (REG, OWN),
    "packing.house_detail": (OWN_DEPT, None),
    "packing.house_edit": (OWN, OWN),
    "packing.packing_house_inspection_new": (DEPT, DEPT),
    "packing.packing_house_status": (None, DEPT),
    "packing.packing_house_withdraw": (None, OWN),
    "products.products": (SIGNED, None),
    "products.product_new": (REG, OWN),
    "products.product_detail": (OWN_DEPT, None),
    "products.product_edit": (OWN, OWN),
    "products.product_image_upload": (None, OWN),
    "products.product_image_remove": (None, OWN),
    "ocop.certificates": (SIGNED, None),
    "ocop.product_ocop": (OWN_DEPT, None),
    "ocop.evaluation_new": (None, DEPT),
    "ocop.certificate_new": (None, DEPT),
    "ocop.certificate_revoke": (None, DEPT),
    "linkage.models": (SIGNED, None),
    "linkage.model_new": (REG, OWN),
    "linkage.model_detail": (OWN_DEPT, None),
    "linkage.model_edit": (OWN, OWN),
    # ---------------------------------------------------------------- trace and QR pages
    "trace.lots": (SIGNED, None),
    "trace.lot_new": (REG, OWN),
    "trace.lot_detail": (OWN_DEPT, None),
    "trace.lot_edit": (OWN, OWN),
    "trace.lot_void": (None, OWN),
    "lineage.lot_lineage": (OWN_DEPT, None),
    "steps.split": (OWN, OWN),
    "steps.ship": (OWN, OWN),
    "steps.incoming": (SIGNED, None),
    "steps.receive": (None, OWN),  # the receiving organization (A here) and the admin
    "recall.recalls": (SIGNED, None),
    "recall.lot_recall": (OWN_DEPT, OWN_DEPT),
    "recall.recall_detail": (OWN_DEPT, None),
    "recall.recall_close": (None, OWN_DEPT),
    "qr.lot_label": (OWN_DEPT, None),
    "qr.lot_label_file": (OWN_DEPT, None),
    "qr.lot_label_print": (OWN_DEPT, None),
    "serials.sheet_form": (OWN_DEPT, None),
    "serials.sheet_pdf": (OWN_DEPT, None),
    "scans.summary": (SIGNED, None),
    "scans.alerts": (SIGNED, None),
    "indicators.dashboard": (SIGNED, None),
    "indicators.records": (SIGNED, None),
    "indicators.download": (SIGNED, None),
    "indicators.key_crops": (None, DEPT),
    # ---------------------------------------------------------------- JSON API
    "units_api.Provinces": (SIGNED, None),
    "units_api.Communes": (SIGNED, None),
    "check_api.Check": (DEPT, None),
    "organizations_api.Organizations": (SIGNED, DEPT),
    "organizations_api.OrganizationById": (OWN_DEPT, OWN_DEPT),
    "areas_api.Areas": (SIGNED, OWN),
    "areas_api.AreaById": (OWN_DEPT, OWN),
    "areas_api.AreaCertificates": (OWN_DEPT, OWN),
    "areas_api.AreaHouseholds": (OWN_DEPT, OWN),
    "areas_api.AreaSeasons": (OWN_DEPT, OWN),
    "areas_api.area_history": (OWN_DEPT, None),
    "areas_api.area_inspections": (OWN_DEPT, DEPT),
    "areas_api.area_status": (None, DEPT),
    "areas_api.area_withdraw": (None, OWN),
    "diary_api.Diary": (OWN_DEPT, OWN),
    "packing_api.PackingHouses": (SIGNED, OWN),
    "packing_api.PackingHouseById": (OWN_DEPT, OWN),
    "packing_api.packing_house_history": (OWN_DEPT, None),
    "packing_api.packing_house_inspections": (OWN_DEPT, DEPT),
    "packing_api.packing_house_status": (None, DEPT),
    "packing_api.packing_house_withdraw": (None, OWN),
    "products_api.Products": (SIGNED, OWN),
    "products_api.ProductById": (OWN_DEPT, OWN),
    "products_api.ProductPhoto": (None, OWN),
    "ocop_api.CertificateList": (SIGNED, None),
    "ocop_api.CurrentOcop": (OWN_DEPT, None),
    "ocop_api.Certificates": (OWN_DEPT, DEPT),
    "ocop_api.Evaluations": (OWN_DEPT, DEPT),
    "ocop_api.Revoke": (None, DEPT),
    "linkage_api.LinkageModels": (SIGNED, OWN),
    "linkage_api.LinkageModelById": (OWN_DEPT, OWN),
    "trace_api.Lots": (SIGNED, OWN),
    "trace_api.LotById": (OWN_DEPT, OWN),
    "trace_api.LotVoid": (None, OWN),
    "steps_api.Lineage": (OWN_DEPT, None),
    "steps_api.Pack": (None, OWN),
    "steps_api.Split": (None, OWN),
    "steps_api.Merge": (None, OWN),
    "steps_api.Transformations": (None, OWN),
    "steps_api.LotShipments": (OWN_DEPT, OWN),
    "steps_api.Incoming": (SIGNED, None),
    "steps_api.ShipmentById": (OWN_DEPT, None),
    "steps_api.Receive": (None, OWN),
    "epcis_api.Capture": (None, REG),  # an event joins only the lots one may change
    "epcis_api.Events": (SIGNED, None),
    "epcis_api.LotHistory": (OWN_DEPT, None),
    "fsma_api.Fsma204Csv": (OWN_DEPT, None),
    "fsma_api.Fsma204Xlsx": (OWN_DEPT, None),
    "qr_api.LabelPng": (OWN_DEPT, None),
    "qr_api.LabelSvg": (OWN_DEPT, None),
    "serials_api.LotLabelSheet": (OWN_DEPT, None),
    "serials_api.LotSerials": (OWN_DEPT, OWN),
    "serials_api.VoidSerials": (None, OWN),
    "recall_api.Recalls": (SIGNED, OWN_DEPT),
    "recall_api.RecallById": (OWN_DEPT, None),
    "recall_api.Close": (None, OWN_DEPT),
    "scans_api.ScanAlerts": (SIGNED, None),
    "scans_api.ScanSummary": (SIGNED, None),
    "indicators_api.Indicators": (SIGNED, None),
    "indicators_api.IndicatorsCsv": (SIGNED, None),
    "indicators_api.IndicatorsXlsx": (SIGNED, None),
    "indicators_api.IndicatorRecords": (SIGNED, None),
    "indicators_api.KeyCrops": (SIGNED, DEPT),
    # ---------------------------------------------------------------- audit trail, imports and exports, tokens
    "audit_api.Audit": (DEPT, None),
    "tokens_api.Tokens": (SIGNED, None),
    "bulk_api.Imports": (None, REG),
    "bulk_api.ImportTemplate": (SIGNED, None),
    "bulk_api.Exports": (SIGNED, None),
    "bulk.static": (PUB, None),
    "bulk.import_page_get": (SIGNED, None),
    "bulk.import_page": (None, REG),
    "bulk.template": (SIGNED, None),
    "bulk.export": (SIGNED, None),
    "bulk.export_form": (SIGNED, None),
}

# Change routes whose body names organization A's records rather than their URL: another organization's member
# (or an inspector) is refused like a body naming no record at all, a 422 with the field's "not found" or
# "inspectors only check", and nothing stored.
BODY_REFERS = {
    "areas.area_new", "packing.house_new", "products.product_new", "linkage.model_new", "trace.lot_new",
    "areas_api.Areas", "packing_api.PackingHouses", "products_api.Products", "linkage_api.LinkageModels",
    "trace_api.Lots", "steps_api.Merge", "steps_api.Transformations",
    "serials_api.VoidSerials", "recall_api.Recalls", "bulk_api.Imports", "bulk.import_page",
}  # fmt: skip


def days_ago(n: int) -> str:
    return (today_in_vietnam() - dt.timedelta(days=n)).isoformat()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 160, 40)).save(out, "PNG")
    return out.getvalue()


_serial = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_serial):04d}"


class Targets:
    """Fresh records of organization A for one route's test, made on first use, so no test sees another's."""

    def __init__(self, world) -> None:
        self.w = world
        self.session = _db.session

    def _commit(self, row):
        self.session.commit()
        return row

    @cached_property
    def area(self):
        return self._commit(factories.AreaFactory(organization=self.w.org_a))

    @cached_property
    def house(self):
        code = f"VN-25-07999-DG{next(_serial):03d}"
        return self._commit(make_house(self.session, self.w.org_a, code=code, name=unique("Nhà đóng gói ")))

    @cached_property
    def product(self):
        return self._commit(factories.ProductFactory(organization=self.w.org_a))

    def lot_values(self, **overrides) -> dict:
        values = {"product_id": self.w.product_a.id, "growing_area_id": self.w.area_a.id, "code": unique("RR-"),
                  "harvest_date": days_ago(2), "quantity": "800", "unit": "KGM"}  # fmt: skip
        return values | overrides

    def new_lot(self, actor=None, **overrides):
        from trace.lots.services import create_lot

        values = self.lot_values(**overrides)
        values["harvest_date"] = dt.date.fromisoformat(values["harvest_date"])
        return self._commit(create_lot(self.session, actor=actor or self.w.member_a, **values))

    @cached_property
    def lot(self):
        return self.new_lot()

    @cached_property
    def serial(self) -> str:
        from qr.serials.services import issue_serials

        lot, serials = issue_serials(self.session, actor=self.w.member_a, lot_id=self.lot.id, count=1, packs=8)
        self.session.commit()
        return serials[0]

    @cached_property
    def image_key(self) -> str:
        from registry.products.images import set_image

        return self._commit(
            set_image(self.session, actor=self.w.member_a, product_id=self.product.id, data=png())
        ).image_key

    @cached_property
    def model(self):
        from registry.linkage.services import create_model

        return self._commit(create_model(self.session, actor=self.w.member_a, name=unique("Liên kết "), crop="pomelo",
                                         started_on=dt.date(2025, 1, 1), commune_codes=["07999"], area_ids=[]))  # fmt: skip

    @cached_property
    def recall(self):
        from trace.recall.services import open_recall

        return self._commit(open_recall(self.session, actor=self.w.member_a, lot_id=self.lot.id, reason="Nhầm nhãn"))

    @cached_property
    def evaluated_product(self):
        from registry.ocop.services import evaluate

        evaluate(self.session, actor=self.w.auditor, product_id=self.product.id, score_a=30, score_b=20, score_c=25,
                 evaluated_on=dt.date.fromisoformat(days_ago(40)), subgroup="1a", council="Hội đồng OCOP tỉnh")  # fmt: skip
        return self._commit(self.product)

    @cached_property
    def ocop_certificate(self):
        from registry.ocop.services import certify

        certificate = certify(self.session, actor=self.w.auditor, product_id=self.evaluated_product.id,
                              decision_number="1234/QĐ-UBND", decided_on=dt.date.fromisoformat(days_ago(20)),
                              level="province")  # fmt: skip
        return self._commit(certificate)

    @cached_property
    def shipment(self):
        """Shipped to organization A by a third cooperative: A's to receive, none of B's business."""
        from trace.lots.shipping import ship

        org_c = factories.OrganizationFactory(name=unique("HTX Chè Tân Sơn "))
        sender = factories.UserFactory(organization=org_c, email=unique("c") + "@test.example")
        product = factories.ProductFactory(organization=org_c)
        area = factories.AreaFactory(organization=org_c)
        self.session.commit()
        lot = self.new_lot(actor=sender, product_id=product.id, growing_area_id=area.id)
        shipment = ship(self.session, actor=sender, lot_id=lot.id, quantity="100",
                        receiver_organization_id=self.w.org_a.id, document_type="invoice", document_number="HD-1")  # fmt: skip
        return self._commit(shipment)

    @cached_property
    def user(self):
        return self._commit(factories.UserFactory(organization=self.w.org_a, email=unique("new") + "@test.example"))

    @cached_property
    def token_id(self) -> int:
        create_token(self.session, email=self.w.member_a.email, label="spare")
        self.session.commit()
        return self.session.scalar(sa.select(sa.func.max(ApiToken.id)))

    def area_csv(self) -> bytes:
        """One new area of organization A, as the import template lays it out."""
        header = "code,name,organization_tax_code,kind,crop,variety,area_ha,commune_code,legacy_place,status"
        row = f',{unique("Vùng nhập ")},{self.w.org_a.tax_code},domestic,pomelo,,"2,5",07999,,pending'
        return f"{header}\n{row}\n".encode()

    def url_values(self, endpoint: str, arguments: set[str]) -> dict[str, Any]:
        w, values = self.w, {}
        for name in arguments:
            if name == "subject_id":
                values[name] = self.area.id if endpoint.startswith("areas") else self.house.id
            elif name == "code":
                values[name] = "KT-1" if endpoint.startswith("indicators") else self.area.code
            elif name == "product_id" and endpoint.startswith("ocop"):
                values[name] = self.evaluated_product.id
            elif name == "path":
                values[name] = f"01/{w.product_a.gtin}/10/{self.lot.code}"
            elif name == "token":
                values[name] = self.lot.public_token
            else:
                values[name] = {
                    "area_id": lambda: self.area.id, "lot_id": lambda: self.lot.id,
                    "product_id": lambda: self.product.id, "house_id": lambda: self.house.id,
                    "model_id": lambda: self.model.id, "recall_id": lambda: self.recall.id,
                    "certificate_id": lambda: self.ocop_certificate.id, "shipment_id": lambda: self.shipment.id,
                    "organization_id": lambda: w.org_a.id, "user_id": lambda: self.user.id,
                    "token_id": lambda: self.token_id, "serial": lambda: self.serial,
                    "key": lambda: self.image_key, "ext": lambda: "csv", "fmt": lambda: "png", "kind": lambda: "areas",
                    "filename": lambda: "imports.js",
                }[name]()  # fmt: skip
        return values


def _area(t):
    return {"organization_id": t.w.org_a.id, "name": unique("Vùng mới "), "kind": "domestic", "crop": "pomelo",
            "area_ha": "3.5", "commune_code": "07999"}  # fmt: skip


def _inspection(_t):
    return {"inspected_on": days_ago(1), "conclusion": "corrective_action", "corrective_deadline": days_ago(-30),
            "reason": "Thiếu nhật ký"}  # fmt: skip


def _cert(_t):
    return {"scheme": "vietgap", "number": unique("VG-25-"), "issuer": "Trung tâm Chứng nhận Phù hợp",
            "issued_on": days_ago(100), "expires_on": days_ago(-600)}  # fmt: skip


# A minimal valid body for each route that changes something: pages get it as a form, the API as JSON.
BODIES: dict[str, Any] = {
    "accounts.login": lambda t: {"email": "nobody@test.example", "password": "wrong-password-1"},
    "accounts.logout": lambda t: {},
    "accounts.password": lambda t: {
        "current_password": "wrong-password-1",
        "new_password": "x" * 12,
        "repeat_password": "x" * 12,
    },  # fmt: skip
    "accounts.tokens": lambda t: {"label": "máy quét"},
    "accounts.token_revoke": lambda t: {},
    "accounts.user_new": lambda t: {
        "email": unique("u") + "@test.example",
        "full_name": "Người mới",
        "role": "member",
        "organization_id": t.w.org_a.id,
        "password": "long-enough-42",
    },  # fmt: skip
    "accounts.user_edit": lambda t: {
        "full_name": "Đã sửa",
        "role": "member",
        "organization_id": t.w.org_a.id,
        "active": "y",
    },  # fmt: skip
    "organizations.organizations": lambda t: {
        "name": unique("HTX Mới "),
        "kind": "cooperative",
        "tax_code": f"27{next(_serial):08d}",
        "commune_code": "07999",
    },  # fmt: skip
    "organizations.organization_edit": lambda t: {
        "name": t.w.org_a.name,
        "kind": "cooperative",
        "tax_code": t.w.org_a.tax_code,
        "commune_code": "07999",
        "address": "Thôn 2",
        "phone": "",
        "dissolved_on": "",
    },  # fmt: skip
    "areas.area_new": lambda t: _area(t) | {"province": "25", "household_count": "", "planting_year": ""},
    "areas.area_edit": lambda t: {
        "name": "Vùng đã sửa",
        "kind": "domestic",
        "variety": "Bưởi Sửu",
        "area_ha": "12.5",
        "province": "25",
        "commune_code": "07999",
    },  # fmt: skip
    "areas.area_certificate_new": lambda t: {f"cert-{k}": v for k, v in _cert(t).items()} | {"_prefix": "cert"},
    "areas.area_household_new": lambda t: {"hh-name": "Nguyễn Văn An", "hh-plot_ha": "0.5", "_prefix": "hh"},
    "areas.area_season_new": lambda t: {"season-name": "Vụ 2026", "_prefix": "season"},
    "areas.area_inspection_new": lambda t: (
        _inspection(t) | {"diary_kept": "", "pesticides_permitted": "", "field_hygiene": "", "packaging_collected": ""}
    ),  # fmt: skip
    "areas.area_status": lambda t: {"status": "suspended", "reason": "Kiểm tra dư lượng", "confirm": "y"},
    "areas.area_withdraw": lambda t: {"reason": "Ngừng sản xuất"},
    "diary.diary_add": lambda t: {"kind": "other", "date": days_ago(1), "performed_by": "Anh Tư", "notes": "Làm cỏ"},
    "packing.house_new": lambda t: {
        "name": unique("Nhà đóng gói "),
        "organization_id": t.w.org_a.id,
        "commune_code": "07999",
    },  # fmt: skip
    "packing.house_edit": lambda t: {"name": "Nhà đóng gói đã sửa", "commune_code": "07999"},
    "packing.packing_house_inspection_new": lambda t: _inspection(t) | {"field_hygiene": ""},
    "packing.packing_house_status": lambda t: {"status": "suspended", "reason": "Kiểm tra", "confirm": "y"},
    "packing.packing_house_withdraw": lambda t: {"reason": "Ngừng hoạt động"},
    "products.product_new": lambda t: {"name": unique("Bưởi mới "), "organization_id": t.w.org_a.id, "crop": "pomelo"},
    "products.product_edit": lambda t: {"name": "Bưởi đã sửa", "crop": "pomelo", "gtin": t.product.gtin},
    "products.product_image_upload": lambda t: {"image": (io.BytesIO(png()), "p.png")},
    "products.product_image_remove": lambda t: {},
    "ocop.evaluation_new": lambda t: {
        "subgroup": "1a",
        "score_a": "30",
        "score_b": "20",
        "score_c": "25",
        "evaluated_on": days_ago(10),
        "council": "Hội đồng",
    },  # fmt: skip
    "ocop.certificate_new": lambda t: {"decision_number": "99/QĐ-UBND", "decided_on": days_ago(5), "level": "province"},
    "ocop.certificate_revoke": lambda t: {"reason": "Vi phạm chất lượng"},
    "linkage.model_new": lambda t: {
        "name": unique("Liên kết "),
        "lead_organization_id": t.w.org_a.id,
        "crop": "pomelo",
        "commune_codes": "07999",
        "area_ids": t.w.area_a.id,
        "started_on": "2025-01-01",
    },  # fmt: skip
    "linkage.model_edit": lambda t: {
        "name": "Liên kết đã sửa",
        "lead_organization_id": t.w.org_a.id,
        "crop": "pomelo",
        "commune_codes": "07999",
        "started_on": "2025-01-01",
    },  # fmt: skip
    "trace.lot_new": lambda t: t.lot_values(packing_house_id=""),
    "trace.lot_edit": lambda t: {"harvest_date": days_ago(3), "quantity": "700", "unit": "KGM", "packing_house_id": ""},
    "trace.lot_void": lambda t: {"reason": "Nhầm nhãn", "confirm": "y"},
    "steps.split": lambda t: {"code0": unique("SP-"), "quantity0": "100", "code1": unique("SP-"), "quantity1": "50"},
    "steps.ship": lambda t: {
        "quantity": "100",
        "receiver_organization_id": t.w.org_b.id,
        "document_type": "invoice",
        "document_number": "HD-2",
    },  # fmt: skip
    "steps.receive": lambda t: {"code": unique("IN-")},
    "recall.lot_recall": lambda t: {"reason": "Nhầm nhãn", "confirm": "y"},
    "recall.recall_close": lambda t: {"note": "Đã thu hồi đủ"},
    "indicators.key_crops": lambda t: {"province": "25", "crops": "pomelo"},
    # ---------------------------------------------------------------- JSON API
    "organizations_api.Organizations": lambda t: {
        "name": unique("HTX Mới "),
        "kind": "cooperative",
        "tax_code": f"28{next(_serial):08d}",
        "commune_code": "07999",
    },  # fmt: skip
    "organizations_api.OrganizationById": lambda t: {"address": "Thôn 3"},
    "areas_api.Areas": _area,
    "areas_api.AreaById": lambda t: {"name": "Vùng đã sửa"},
    "areas_api.AreaCertificates": _cert,
    "areas_api.AreaHouseholds": lambda t: {"name": "Nguyễn Văn An", "plot_ha": "0.5"},
    "areas_api.AreaSeasons": lambda t: {"name": "Vụ 2026", "harvest_from": days_ago(-30), "harvest_to": days_ago(-60)},
    "areas_api.area_inspections": _inspection,
    "areas_api.area_status": lambda t: {"status": "suspended", "reason": "Kiểm tra dư lượng"},
    "areas_api.area_withdraw": lambda t: {"reason": "Ngừng sản xuất"},
    "diary_api.Diary": lambda t: {"kind": "other", "date": days_ago(1)},
    "packing_api.PackingHouses": lambda t: {
        "organization_id": t.w.org_a.id,
        "name": unique("Nhà đóng gói "),
        "commune_code": "07999",
    },  # fmt: skip
    "packing_api.PackingHouseById": lambda t: {"name": "Nhà đóng gói đã sửa"},
    "packing_api.packing_house_inspections": _inspection,
    "packing_api.packing_house_status": lambda t: {"status": "suspended", "reason": "Kiểm tra"},
    "packing_api.packing_house_withdraw": lambda t: {"reason": "Ngừng hoạt động"},
    "products_api.Products": lambda t: {"organization_id": t.w.org_a.id, "name": unique("Bưởi mới "), "crop": "pomelo"},
    "products_api.ProductById": lambda t: {"name": "Bưởi đã sửa"},
    "products_api.ProductPhoto": {"PUT": lambda t: png(), "DELETE": lambda t: None},
    "ocop_api.Certificates": lambda t: {
        "decision_number": "99/QĐ-UBND",
        "decided_on": days_ago(5),
        "level": "province",
    },
    "ocop_api.Evaluations": lambda t: {
        "score_a": 30,
        "score_b": 20,
        "score_c": 25,
        "subgroup": "1a",
        "council": "Hội đồng",
        "evaluated_on": days_ago(10),
    },  # fmt: skip
    "ocop_api.Revoke": lambda t: {"reason": "Vi phạm chất lượng"},
    "linkage_api.LinkageModels": lambda t: {
        "name": unique("Liên kết "),
        "crop": "pomelo",
        "commune_codes": ["07999"],
        "area_ids": [t.w.area_a.id],
        "started_on": "2025-01-01",
    },  # fmt: skip
    "linkage_api.LinkageModelById": lambda t: {"notes": "Ghi chú"},
    "trace_api.Lots": lambda t: t.lot_values(),
    "trace_api.LotById": lambda t: {"quantity": "700"},
    "trace_api.LotVoid": lambda t: {"reason": "Nhầm nhãn"},
    "steps_api.Pack": lambda t: {"packing_house_id": t.house.id},
    "steps_api.Split": lambda t: {
        "parts": [{"code": unique("SP-"), "quantity": "300"}, {"code": unique("SP-"), "quantity": "200"}]
    },  # fmt: skip
    "steps_api.Merge": lambda t: {"inputs": [{"lot_id": t.lot.id}, {"lot_id": t.new_lot().id}], "code": unique("MG-")},
    "steps_api.Transformations": lambda t: {
        "inputs": [{"lot_id": t.lot.id, "quantity": "100"}],
        "outputs": [{"code": unique("TF-"), "product_id": t.w.product_a.id, "quantity": "20", "unit": "KGM"}],
        "reason": "Sấy khô",
    },
    "steps_api.LotShipments": lambda t: {
        "quantity": "100",
        "receiver_organization_id": t.w.org_b.id,
        "document_type": "invoice",
        "document_number": "HD-3",
    },  # fmt: skip
    "steps_api.Receive": lambda t: {"code": unique("IN-")},
    "epcis_api.Capture": lambda t: {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "ObjectEvent",
        "eventTime": "2026-01-05T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "quantityList": [{"epcClass": f"https://id.gs1.org/01/{t.w.product_a.gtin}/10/{t.lot.code}", "quantity": 5}],
    },
    "serials_api.LotSerials": lambda t: {"count": 1, "packs": 8},
    "serials_api.VoidSerials": lambda t: {"lot_id": t.lot.id, "serials": [t.serial], "reason": "Cuộn tem hỏng"},
    "recall_api.Recalls": lambda t: {"lot_id": t.lot.id, "reason": "Nhầm nhãn"},
    "recall_api.Close": lambda t: {"note": "Đã thu hồi đủ"},
    "indicators_api.KeyCrops": lambda t: {"crops": ["pomelo"]},
    "bulk_api.Imports": lambda t: {"file": (io.BytesIO(t.area_csv()), "vung-trong.csv")},
    "bulk.import_page": lambda t: {"kind": "areas", "step": "import", "file": (io.BytesIO(t.area_csv()), "vung.csv")},
}
QUERIES: dict[str, Any] = {
    "bulk_api.Imports": "?dry_run=false",
    "indicators_api.KeyCrops": "?province=25",
    "indicators_api.Indicators": "?province=25",
    "indicators_api.IndicatorsCsv": "?province=25",
    "indicators_api.IndicatorsXlsx": "?province=25",
    "indicators_api.IndicatorRecords": "?province=25",
    "indicators.records": "?province=25",
    "indicators.download": "?province=25",
    "check_api.Check": lambda t: f"?q={t.area.code}",
    "check.check": lambda t: f"?q={t.area.code}",
}
RECORD_ARGUMENTS = {"area_id", "subject_id", "lot_id", "product_id", "house_id", "model_id", "recall_id",
                    "certificate_id", "shipment_id", "organization_id"}  # fmt: skip
FRESH_SESSION = {"accounts.logout"}  # ends every session of its user: the module's are signed in again after it


@dataclass
class Scene:
    app: Any
    world: Any
    tokens: dict[str, str]
    digests: Digests
    clients: dict[str, Any] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)

    def sign_in(self, role: str) -> tuple[Any, str]:
        client = self.app.test_client()
        page = client.get("/login")
        if role != ANON:
            user = getattr(self.world, role)
            response = client.post(
                "/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": csrf_token(page)}
            )
            assert response.status_code == 302, response.get_data(as_text=True)
            page = client.get("/account/password")
        return client, csrf_token(page)


@pytest.fixture(scope="module")
def scene(app):
    with app.app_context():
        world = factories.build_world(_db.session)
        _db.session.commit()
        tokens = {role: create_token(_db.session, email=getattr(world, role).email) for role in ROLES if role != ANON}
        _db.session.commit()
        built = Scene(app, world, tokens, Digests())
        for role in ROLES:
            built.clients[role], built.csrf[role] = built.sign_in(role)
        try:
            yield built
        finally:
            built.digests.close()
            empty_database(app)


class Digests:
    """fingerprint(), taken again only once something has committed since the last one."""

    def __init__(self) -> None:
        self.commits = 0
        self.last: tuple[int, dict[str, str]] | None = None
        sa.event.listen(_db.engine, "commit", self._count)

    def _count(self, _conn) -> None:
        self.commits += 1

    def close(self) -> None:
        sa.event.remove(_db.engine, "commit", self._count)

    def take(self) -> dict[str, str]:
        if self.last is None or self.last[0] != self.commits:
            self.last = (self.commits, fingerprint())
        return self.last[1]


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table (but when a token was last used, which reading touches)."""
    if not _QUERIES:  # built once: SQLAlchemy then reuses their compiled form
        for table in _db.metadata.sorted_tables:
            if table.name in UNIT_TABLES:  # thousands of rows no route writes
                continue
            columns = [c for c in table.c if (table.name, c.name) != ("api_token", "last_used_at")]
            _QUERIES[table.name] = sa.select(*columns)
    with _db.engine.connect() as conn:
        return {
            name: hashlib.sha256(repr(sorted(map(repr, conn.execute(query)))).encode()).hexdigest()
            for name, query in _QUERIES.items()
        }


_QUERIES: dict[str, sa.Select] = {}


def send(scene: Scene, client, csrf: str, role: str, method: str, url: str, body: Any):
    headers = {"Accept-Language": "en"}
    if url.startswith("/api/"):
        if role != ANON:
            headers["Authorization"] = f"Bearer {scene.tokens[role]}"
        if method not in CHANGES or body is None:
            return client.open(url, method=method, headers=headers)
        if isinstance(body, bytes):
            return client.open(url, method=method, data=body, headers=headers, content_type="image/png")
        if any(isinstance(value, tuple) for value in body.values()):  # a file upload
            return client.open(url, method=method, data=body, headers=headers, content_type="multipart/form-data")
        return client.open(url, method=method, json=body, headers=headers)
    if method not in CHANGES:
        return client.open(url, method=method, headers=headers)
    form = dict(body or {})
    prefix = form.pop("_prefix", None)  # a form on a page of several: its fields, its token too, are prefixed
    form[f"{prefix}-csrf_token" if prefix else "csrf_token"] = csrf
    return client.open(url, method=method, data=form, headers=headers)


def verdict(response, *, role: str, allowed: bool, api: bool, own_record: bool, body_refers: bool) -> str | None:
    """None when the answer fits the rule, else what is wrong."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    if allowed:
        if status in (401, 403, 404, 405) or (status in (301, 302, 303) and "/login" in location):
            return f"refused ({status} {location}) although allowed"
        return None
    if role == ANON:
        expected = status == 401 if api else status == 302 and "/login" in location
        return None if expected else f"anonymous got {status} {location}, not {'401' if api else 'a sign-in redirect'}"
    if own_record and role == OTHER:
        return None if status == 404 else f"another organization's member got {status}, not 404"
    if status in (403, 404) or (body_refers and status == 422):
        return None
    return f"not refused: {status} {location}"


def cases():
    for endpoint, (read, change) in ROUTES.items():
        if read:
            yield pytest.param(endpoint, "read", id=f"{endpoint}-read")
        if change:
            yield pytest.param(endpoint, "change", id=f"{endpoint}-change")


@pytest.mark.parametrize(("endpoint", "kind"), list(cases()))
def test_who_may_read_and_who_may_change(scene, endpoint, kind, no_rate_limits):
    # Rate limits off: ~1,000 requests from one address would meet them, and a 429 would hide the rule under test
    # (the limits have their own tests in tests/registry/accounts/test_signin_hardening.py).
    rules = [r for r in scene.app.url_map.iter_rules() if r.endpoint == endpoint]
    assert rules, f"ROUTES names {endpoint}, which is no longer a route: remove it from the table"
    allowed_roles = RULES[ROUTES[endpoint][0 if kind == "read" else 1]]
    targets, digests = Targets(scene.world), scene.digests
    problems = []
    for rule in rules:
        methods = sorted(rule.methods & set(CHANGES)) if kind == "change" else ["GET"] if "GET" in rule.methods else []
        assert methods, f"ROUTES gives {endpoint} a {kind} rule but {rule.rule} has no such method"
        values = targets.url_values(endpoint, set(rule.arguments))
        query = QUERIES.get(endpoint, "")
        url = rule.build(values, append_unknown=False)[1] + (query(targets) if callable(query) else query)
        own_record = bool(RECORD_ARGUMENTS & set(rule.arguments))
        for method in methods:
            body_of = BODIES.get(endpoint)
            if isinstance(body_of, dict):
                body_of = body_of[method]
            assert kind == "read" or body_of is not None, f"BODIES has no body for {method} {rule.rule} ({endpoint})"
            # The refused first, while the record is as built; then those allowed, whose changes may follow.
            for role in sorted(ROLES, key=lambda r: r in allowed_roles):
                allowed = role in allowed_roles
                if endpoint in FRESH_SESSION:
                    client, csrf = scene.sign_in(role)
                else:
                    client, csrf = scene.clients[role], scene.csrf[role]
                body = body_of(targets) if body_of else None
                before = digests.take() if kind == "change" and not allowed else None
                response = send(scene, client, csrf, role, method, url, body)
                if endpoint in FRESH_SESSION and role != ANON:
                    scene.clients[role], scene.csrf[role] = scene.sign_in(role)
                wrong = verdict(
                    response,
                    role=role,
                    allowed=allowed,
                    api=url.startswith("/api/"),
                    own_record=own_record,
                    body_refers=endpoint in BODY_REFERS,
                )
                if before is not None and wrong is None:
                    after = digests.take()
                    changed = sorted(name for name in before if before[name] != after[name])
                    if changed:
                        wrong = f"refused with {response.status_code} but changed {changed}"
                if wrong:
                    text = response.get_data(as_text=True)
                    problems.append(f"{role} {method} {url}: {wrong} — {text[:300]!r}")
    assert problems == [], f"{endpoint} ({ROUTES[endpoint]}):\n" + "\n".join(problems)


def test_the_table_names_every_route_and_only_those(app):
    problems, endpoints = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        endpoints.add(rule.endpoint)
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if rule.endpoint not in ROUTES:
            problems.append(f"missing from ROUTES: {rule.endpoint} ({' '.join(sorted(methods))} {rule.rule})")
            continue
        read, change = ROUTES[rule.endpoint]
        if ("GET" in methods) != bool(read):
            problems.append(f"ROUTES[{rule.endpoint!r}] read rule {read!r} but {rule.rule} serves {sorted(methods)}")
        if bool(methods & set(CHANGES)) != bool(change):
            problems.append(
                f"ROUTES[{rule.endpoint!r}] change rule {change!r} but {rule.rule} serves {sorted(methods)}"
            )
        if methods & set(CHANGES) and rule.endpoint not in BODIES:
            problems.append(f"BODIES has no body for {rule.endpoint} ({rule.rule})")
    problems += [f"ROUTES names {e}, which is no longer a route" for e in sorted(ROUTES.keys() - endpoints)]
    problems += [f"BODIES names {e}, which changes nothing" for e in sorted(BODIES.keys() - endpoints)]
    assert problems == [], "\n".join(problems)
