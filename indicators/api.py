"""GET /api/v1/indicators, /indicators/{code}/records, /indicators.xlsx and .csv; GET and PUT the key products."""

from __future__ import annotations

import datetime as dt

from flask import Response, current_app, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from indicators import key_crops as key_crop_services
from indicators import report as report_files
from indicators import services
from indicators.compute import RECORD_SETS
from registry.core.auth import api_user, require_api_token
from registry.core.errors import ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l, text
from registry.core.schemas import InputSchema, OutputSchema
from registry.core.web import checked_page
from registry.products.crops import CROPS
from registry.units.services import get_province

blp = Blueprint(
    "indicators_api", __name__, url_prefix="/api/v1",
    description="KT-1..3 and the registry's figures, the records behind them, and the report",
)  # fmt: skip
blp.before_request(require_api_token)


class ScopeArgsSchema(InputSchema):
    province = fields.String(load_default=None, metadata={"description": "Province code, e.g. 25 (Phú Thọ)."})
    period = fields.String(
        load_default=None, metadata={"description": "A year, YYYY. Without it and from/to: this year."}
    )
    date_from = fields.String(data_key="from", load_default=None, metadata={"description": "YYYY-MM-DD, with to."})
    date_to = fields.String(data_key="to", load_default=None, metadata={"description": "YYYY-MM-DD, with from."})
    organization = fields.String(
        load_default=None,
        metadata={"description": "One organization's own figures (its id). A member always gets its own."},
    )


class RecordArgsSchema(ScopeArgsSchema):
    set = fields.String(load_default="denominator", metadata={"enum": list(RECORD_SETS)})
    page = fields.Integer(load_default=1)
    page_size = fields.Integer(load_default=25)


SCOPE_KEYS = ("province", "period", "from", "to", "organization")


class FigureSchema(OutputSchema):
    code = fields.String()
    name = fields.Function(lambda f: text(f.indicator.name))
    value = fields.Raw(allow_none=True, metadata={"type": "number", "nullable": True})
    numerator = fields.Raw(allow_none=True, metadata={"type": "number", "nullable": True})
    denominator = fields.Raw(allow_none=True, metadata={"type": "number", "nullable": True})
    target = fields.Function(lambda f: f.indicator.target, metadata={"type": "number", "nullable": True})
    gap = fields.Raw(allow_none=True, metadata={"type": "number", "nullable": True})
    unit = fields.Function(report_files.unit_of)
    rule = fields.Function(lambda f: text(f.indicator.rule))
    note = fields.Function(lambda f: text(f.indicator.note) if f.indicator.note else None)
    unavailable = fields.Function(lambda f: text(f.unavailable) if f.unavailable is not None else None)
    breakdowns = fields.Function(
        lambda f: {
            g: [{"key": k, "numerator": n, "denominator": d} for k, n, d in rows] for g, rows in f.breakdowns.items()
        }  # fmt: skip
    )
    trend = fields.Function(lambda f: [{"month": m, "value": v} for m, v in f.trend])
    records_url = fields.Method("_records_url")

    def _records_url(self, figure):
        query = {k: v for k, v in request.args.items() if k in SCOPE_KEYS and v}
        return url_for("indicators_api.IndicatorRecords", code=figure.code, **query)


class RecordsSchema(OutputSchema):
    code = fields.Function(lambda p: p.indicator.code)
    set = fields.String(attribute="which")
    numerator = fields.Function(lambda p: p.totals.numerator, metadata={"type": "number"})
    denominator = fields.Function(lambda p: p.totals.denominator, metadata={"type": "number"})
    records_counted = fields.Function(lambda p: p.totals.counted)
    records_total = fields.Function(lambda p: p.totals.records)
    total = fields.Integer(metadata={"description": "Records in the chosen set."})
    page = fields.Integer()
    page_size = fields.Integer(attribute="per_page")
    pages = fields.Integer()
    items = fields.Function(
        lambda p: [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in item.items()} for item in p.items],
        metadata={"type": "array", "items": {"type": "object"}},
    )


