"""GET /api/v1/check?q=: what a code, GTIN or label URL is, and its status."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from qr import check as service
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.schemas import InputSchema, OutputSchema

blp = Blueprint("check_api", __name__, url_prefix="/api/v1", description="Check a code")
blp.before_request(require_api_token)


class CheckArgsSchema(InputSchema):
    q = fields.String(
        load_default="",
        metadata={
            "description": "A growing-area or packing-house code, a GTIN, or a label's URL "
            "(GS1 Digital Link https://host/01/<gtin>/10/<lot>, short link https://host/l/<token>, or their path).",
            "example": "VN-25-07999-001",
        },
    )


class CheckOrganizationSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()


class CheckHistoryEntrySchema(OutputSchema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = fields.String(allow_none=True)
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    inspection_id = fields.Integer(allow_none=True)


class CheckClaimSchema(OutputSchema):
    kind = fields.String()
    id = fields.Integer()
    name = fields.String()
    claimed_code = fields.String()
    status = fields.String()
    organization = fields.Nested(CheckOrganizationSchema)
    url = fields.String(allow_none=True)


class CheckProductSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    gtin = fields.String(allow_none=True)


class CheckResultSchema(OutputSchema):
    kind = fields.String(metadata={"enum": ["growing_area", "packing_house", "product", "lot"]})
    kind_label = fields.String()
    id = fields.Integer()
    status = fields.String(
        allow_none=True,
        metadata={
            "description": "The code's status; for a lot 'voided', 'recalled' or its growing area's status; none for a product."
        },
    )
    status_label = fields.String(allow_none=True)
    organization = fields.Nested(CheckOrganizationSchema)
    url = fields.String(allow_none=True, metadata={"description": "The record's page."})
    code = fields.String(allow_none=True)
    name = fields.String()
    history = fields.List(fields.Nested(CheckHistoryEntrySchema))
    label = fields.String(metadata={"description": "A one-line human summary, in the request's language."})
    claimed = fields.Boolean(metadata={"description": "The code is only claimed by a pending application."})
    claims = fields.List(
        fields.Nested(CheckClaimSchema), metadata={"description": "Pending applications claiming the code."}
    )
    area_code = fields.String(allow_none=True)
    area_url = fields.String(allow_none=True)
    product = fields.Nested(CheckProductSchema)
    harvest_date = fields.Date()
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
    recalled = fields.Boolean(allow_none=True, metadata={"description": "A lot: an open recall reaches it"})
    phi_override_reason = fields.String(
        allow_none=True,
        metadata={"description": "A lot harvested inside a pre-harvest interval: the department's reason"},
    )


@blp.route("/check")
class Check(MethodView):
    @blp.arguments(CheckArgsSchema, location="query")
    @blp.response(200, CheckResultSchema)
    @blp.alt_response(404, description="Nothing matches")
    @blp.alt_response(422, description="Empty query")
    def get(self, args):
        """What a code, GTIN or label URL is: its kind, status, owner and history (department only)"""
        return service.check(db.session, actor=api_user(), q=args["q"])
