"""JSON API for the registry: /api/v1/units, /organizations, /areas, /products."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from registry import services
from registry.auth import api_user, require_api_token
from registry.extensions import db
from registry.schemas import (
    AreaCreateSchema,
    AreaDetailSchema,
    AreaQueryArgsSchema,
    AreaSchema,
    AreaStatusInputSchema,
    CommuneQueryArgsSchema,
    CommuneSchema,
    OrganizationCreateSchema,
    OrganizationSchema,
    ProductCreateSchema,
    ProductSchema,
    ProvinceSchema,
)

blp = Blueprint(
    "registry_api", __name__, url_prefix="/api/v1", description="Units, organizations, growing areas, products"
)
blp.before_request(require_api_token)


def page_args(pagination_parameters) -> dict:
    size = min(pagination_parameters.page_size, current_app.config["MAX_PAGE_SIZE"])
    return {"page": pagination_parameters.page, "per_page": size}


def paged(result, pagination_parameters):
    pagination_parameters.item_count = result.total
    return result.items


@blp.route("/provinces")
class Provinces(MethodView):
    @blp.response(200, ProvinceSchema(many=True))
    def get(self):
        """The 34 provinces after the July 2025 reform"""
        return services.list_provinces(db.session)


@blp.route("/communes")
class Communes(MethodView):
    @blp.arguments(CommuneQueryArgsSchema, location="query")
    @blp.response(200, CommuneSchema(many=True))
    def get(self, args):
        """Communes and wards, optionally of one province"""
        return services.list_communes(db.session, province_code=args.get("province_code"))


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


@blp.route("/areas/<int:area_id>/status")
class AreaStatus(MethodView):
    @blp.arguments(AreaStatusInputSchema)
    @blp.response(200, AreaDetailSchema)
    def post(self, data, area_id):
        """Activate, suspend or revoke a code (department only). Activation issues a code if the area has none."""
        area = services.change_area_status(db.session, actor=api_user(), area_id=area_id, **data)
        db.session.commit()
        return area


@blp.route("/products")
class Products(MethodView):
    @blp.response(200, ProductSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        result = services.list_products(db.session, actor=api_user(), **page_args(pagination_parameters))
        return paged(result, pagination_parameters)

    @blp.arguments(ProductCreateSchema)
    @blp.response(201, ProductSchema)
    def post(self, data):
        """Register a product, with an optional GTIN"""
        product = services.create_product(db.session, actor=api_user(), **data)
        db.session.commit()
        return product


@blp.route("/products/<int:product_id>")
class ProductById(MethodView):
    @blp.response(200, ProductSchema)
    def get(self, product_id):
        return services.get_product(db.session, actor=api_user(), product_id=product_id)
