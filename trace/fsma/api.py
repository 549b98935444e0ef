"""JSON API: FSMA 204 sortable spreadsheet."""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.core.auth import require_api_token

blp = Blueprint("fsma_api", __name__, url_prefix="/api/v1", description="FSMA 204 sortable spreadsheet")
blp.before_request(require_api_token)
