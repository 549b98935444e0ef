"""JSON API: /api/v1/provinces and /api/v1/communes."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import require_api_token
from registry.core.extensions import db
from registry.units import services
from registry.units.schemas import CommuneQueryArgsSchema, CommuneSchema, ProvinceSchema

blp = Blueprint("units_api", __name__, url_prefix="/api/v1", description="Provinces and communes after July 2025")
blp.before_request(require_api_token)


@blp.route("/provinces")
class Provinces(MethodView):
    @blp.response(200, ProvinceSchema(many=True))
    def get(self):
        """The 34 provinces after the July 2025 reform, in Vietnamese order"""
        return services.list_provinces(db.session)


@blp.route("/communes")
class Communes(MethodView):
    @blp.arguments(CommuneQueryArgsSchema, location="query")
    @blp.response(200, CommuneSchema(many=True))
    def get(self, args):
        """Communes and wards, optionally of one province or matching a search"""
        return services.list_communes(db.session, province_code=args.get("province_code"), q=args.get("q"))
