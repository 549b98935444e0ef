"""JSON API for packing houses: /api/v1/packing-houses, and their lifecycle (status, history, inspections)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from registry.lifecycle.api import register_code_routes
from registry.packing import services
from registry.packing.schemas import (
    PackingHouseCreateSchema,
    PackingHouseDetailSchema,
    PackingHouseQueryArgsSchema,
    PackingHouseSchema,
    PackingHouseUpdateSchema,
)

blp = Blueprint("packing_api", __name__, url_prefix="/api/v1", description="Packing houses and their codes")
blp.before_request(require_api_token)


@blp.route("/packing-houses")
class PackingHouses(MethodView):
    @blp.arguments(PackingHouseQueryArgsSchema, location="query")
    @blp.response(200, PackingHouseSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Packing houses the caller may see"""
        result = services.list_packing_houses(
            db.session, actor=api_user(), status=args.get("status"), **page_args(pagination_parameters)
        )
        return paged(result, pagination_parameters)

    @blp.arguments(PackingHouseCreateSchema)
    @blp.response(201, PackingHouseDetailSchema)
    def post(self, data):
        """Apply for a packing-house code; the house starts pending"""
        house = services.create_packing_house(db.session, actor=api_user(), **data)
        db.session.commit()
        return house


@blp.route("/packing-houses/<int:house_id>")
class PackingHouseById(MethodView):
    @blp.response(200, PackingHouseDetailSchema)
    def get(self, house_id):
        return services.get_packing_house(db.session, actor=api_user(), house_id=house_id)

    @blp.arguments(PackingHouseUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, PackingHouseDetailSchema)
    def patch(self, data, house_id):
        """Correct the record (owner or admin); the code and the status cannot be edited"""
        house = services.update_packing_house(db.session, actor=api_user(), house_id=house_id, changes=data)
        db.session.commit()
        return house


def _get_house(session, *, actor, subject_id):
    return services.get_packing_house(session, actor=actor, house_id=subject_id)


register_code_routes(
    blp,
    path="/packing-houses/<int:subject_id>",
    name="packing_house",
    get_subject=_get_house,
    detail_schema=PackingHouseDetailSchema,
)
