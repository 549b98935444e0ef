"""JSON API for packing houses: /api/v1/packing-houses."""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.core.auth import require_api_token

blp = Blueprint("packing_api", __name__, url_prefix="/api/v1", description="Packing houses and their codes")
blp.before_request(require_api_token)
