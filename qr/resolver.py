"""GS1-conformant resolver behaviour (GS1-Conformant Resolver 1.2.0, GS1 Resolver CE v3 as the reference).

What a Digital Link request asks for, the links the registry holds for a product or a lot, the linkset document
(RFC 9264 JSON with a JSON-LD ``@context``), the ``Link`` header every answer carries, and the resolver's
description at ``/.well-known/gs1resolver``. The routes are in qr.views; this module decides, it does not load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from qr.digital_link import QUALIFIER_PATHS

VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
# Link types this registry answers, by their lower-cased compact name (matched case-insensitively).
DEFAULT = "gs1:defaultlink"
KNOWN = {
    "gs1:defaultlink": "defaultLink",
    "gs1:pip": "pip",
    "gs1:traceability": "traceability",
    "gs1:epcis": "epcis",
    "gs1:certificationinfo": "certificationInfo",
}
LINKSET_WORDS = {"all", "linkset"}
# Short names removed from URI Syntax 1.3 on; a path using them is a malformed Digital Link, not a site page.
REMOVED_SHORT_NAMES = {"gtin", "itip", "cpv", "lot", "ser", "sscc", "gln", "party", "gsrn", "grai", "giai", "gdti"}
LONG_NUMBER = re.compile(r"^\d{8,}$", re.ASCII)


def looks_like_digital_link(path: str) -> bool:
    """Whether a path that is no page of the site was meant as a Digital Link (a primary key's AI, a removed short
    name, or a bare identifier): such a path that does not parse is a 400, any other unknown path a 404."""
    for segment in path.strip("/").split("/"):
        lowered = segment.lower()
        if segment in QUALIFIER_PATHS or lowered in REMOVED_SHORT_NAMES or LONG_NUMBER.match(segment):
            return True
    return False


def requested_type(value: str | None) -> str | None:
    """The link type asked for, lower-cased and compact (``gs1:pip``), "linkset" for the linkset, or None for
    the default link. A full URI in GS1's vocabulary (``https://gs1.org/voc/pip``) means the same as its
    compact name."""
    if value is None or value.strip() == "":
        return None
    text = value.strip().lower()
    if text in LINKSET_WORDS:
        return "linkset"
    for prefix in ("https://gs1.org/voc/", "http://gs1.org/voc/", "https://ref.gs1.org/voc/"):
        if text.startswith(prefix):
            return "gs1:" + text[len(prefix) :]
    return text


@dataclass(frozen=True)
class Link:
    link_type: str  # compact and lower-cased, a key of KNOWN
    href: str
    title: str
    mime: str = "text/html"

    @property
    def relation(self) -> str:
        return VOC + KNOWN[self.link_type]


@dataclass(frozen=True)
class LinkSubject:
    """A product or a lot as the resolver knows it: its canonical URI (the anchor) and its links."""

    anchor: str
    links: tuple[Link, ...]

    def find(self, link_type: str) -> Link | None:
        for link in self.links:
            if link.link_type == link_type:
                return link
        return None

    def linkset_uri(self) -> str:
        return self.anchor + "?linkType=linkset"


def link_header(anchor: str) -> str:
    """RFC 8288: the linkset every answer points to, and the canonical URI of what was resolved."""
    return f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}", <{anchor}>; rel="owl:sameAs"'


CONTEXT = {
    "@vocab": "http://www.iana.org/assignments/relation/",
    "gs1": VOC,
    "anchor": "@id",
    "href": "@id",
    "linkset": "@graph",
    "title": "http://purl.org/dc/terms/title",
    "type": "http://purl.org/dc/terms/format",
    "hreflang": "http://purl.org/dc/terms/language",
}


def linkset(subject: LinkSubject, languages: list[str]) -> dict:
    """The linkset document: one context object, each relation a list of targets (RFC 9264 section 4.2)."""
    body: dict = {"anchor": subject.anchor}
    default = subject.find(DEFAULT)
    for link in subject.links:
        target = {"href": link.href, "title": link.title, "type": link.mime}
        if link.mime == "text/html":
            target["hreflang"] = list(languages)
        body.setdefault(link.relation, []).append(target)
    if default is not None:
        body[VOC + "defaultLinkMulti"] = [{"href": default.href, "title": default.title, "type": default.mime}]
    return {"@context": CONTEXT, "linkset": [body]}


def description(base_url: str, languages: list[str]) -> dict:
    """``/.well-known/gs1resolver``: what this resolver supports, in the shape GS1 Resolver CE publishes."""
    return {
        "name": "Growing-area registry GS1 resolver",
        "resolverRoot": base_url,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": VOC, "prefix": "gs1:"}],
        "linkTypes": ["gs1:" + name for name in KNOWN.values()],
        "linkTypeDefaultCanBeAll": False,
        "supportedContextValuesEnumerated": [],
        "supportedLanguages": list(languages),
        "validatesDigitalLinkSyntax": True,
        "linksetMediaType": LINKSET_TYPE,
        "qualifiers": {"01": ["22", "10", "21"]},
    }


def lot_subject(
    *,
    base_url: str,
    anchor: str,
    gtin: str | None,
    lot_id: int,
    area_code: str | None,
    titles: dict[str, str],
) -> LinkSubject:
    """A lot's links: its provenance page (served at its own URI), the product page, its trace, its EPCIS events
    (for partners holding a token) and, when it came from a coded area or house, that code's certificates."""
    links = [Link(DEFAULT, anchor, titles["default"])]
    if gtin:
        links.append(Link("gs1:pip", f"{base_url}/01/{gtin}", titles["pip"]))
    links.append(Link("gs1:traceability", anchor + "#trace", titles["traceability"]))
    links.append(Link("gs1:epcis", f"{base_url}/api/v1/lots/{lot_id}/epcis", titles["epcis"], "application/json"))
    if area_code:
        links.append(Link("gs1:certificationinfo", f"{base_url}/codes/{quote(area_code, safe='')}", titles["certs"]))
    return LinkSubject(anchor, tuple(links))


def product_subject(*, anchor: str, has_certificates: bool, titles: dict[str, str]) -> LinkSubject:
    """A product's links: its page (the default and the product information page) and its certificates there."""
    links = [Link(DEFAULT, anchor, titles["product"]), Link("gs1:pip", anchor, titles["product"])]
    if has_certificates:
        links.append(Link("gs1:certificationinfo", anchor + "#certificates", titles["certs"]))
    return LinkSubject(anchor, tuple(links))
