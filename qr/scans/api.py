"""GET /api/v1/scans/summary and GET /api/v1/scan-alerts."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from qr.scans import services
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.schemas import InputSchema, OutputSchema
from registry.core.web import page_args, paged

blp = Blueprint("scans_api", __name__, url_prefix="/api/v1", description="Scans of public pages and their alerts")
blp.before_request(require_api_token)


class SummaryArgsSchema(InputSchema):
    lot_id = fields.String(load_default=None, metadata={"description": "One lot (its id)."})
    product_id = fields.String(load_default=None, metadata={"description": "One product (its id)."})
    province = fields.String(load_default=None, metadata={"description": "A province code, e.g. 25."})
    date_from = fields.String(data_key="from", load_default=None, metadata={"description": "YYYY-MM-DD."})
    date_to = fields.String(data_key="to", load_default=None, metadata={"description": "YYYY-MM-DD, today by default."})


class DaySchema(OutputSchema):
    day = fields.Date()
    scans = fields.Integer()


class TopLotSchema(OutputSchema):
    lot_id = fields.Integer()
    lot_code = fields.String()
    scans = fields.Integer()


class SummarySchema(OutputSchema):
    scope = fields.Dict()
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    total = fields.Integer()
    days = fields.Method("_days")
    lots = fields.Method("_lots")

    def _days(self, s):
        return [{"day": d.isoformat(), "scans": n} for d, n in s.days]

    def _lots(self, s):
        return [{"lot_id": i, "lot_code": c, "scans": n} for i, c, n in s.lots]


class AlertArgsSchema(InputSchema):
    lot_id = fields.String(load_default=None, metadata={"description": "One lot (its id)."})
    province = fields.String(load_default=None, metadata={"description": "A province code, e.g. 25."})
    kind = fields.String(load_default=None, metadata={"description": "over_units, burst or many_places."})


class AlertSchema(OutputSchema):
    id = fields.Integer()
    kind = fields.String()
    lot_id = fields.Integer()
    lot_code = fields.Function(lambda a: a.lot.code)
    product_id = fields.Integer()
    organization_id = fields.Integer()
    province_code = fields.String(allow_none=True)
    scans = fields.Integer()
    places = fields.Integer(allow_none=True)
    threshold = fields.Integer()
    window_start = fields.DateTime(allow_none=True)
    detected_at = fields.DateTime()


@blp.route("/scans/summary")
class ScanSummary(MethodView):
    @blp.arguments(SummaryArgsSchema, location="query")
    @blp.response(200, SummarySchema)
    def get(self, args):
        """Scans per day (the last 30 days unless from/to say otherwise) of one lot, one product or one province,
        with the ten most scanned lots. A member sees only its organization's scans; the department sees all"""
        return services.summary(db.session, actor=api_user(), **args)


@blp.route("/scan-alerts")
class ScanAlerts(MethodView):
    @blp.arguments(AlertArgsSchema, location="query")
    @blp.response(200, AlertSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Alerts raised by scans, newest first: more scans of a lot than it has units, bursts, and scans from
        many places at once. A member sees its organization's; the department sees all"""
        result = services.list_alerts(db.session, actor=api_user(), **args, **page_args(pagination_parameters))
        return paged(result, pagination_parameters)
