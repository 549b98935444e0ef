"""GET /api/v1/check?q=: what a code, GTIN or label URL is, and its status."""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.core.auth import require_api_token

blp = Blueprint("check_api", __name__, url_prefix="/api/v1", description="Check a code")
blp.before_request(require_api_token)
