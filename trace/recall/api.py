"""JSON API: Recalls."""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.core.auth import require_api_token

blp = Blueprint("recall_api", __name__, url_prefix="/api/v1", description="Recalls")
blp.before_request(require_api_token)
