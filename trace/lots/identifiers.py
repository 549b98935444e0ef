"""The text a lot's QR label carries: a GS1 Digital Link URI, or a short link for products without a GTIN."""

from __future__ import annotations

from urllib.parse import quote

from trace.lots.models import Lot


def digital_link_path(gtin: str, lot_code: str) -> str:
    # Everything outside RFC 3986's unreserved set is percent-encoded, e.g. "/" becomes %2F.
    return f"/01/{gtin}/10/{quote(lot_code, safe='-._~')}"


def short_link_path(token: str) -> str:
    return f"/l/{token}"


def label_path(lot: Lot) -> str:
    if lot.product.gtin:
        return digital_link_path(lot.product.gtin, lot.code)
    return short_link_path(lot.public_token)


def label_uri(lot: Lot, base_url: str) -> str:
    """Uncompressed Digital Link with no query string, as printed on consumer labels."""
    return base_url.rstrip("/") + label_path(lot)