def _report(args: dict, *, trend: bool = True):
    return services.report(db.session, actor=api_user(), trend=trend, **args)


@blp.route("/indicators")
class Indicators(MethodView):
    @blp.arguments(ScopeArgsSchema, location="query")
    @blp.response(200, FigureSchema(many=True))
    def get(self, args):
        """KT-1, KT-2 (by commune, and by pre-2025 district where a mapping is loaded) and KT-3, then the registry's
        figures, for a province and a period. Each comes with its rule, target, breakdowns, monthly trend and the
        link to its records. A member gets its own organization's figures; another organization's are 404"""
        return _report(args).figures


@blp.route("/indicators/<code>/records")
class IndicatorRecords(MethodView):
    @blp.arguments(RecordArgsSchema, location="query")
    @blp.response(200, RecordsSchema)
    def get(self, args, code):
        """The records behind one indicator: every record of the denominator (set=denominator), only those in the
        numerator (numerator), or those left out, each with the reason (excluded). Paginated"""
        page = checked_page(args.pop("page"))
        size = max(1, min(args.pop("page_size"), current_app.config["MAX_PAGE_SIZE"]))
        which = args.pop("set")
        return services.records(db.session, actor=api_user(), code=code, which=which, page=page, per_page=size, **args)


def _download(args: dict, ext: str) -> Response:
    return report_files.download(_report(args, trend=False), ext)


def _doc(mimetype: str) -> dict:
    return {"200": {"description": "One row per indicator", "content": {mimetype: {}}},
            "404": {"description": "Not found"}, "422": {"description": "Bad province or period"}}  # fmt: skip


@blp.route("/indicators.xlsx")
class IndicatorsXlsx(MethodView):
    @blp.arguments(ScopeArgsSchema, location="query")
    @blp.doc(responses=_doc(report_files.XLSX_TYPE))
    def get(self, args):
        """The provincial report (XLSX): indicator, target, value, numerator, denominator, rule, date of the data"""
        return _download(args, "xlsx")


@blp.route("/indicators.csv")
class IndicatorsCsv(MethodView):
    @blp.arguments(ScopeArgsSchema, location="query")
    @blp.doc(responses=_doc("text/csv"))
    def get(self, args):
        """The provincial report (CSV, UTF-8 with BOM), the same rows as the XLSX"""
        return _download(args, "csv")


class KeyCropArgsSchema(InputSchema):
    province = fields.String(required=True, metadata={"description": "A province code, e.g. 25 (Phú Thọ)"})


class KeyCropBodySchema(InputSchema):
    crops = fields.List(
        fields.String(metadata={"enum": list(CROPS)}),
        required=True,
        metadata={"description": "The province's key crops, each once", "example": ["tea", "pomelo", "banana"]},
    )


class KeyCropsSchema(OutputSchema):
    province = fields.String()
    crops = fields.List(fields.String())


@blp.route("/indicators/key-crops")
class KeyCrops(MethodView):
    @blp.arguments(KeyCropArgsSchema, location="query")
    @blp.response(200, KeyCropsSchema)
    def get(self, args):
        """The province's key products (nông sản chủ lực), which KT-2 and the key-crop share count"""
        province = get_province(db.session, args["province"])
        if province is None:
            raise ValidationError({"province": [_l("There is no province with code %(code)s.", code=args["province"])]})
        return {"province": province.code, "crops": key_crop_services.key_crops(db.session, province.code)}

    @blp.arguments(KeyCropArgsSchema, location="query")
    @blp.arguments(KeyCropBodySchema)
    @blp.response(200, KeyCropsSchema)
    def put(self, args, body):
        """Name the province's key products (the department). Replaces the list"""
        crops = key_crop_services.set_key_crops(
            db.session, actor=api_user(), province=args["province"], crops=body["crops"]
        )
        db.session.commit()
        return {"province": args["province"].zfill(2), "crops": crops}
