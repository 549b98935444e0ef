"""The text a lot's QR label carries: a GS1 Digital Link URI, or a short link for products without a GTIN."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

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


CANONICAL_DL = "https://id.gs1.org"


def epc_class(lot: Lot, base_url: str) -> str:
    """The class a lot is known by in EPCIS: the canonical GS1 Digital Link (id.gs1.org) for a product with a
    GTIN, else the short link its label carries."""
    if lot.product.gtin:
        return CANONICAL_DL + digital_link_path(lot.product.gtin, lot.code)
    return base_url.rstrip("/") + short_link_path(lot.public_token)


_DL = re.compile(r"^/01/(\d{14})/10/([^/?#]+)/?$", re.ASCII)
_SHORT = re.compile(r"^/l/([A-Za-z0-9_-]{8,40})/?$")


def parse_lot_uri(uri: str) -> tuple[str, str] | tuple[str] | None:
    """("gtin", lot code) for a Digital Link with a lot on any host, ("token",) for a short link, else None.

    Any host: a partner who scanned a label holds the registry's own address, one who keys the GTIN holds
    id.gs1.org's; both name the same lot.
    """
    if not isinstance(uri, str) or len(uri) > 500:
        return None
    path = urlsplit(uri).path
    match = _DL.match(path)
    if match:
        return match.group(1), unquote(match.group(2))
    match = _SHORT.match(path)
    if match:
        return (match.group(1),)
    return None
