"""Product photos: checked, resized and re-encoded before they are stored, so the public page stays light.

The upload is decoded with Pillow (anything it cannot read is refused), turned upright from its EXIF
orientation, shrunk to fit 480 x 480 and written as WebP. Metadata (EXIF, GPS) does not survive re-encoding.
The stored file is named by its content hash, so it can be cached for a year.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from registry.core.auth import Actor, require_writer
from registry.core.errors import ValidationError
from registry.core.guards import allow_upload
from registry.core.i18n import _l
from registry.products.models import Product, ProductImage
from registry.products.services import get_product

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIDE = 480
MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded
QUALITY = 72
MIME = "image/webp"


@dataclass(frozen=True)
class Prepared:
    data: bytes
    width: int
    height: int
    key: str


TOO_LARGE = _l("The image is larger than 5 MB.")
ENVELOPE = 64 * 1024  # what a multipart body adds around the file


def allow_uploads(*endpoints: str) -> None:
    """Lets these endpoints take a body up to the image limit; a larger one is a 422 on field "image"."""
    for endpoint in endpoints:
        allow_upload(endpoint, limit=MAX_UPLOAD_BYTES, envelope=ENVELOPE, field="image", message=TOO_LARGE)


def prepare(data: bytes) -> Prepared:
    """The stored form of an uploaded image; a ValidationError on field "image" if it is not one."""
    if not data:
        raise ValidationError({"image": [_l("Choose an image file.")]})
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"image": [TOO_LARGE]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        unreadable = _l("This file is not an image the registry can read (JPEG, PNG or WebP).")
        raise ValidationError({"image": [unreadable]}) from None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=4)
    encoded = out.getvalue()
    return Prepared(encoded, image.width, image.height, hashlib.sha256(encoded).hexdigest()[:16])


def set_image(session: Session, *, actor: Actor, product_id: int, data: bytes) -> Product:
    product = get_product(session, actor=actor, product_id=product_id)
    require_writer(actor, product.organization_id)
    prepared = prepare(data)
    row = session.get(ProductImage, product.id)
    if row is None:
        row = ProductImage(product_id=product.id)
        session.add(row)
    row.key, row.mime, row.data = prepared.key, MIME, prepared.data
    row.width, row.height = prepared.width, prepared.height
    product.image_key = prepared.key
    session.flush()
    return product


def remove_image(session: Session, *, actor: Actor, product_id: int) -> Product:
    product = get_product(session, actor=actor, product_id=product_id)
    require_writer(actor, product.organization_id)
    row = session.get(ProductImage, product.id)
    if row is not None:
        session.delete(row)
    product.image_key = None
    session.flush()
    return product


def stored(session: Session, product_id: int, key: str) -> ProductImage | None:
    """The public file, only under its current name: an old name is gone, so a replaced photo is not served."""
    row = session.get(ProductImage, product_id)
    return row if row is not None and row.key == key else None
