"""JSON API: GET /api/v1/audit, the trail, for the department."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.audit import services
from registry.audit.schemas import AuditEntrySchema, AuditQueryArgsSchema
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged

blp = Blueprint("audit_api", __name__, url_prefix="/api/v1", description="The audit trail (department only)")
blp.before_request(require_api_token)


@blp.route("/audit")
class Audit(MethodView):
    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.alt_response(401, response="DEFAULT_ERROR", description="No valid API token")
    @blp.alt_response(403, response="DEFAULT_ERROR", description="Members may not read the trail")
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Entries of the audit trail, newest first, for one kind of record (table name) or one record"""
        result = services.list_entries(db.session, actor=api_user(), **args, **page_args(pagination_parameters))
        return paged(result, pagination_parameters)
