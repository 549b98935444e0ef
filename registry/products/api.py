"""JSON API: /api/v1/products."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.errors import ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.core.web import page_args, paged
from registry.products import images, services
from registry.products.schemas import ProductCreateSchema, ProductSchema, ProductUpdateSchema

blp = Blueprint("products_api", __name__, url_prefix="/api/v1", description="Products and GTINs")
blp.before_request(require_api_token)


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

    @blp.arguments(ProductUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, ProductSchema)
    def patch(self, data, product_id):
        """Correct a product; its GTIN only while no lot of it exists"""
        product = services.update_product(db.session, actor=api_user(), product_id=product_id, **data)
        db.session.commit()
        return product


@blp.route("/products/<int:product_id>/image")
class ProductPhoto(MethodView):
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"image": {"type": "string", "format": "binary"}},
                        "required": ["image"],
                    }
                },
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    )
    @blp.response(200, ProductSchema)
    def put(self, product_id):
        """Upload the product's photo (multipart field "image", or the raw bytes as the body), at most 5 MB; the
        registry stores it resized to fit 480 px as WebP and answers the product with its image_url"""

        upload = request.files.get("image")
        data = upload.read() if upload is not None else request.get_data()
        if not data:
            raise ValidationError({"image": [_l("Choose an image file.")]})
        product = images.set_image(db.session, actor=api_user(), product_id=product_id, data=data)
        db.session.commit()
        return product

    @blp.response(200, ProductSchema)
    def delete(self, product_id):
        """Remove the product's photo"""
        product = images.remove_image(db.session, actor=api_user(), product_id=product_id)
        db.session.commit()
        return product


images.allow_uploads("products_api.ProductPhoto")
