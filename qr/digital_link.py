"""GS1 Digital Link URI parsing (URI Syntax 1.x), as a GS1-conformant resolver needs it.

A URI is a scheme and host, an optional path stem, then a primary key and its qualifiers as path segments
(`/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}`), then data attributes in the query string (`?17=261231`).
Every AI and value is checked against GS1's table (from biip); keys with a check digit are checked; a
qualifier must follow its key in the standard order, and appears in the path, never in the query; no AI
appears twice. `element_string()` gives the parsed data in ^-FNC1 notation, as GS1's reference parser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from biip.checksums import gs1_standard_check_digit
from biip.gs1_application_identifiers import _GS1_APPLICATION_IDENTIFIERS as AIS  # GS1's AI table, as biip ships it

# Primary keys and the orders their qualifiers may follow (GS1 Digital Link URI Syntax, table of key qualifiers).
QUALIFIER_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "01": (("22", "10", "21"), ("235",)),
    "8006": (("22", "10", "21"),),
    "8013": (("7040",),),
    "8010": (("8011",),),
    "414": (("254",), ("7040",)),
    "417": (("7040",),),
    "8017": (("8019",),),
    "8018": (("8019",),),
    "8004": (("7040",),),
    "00": (),
    "253": (),
    "255": (),
    "401": (),
    "402": (),
    "8003": (),
}
# Keys whose value carries a GS1 mod-10 check digit, and how many leading digits it covers.
CHECKED = {"00": 18, "01": 14, "02": 14, "414": 13, "417": 13, "8006": 14, "8017": 18, "8018": 18, "253": 13,
           "410": 13, "411": 13, "412": 13, "413": 13, "415": 13, "416": 13, "8001": 0}  # fmt: skip
SCHEMES = {"http", "https", "HTTP", "HTTPS"}
HOST = re.compile(r"^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$")
FORBIDDEN = re.compile(r"[\x00-\x20<>{}\\^`\"|]")


class DigitalLinkError(ValueError):
    """Not a valid GS1 Digital Link URI; the message says why."""


@dataclass(frozen=True)
class DigitalLink:
    key: tuple[str, str]
    qualifiers: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    params: dict[str, str] = field(default_factory=dict)  # query parameters that are not AIs (linkType, ...)

    def value(self, ai: str) -> str | None:
        for code, value in (self.key, *self.qualifiers, *self.attributes):
            if code == ai:
                return value
        return None

    def element_string(self) -> str:
        """^-FNC1 notation: a leading ^, and ^ after every AI that needs a separator, unless it comes last."""
        pairs = (self.key, *self.qualifiers, *self.attributes)
        out = "^"
        for i, (ai, value) in enumerate(pairs):
            out += ai + value
            if AIS[ai].separator_required and i < len(pairs) - 1:
                out += "^"
        return out


def _value(ai: str, value: str) -> str:
    definition = AIS.get(ai)
    if definition is None:
        raise DigitalLinkError(f"({ai}) is not a GS1 Application Identifier")
    if not value:
        raise DigitalLinkError(f"({ai}) has no value")
    if not re.fullmatch(definition.pattern, ai + value):
        raise DigitalLinkError(f"({ai}) value {value!r} does not fit {definition.format}")
    digits = CHECKED.get(ai)
    if digits:
        body = value[:digits]
        if str(gs1_standard_check_digit(body[:-1])) != body[-1]:
            raise DigitalLinkError(f"({ai}) value {value!r} has a wrong check digit")
    return value


def _decode(segment: str) -> str:
    decoded = unquote(segment, errors="strict")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        raise DigitalLinkError("control characters are not allowed")
    return decoded


def _path_pairs(segments: list[str]) -> tuple[tuple[str, str], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The key and qualifiers at the end of the path, after any stem; the longest reading that fits wins."""
    for count in range(len(segments) // 2, 0, -1):
        tail = segments[len(segments) - 2 * count :]
        pairs = [(tail[i], tail[i + 1]) for i in range(0, len(tail), 2)]
        key, rest = pairs[0], pairs[1:]
        if key[0] not in QUALIFIER_PATHS:
            continue
        codes = tuple(ai for ai, _ in rest)
        fitting = [p for p in QUALIFIER_PATHS[key[0]] if _in_order(codes, p)]
        if codes and not fitting:
            continue
        return key, tuple(rest), _compatible(key[0], codes)
    raise DigitalLinkError("the path holds no GS1 primary key")


def _in_order(codes: tuple[str, ...], path: tuple[str, ...]) -> bool:
    position = 0
    for code in codes:
        try:
            position = path.index(code, position) + 1
        except ValueError:
            return False
    return True


def _compatible(key: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Qualifiers that still could have been in the path: they may not come as query attributes."""
    return tuple(q for p in QUALIFIER_PATHS[key] if _in_order(codes, p) for q in p)


def parse_path(path: str, query: str = "") -> DigitalLink:
    """Parse the path and query of a Digital Link (as the resolver's route receives them)."""
    if FORBIDDEN.search(path) or FORBIDDEN.search(query):
        raise DigitalLinkError("characters not allowed in a URI")
    if not path.startswith("/") or path.endswith("/") or "//" in path:
        raise DigitalLinkError("empty path segment")
    segments = [_decode(s) for s in path[1:].split("/")]
    key, qualifiers, reserved = _path_pairs(segments)
    seen = {key[0]}
    _value(*key)
    for ai, value in qualifiers:
        if ai in seen:
            raise DigitalLinkError(f"({ai}) appears twice")
        seen.add(ai)
        _value(ai, value)
    attributes, params = [], {}
    for item in query.split("&"):
        if not item or "=" not in item:
            continue  # empty parameters and singletons carry nothing
        name, raw = item.split("=", 1)
        name = _decode(name)
        if not (name.isascii() and name.isdigit()):
            params.setdefault(name, _decode(raw.replace("+", " ")))
            continue
        value = _decode(raw.replace("+", " "))
        if name in seen:
            raise DigitalLinkError(f"({name}) appears twice")
        if name in reserved:
            raise DigitalLinkError(f"({name}) qualifies the key and belongs in the path")
        seen.add(name)
        attributes.append((name, _value(name, value)))
    return DigitalLink(key, qualifiers, tuple(attributes), params)


LABEL = re.compile(r"^/01/(\d{14})/10/([^/%]+)$", re.ASCII)
GTIN_PATTERN = re.compile(AIS["01"].pattern)
LOT_PATTERN = re.compile(AIS["10"].pattern)


def parse_label(path: str, query: str = "") -> DigitalLink | None:
    """The shape every label of the registry carries, /01/{gtin}/10/{lot} with no query and nothing to decode,
    checked as parse_path checks it but without its general machinery (it runs on every scan). None means
    "not that shape": parse_path decides, and says what is wrong if anything is."""
    if query:
        return None
    match = LABEL.match(path)
    if match is None:
        return None
    gtin, lot = match.groups()
    if (
        FORBIDDEN.search(lot)
        or not GTIN_PATTERN.match("01" + gtin)
        or not LOT_PATTERN.match("10" + lot)
        or gs1_standard_check_digit(gtin[:13]) != int(gtin[13])
    ):
        return None
    return DigitalLink(("01", gtin), (("10", lot),))


def parse(uri: str) -> DigitalLink:
    """Parse a whole Digital Link URI: scheme, host, path and query (the fragment is ignored)."""
    if not isinstance(uri, str) or "://" not in uri:
        raise DigitalLinkError("not an http or https URI")
    scheme, rest = uri.split("://", 1)
    if scheme not in SCHEMES:
        raise DigitalLinkError("the scheme is http or https")
    rest = rest.split("#", 1)[0]
    authority, slash, tail = rest.partition("/")
    match = HOST.match(authority)
    if not authority or match is None or (match.group(1) and int(match.group(1)) > 65535):
        raise DigitalLinkError("not a valid host")
    path, _, query = (slash + tail).partition("?")
    return parse_path(path, query)
