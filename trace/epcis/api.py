"""JSON API: EPCIS 2.0 query and capture (the subset the registry needs, with GS1's parameter names)."""

from __future__ import annotations

import json

from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from registry.core.auth import api_user, require_api_token
from registry.core.db import paginate
from registry.core.errors import ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.core.schemas import InputSchema
from registry.core.web import checked_page
from trace.epcis import capture, export, query
from trace.epcis.schema import EVENT_TYPES
from trace.lots.services import get_lot

blp = Blueprint("epcis_api", __name__, url_prefix="/api/v1", description="EPCIS 2.0 events: query and capture")
blp.before_request(require_api_token)


class EventQueryArgs(InputSchema):
    EQ_bizStep = fields.String(metadata={"description": "Comma-separated CBV steps, bare or as URIs"})
    GE_eventTime = fields.String(metadata={"description": "ISO 8601 with offset; events at or after"})
    LT_eventTime = fields.String(metadata={"description": "ISO 8601 with offset; events before"})
    MATCH_epcClass = fields.String(metadata={"description": "Comma-separated classes, in quantityList"})
    MATCH_anyEPCClass = fields.String(metadata={"description": "Comma-separated classes, in any list"})
    page = fields.Integer(load_default=1, metadata={"minimum": 1})
    page_size = fields.Integer(load_default=100, metadata={"minimum": 1, "maximum": 100})


def _document(events, headers=None):
    response = jsonify(export.query_document(db.session, events, current_app.config["PUBLIC_BASE_URL"]))
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


EPCIS_DOCUMENT = {"type": "object", "description": "An EPCIS 2.0 EPCISQueryDocument (JSON-LD)"}


@blp.route("/epcis/events")
class Events(MethodView):
    @blp.arguments(EventQueryArgs, location="query")
    @blp.doc(
        responses={
            "200": {
                "description": "The events, oldest first",
                "content": {"application/json": {"schema": EPCIS_DOCUMENT}},
                "headers": {
                    "X-Pagination": {
                        "description": "total, total_pages, page and page_size, as JSON",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        name: {"type": "integer"}
                                        for name in ("total", "total_pages", "page", "page_size")
                                    },
                                    "required": ["total", "total_pages", "page", "page_size"],
                                    "additionalProperties": False,
                                }
                            }
                        },
                    }
                },
            }
        }
    )
    def get(self, args):
        """A SimpleEventQuery: an EPCISQueryDocument of the events the caller may see, oldest first"""
        size = args["page_size"]
        if not 1 <= size <= current_app.config["MAX_PAGE_SIZE"]:
            raise ValidationError({"page_size": [_l("From 1 to %(n)s.", n=current_app.config["MAX_PAGE_SIZE"])]})
        stmt = query.events_stmt(db.session, api_user(), args)
        page = paginate(db.session, stmt, page=checked_page(args["page"]), per_page=size)
        events = export.load_events(db.session, stmt.where(query.TraceEvent.id.in_([e.id for e in page.items])))
        pagination = {"total": page.total, "total_pages": page.pages, "page": page.page, "page_size": size}
        return _document(events, {"X-Pagination": json.dumps(pagination)})


@blp.route("/lots/<int:lot_id>/epcis")
class LotHistory(MethodView):
    @blp.doc(
        responses={
            "200": {"description": "The lot's history", "content": {"application/json": {"schema": EPCIS_DOCUMENT}}}
        }
    )
    def get(self, lot_id):
        """The lot's whole history as an EPCISQueryDocument: its events and those of its lineage, up and down"""
        lot = get_lot(db.session, actor=api_user(), lot_id=lot_id)
        return _document(export.load_events(db.session, query.lot_history_stmt(db.session, lot)))


@blp.route("/epcis/capture")
class Capture(MethodView):
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                media: {
                    "schema": {
                        "type": "object",
                        "description": "An EPCISDocument, or one EPCIS 2.0 event, valid against GS1's EPCIS 2.0 "
                        "JSON Schema; every event names lots and places the caller may record",
                        "properties": {"type": {"enum": ["EPCISDocument", *EVENT_TYPES]}},
                        "required": ["type"],
                    }
                }
                for media in ("application/ld+json", "application/json")
            },
        },
        responses={
            "201": {
                "description": "Every event stored",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "captured": {"type": "integer"},
                                "eventIDs": {"type": "array", "items": {"type": "string"}},
                            },
                            "required": ["captured", "eventIDs"],
                        }
                    }
                },
            }
        },
    )
    def post(self):
        """Capture an EPCISDocument (or one event) from a partner system: every event is stored, or none"""
        document = request.get_json(silent=True)
        if document is None:
            raise ValidationError({"document": [_l("Send an EPCIS 2.0 document as JSON (application/ld+json).")]})
        stored = capture.capture(db.session, actor=api_user(), document=document)
        db.session.commit()
        return jsonify({"captured": len(stored), "eventIDs": [e.epcis_id for e in stored]}), 201
