"""JSON API for imports and exports: /api/v1/imports/{kind}, its templates, and /api/v1/exports/{kind}.{ext}."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from bulk import downloads, service
from bulk.exports import EXPORT_KINDS, FILTERS
from bulk.table import FileRefused
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.guards import allow_upload
from registry.core.i18n import _l, current_language
from registry.core.schemas import OutputSchema

KINDS_ARG = ", ".join(f'"{k}"' for k in service.KINDS)
EXPORTS_ARG = ", ".join(f'"{k}"' for k in EXPORT_KINDS)

blp = Blueprint("bulk_api", __name__, url_prefix="/api/v1", description="Imports and exports (CSV, XLSX, GeoJSON, KML)")
blp.before_request(require_api_token)

IMPORT_KINDS = "|".join(service.KINDS)
ENVELOPE = 64 * 1024
TOO_LARGE = _l("The file is too large for an import; split it into smaller files.")


@blp.record_once
def _upload_limit(state) -> None:
    limit = int(state.app.config.get("IMPORT_MAX_CONTENT_LENGTH", service.DEFAULT_LIMIT))
    for endpoint in ("bulk_api.Imports", "bulk.import_page"):
        allow_upload(endpoint, limit=limit, envelope=ENVELOPE, field="file", message=TOO_LARGE, status=413)


class ImportErrorSchema(OutputSchema):
    row = fields.Integer(metadata={"description": "Row in its sheet; the header is row 1"})
    column = fields.String(metadata={"description": "Column key; households.* and certificates.* name the sheet"})
    message = fields.String(metadata={"description": "In the asker's language"})


class ImportResultSchema(OutputSchema):
    rows = fields.Integer(required=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    errors = fields.List(fields.Nested(ImportErrorSchema), required=True)


def _binary(*types: str) -> dict:
    return {t: {"schema": {"type": "string", "format": "binary"}} for t in types}


# A GeoJSON export is JSON (RFC 7946): a FeatureCollection whose features carry the columns as properties.
GEOJSON = {
    "schema": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "properties", "geometry"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "properties": {"type": "object"},
                        "geometry": {"type": "object", "nullable": True},
                    },
                },
            },
        },
    }
}


FILE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": ".csv or .xlsx; .geojson, .json, .kml or .kmz for geometries",
                    }
                },
            }
        }
    },
}


def dry_run_arg() -> bool:
    raw = (request.args.get("dry_run") or "false").strip().lower()
    if raw not in ("true", "false", "1", "0"):
        raise FileRefused(_l("dry_run is true or false."))
    return raw in ("true", "1")


@blp.route(f"/imports/<any({KINDS_ARG}):kind>")
class Imports(MethodView):
    @blp.doc(
        requestBody=FILE_BODY,
        parameters=[
            {
                "in": "query",
                "name": "dry_run",
                "schema": {"type": "string", "enum": ["true", "false"]},
                "description": "true: check every row and store nothing",
            },
        ],
    )
    @blp.response(200, ImportResultSchema, description="Checked (dry run) or imported: every row, nothing failed")
    @blp.alt_response(
        422, schema=ImportResultSchema, description="Rows with errors, each by row and column; nothing stored"
    )
    @blp.alt_response(
        400, response="DEFAULT_ERROR", description="Not a readable file, wrong headers, or no file sent; nothing stored"
    )
    @blp.alt_response(
        403,
        response="DEFAULT_ERROR",
        description="Inspectors read only; members import their own organization's records",
    )
    @blp.alt_response(
        413,
        response="DEFAULT_ERROR",
        description="Over the import size limit, too many rows, or a zip bomb; nothing stored",
    )
    @blp.alt_response(
        415, response="DEFAULT_ERROR", description="The file is not what its extension says; nothing stored"
    )
    def post(self, kind):
        """Import a file of records: all or nothing, idempotent by code; a dry run only reports"""
        dry_run = dry_run_arg()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise FileRefused(_l("Send the file in the multipart field “file”."))
        data = upload.read()
        try:
            result = service.run_import(db.session, kind, data, upload.filename, actor=api_user(), dry_run=dry_run)
        except Exception:
            db.session.rollback()
            raise
        if result["errors"] or dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        return result, (422 if result["errors"] else 200)


@blp.route('/imports/<any(areas, "packing-houses", organizations, lots):kind>/template.<any(csv, xlsx):ext>')
class ImportTemplate(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "The template, headers in the asker's language",
                "content": _binary(downloads.TYPES["csv"], downloads.TYPES["xlsx"]),
            }
        }
    )
    def get(self, kind, ext):
        """The published template of a kind; the XLSX one has a guide sheet with both headers"""
        return downloads.template(kind, ext, current_language())


EXPORT_PARAMETERS = sorted({name for names in FILTERS.values() for name in names})


@blp.route(f"/exports/<any({EXPORTS_ARG}):kind>.<any(csv, xlsx, geojson, kml):ext>")
class Exports(MethodView):
    @blp.doc(
        parameters=[
            {"in": "query", "name": name, "schema": {"type": "string"}, "description": "As the list's filter"}
            for name in EXPORT_PARAMETERS
        ],
        responses={
            "200": {
                "description": "The records the asker may see, under the list's filters",
                "content": {
                    **_binary(downloads.TYPES["csv"], downloads.TYPES["xlsx"], downloads.TYPES["kml"]),
                    downloads.TYPES["geojson"]: GEOJSON,
                },
            },
            "422": {
                "description": "An unknown filter or filter value",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        },
    )
    def get(self, kind, ext):
        """Export records as CSV, XLSX, GeoJSON or KML with the list's filters (areas: province, commune, crop, …)"""
        args = {k: v for k, v in request.args.items() if k != "lang"}
        return downloads.export(db.session, kind, ext, actor=api_user(), args=args, language=current_language())
