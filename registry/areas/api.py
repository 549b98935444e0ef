"""JSON API for growing areas: /api/v1/areas."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.areas import record, services
from registry.areas.schemas import (
    AreaCreateSchema,
    AreaDetailSchema,
    AreaQueryArgsSchema,
    AreaSchema,
    AreaUpdateSchema,
    CertificateInputSchema,
    CertificateSchema,
    HouseholdInputSchema,
    HouseholdSchema,
    SeasonInputSchema,
    SeasonSchema,
)
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
        """Growing areas the caller may see, filtered by province, commune (typed text), crop, organization, status"""
        result = services.list_areas(db.session, actor=api_user(), **args, **page_args(pagination_parameters))
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
        """The area's record; `households` is a count (the list is at …/households)"""
        return services.get_area(db.session, actor=api_user(), area_id=area_id)

    @blp.arguments(AreaUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, AreaDetailSchema)
    def patch(self, data, area_id):
        """Correct the record (owner or admin). The issued code and the status are not edited here"""
        area = services.update_area(db.session, actor=api_user(), area_id=area_id, changes=data)
        db.session.commit()
        return area


@blp.route("/areas/<int:area_id>/households")
class AreaHouseholds(MethodView):
    @blp.response(200, HouseholdSchema(many=True))
    def get(self, area_id):
        """Households farming the area. Private: the owner and the department only"""
        return record.list_households(db.session, actor=api_user(), area_id=area_id)

    @blp.arguments(HouseholdInputSchema)
    @blp.response(201, HouseholdSchema)
    def post(self, data, area_id):
        """Add a household; the plots may not add up to more than the area"""
        row = record.add_household(db.session, actor=api_user(), area_id=area_id, **data)
        db.session.commit()
        return row


@blp.route("/areas/<int:area_id>/certificates")
class AreaCertificates(MethodView):
    @blp.response(200, CertificateSchema(many=True))
    def get(self, area_id):
        """GAP certificates (VietGAP, GlobalGAP, organic), with whether each is valid today"""
        return record.list_certificates(db.session, actor=api_user(), area_id=area_id)

    @blp.arguments(CertificateInputSchema)
    @blp.response(201, CertificateSchema)
    def post(self, data, area_id):
        """Record a GAP certificate"""
        row = record.add_certificate(db.session, actor=api_user(), area_id=area_id, **data)
        db.session.commit()
        return row


@blp.route("/areas/<int:area_id>/seasons")
class AreaSeasons(MethodView):
    @blp.response(200, SeasonSchema(many=True))
    def get(self, area_id):
        """Seasons: expected harvest window, target market, actual yield"""
        return record.list_seasons(db.session, actor=api_user(), area_id=area_id)

    @blp.arguments(SeasonInputSchema)
    @blp.response(201, SeasonSchema)
    def post(self, data, area_id):
        """Record a season"""
        row = record.add_season(db.session, actor=api_user(), area_id=area_id, **data)
        db.session.commit()
        return row


def _get_area(session, *, actor, subject_id):
    return services.get_area(session, actor=actor, area_id=subject_id)


register_code_routes(
    blp, path="/areas/<int:subject_id>", name="area", get_subject=_get_area, detail_schema=AreaDetailSchema
)
