"""JSON API: /api/v1/organizations."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from registry.organizations import services
from registry.organizations.schemas import OrganizationCreateSchema, OrganizationSchema, OrganizationUpdateSchema

blp = Blueprint("organizations_api", __name__, url_prefix="/api/v1", description="Cooperatives and enterprises")
blp.before_request(require_api_token)


@blp.route("/organizations")
class Organizations(MethodView):
    @blp.response(200, OrganizationSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Organizations the caller may see"""
        result = services.list_organizations(db.session, actor=api_user(), **page_args(pagination_parameters))
        return paged(result, pagination_parameters)

    @blp.arguments(OrganizationCreateSchema)
    @blp.response(201, OrganizationSchema)
    def post(self, data):
        """Register a cooperative or enterprise (department only)"""
        org = services.create_organization(db.session, actor=api_user(), **data)
        db.session.commit()
        return org


@blp.route("/organizations/<int:organization_id>")
class OrganizationById(MethodView):
    @blp.response(200, OrganizationSchema)
    def get(self, organization_id):
        return services.get_organization(db.session, actor=api_user(), organization_id=organization_id)

    @blp.arguments(OrganizationUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, OrganizationSchema)
    def patch(self, data, organization_id):
        """Correct an organization (the admin; a member for its own name, address and phone)"""
        org = services.update_organization(db.session, actor=api_user(), organization_id=organization_id, **data)
        db.session.commit()
        return org
