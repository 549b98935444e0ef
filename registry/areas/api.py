"""JSON API for growing areas: /api/v1/areas."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.areas import services
from registry.areas.schemas import AreaCreateSchema, AreaDetailSchema, AreaQueryArgsSchema, AreaSchema
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from registry.lifecycle.api import register_code_routes

blp = Blueprint("areas_api", __name__, url_prefix="/api/v1", description="Growing areas and their codes")
blp.before_request(require_api_token)


@blp.route("/areas")
class Areas(MethodView):
    @blp.arguments(AreaQueryArgsSchema, location="query")
    @blp.response(200, AreaSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Growing areas the caller may see"""
        result = services.list_areas(
            db.session, actor=api_user(), status=args.get("status"), **page_args(pagination_parameters)
        )
        return paged(result, pagination_parameters)

    @blp.arguments(AreaCreateSchema)
    @blp.response(201, AreaDetailSchema)
    def post(self, data):
        """Apply for a growing-area code; the area starts pending"""
        area = services.create_area(db.session, actor=api_user(), **data)
        db.session.commit()
        return area


@blp.route("/areas/<int:area_id>")
class AreaById(MethodView):
    @blp.response(200, AreaDetailSchema)
    def get(self, area_id):
        return services.get_area(db.session, actor=api_user(), area_id=area_id)


def _get_area(session, *, actor, subject_id):
    return services.get_area(session, actor=actor, area_id=subject_id)


register_code_routes(
    blp, path="/areas/<int:subject_id>", name="area", get_subject=_get_area, detail_schema=AreaDetailSchema
)
