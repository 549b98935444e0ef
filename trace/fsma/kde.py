"""The Key Data Elements as the spreadsheet spells them: lot codes, units, places, documents and parties.

Every text is English, as the FDA reads it, except the registry's own names of places and products.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import force_locale

from registry.organizations.models import Organization
from registry.products.crops import CROPS
from trace.lots.identifiers import parse_lot_uri
from trace.lots.models import Lot

UNITS = {"KGM": "kg", "TNE": "t", "H87": "pieces"}
DOCUMENTS = {
    "invoice": "Invoice",
    "bill_of_lading": "Bill of lading",
    "purchase_order": "Purchase order",
    "despatch_advice": "Despatch advice",
    # CBV business transaction types a partner's document names
    "inv": "Invoice",
    "bol": "Bill of lading",
    "po": "Purchase order",
    "desadv": "Despatch advice",
}
CBV_PREFIXES = (
    "https://ref.gs1.org/cbv/BTT-",
    "https://ref.gs1.org/cbv/SDT-",
    "urn:epcglobal:cbv:btt:",
    "urn:epcglobal:cbv:sdt:",
)
PARTY_TYPES = ("owning_party", "possessing_party", "location")


def tlc(lot: Lot) -> str:
    """The traceability lot code: the GS1 element string (01) GTIN (10) lot for a product with a GTIN, else
    the lot code as its label prints it."""
    gtin = lot.product.gtin
    return f"(01){gtin.zfill(14)}(10){lot.code}" if gtin else lot.code


def class_tlc(epc_class: str) -> str:
    """A partner's lot named only by its EPCIS class: its element string when it is a Digital Link."""
    parsed = parse_lot_uri(epc_class)
    return f"(01){parsed[0]}(10){parsed[1]}" if parsed and len(parsed) == 2 else epc_class


def unit_name(code: str | None) -> str:
    return UNITS.get(code or "", code or "")


def describe(place: Any) -> str:
    """A location description: name, address, commune, province, country, and the registry's code for it
    (an area's or packing house's code, an organization's tax code)."""
    if place is None:
        return ""
    parts = [place.name]
    if getattr(place, "address", None):
        parts.append(place.address)
    if place.commune is not None:
        parts += [place.commune.name, place.commune.province.name]
    parts.append("Viet Nam")
    text = ", ".join(parts)
    if isinstance(place, Organization):
        return f"{text} (tax code {place.tax_code})"
    return f"{text} (code {place.code})" if place.code else text


def product_description(lot: Lot) -> str:
    crop = CROPS.get(lot.product.crop)
    with force_locale("en"):
        crop_name = str(crop.name) if crop is not None else lot.product.crop
    return f"{lot.product.name} ({crop_name})"


def bare(value: Any) -> str:
    text = str(value or "")
    for prefix in CBV_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def party(entries: Any, key: str) -> str:
    """A partner's source or destination: its owning party, else possessing party, else location."""
    found = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get(key), str):
            found.setdefault(bare(entry.get("type")), entry[key])
    return next((found[t] for t in PARTY_TYPES if t in found), next(iter(found.values()), ""))


def _number(value: Decimal) -> str:
    """1200.000 -> "1200", 12.50 -> "12.5": no trailing zeros, never an exponent."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_quantity(value: Decimal | None) -> str:
    return "" if value is None else _number(value)
