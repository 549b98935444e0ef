"""JSON API: EPCIS 2.0 events: query and capture."""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.core.auth import require_api_token

blp = Blueprint("epcis_api", __name__, url_prefix="/api/v1", description="EPCIS 2.0 events: query and capture")
blp.before_request(require_api_token)
