"""JSON API: Production diary of growing areas."""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.core.auth import require_api_token

blp = Blueprint("diary_api", __name__, url_prefix="/api/v1", description="Production diary of growing areas")
blp.before_request(require_api_token)
