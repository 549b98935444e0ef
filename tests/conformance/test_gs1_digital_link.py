"""GS1's reference parse vectors (../shared/conformance/gs1-digital-link), default settings only.

The parser (qr.digital_link) must give GS1's element string for every valid case and refuse every invalid
one, and the resolver must answer each over HTTP accordingly.
"""

import json
import re
from urllib.parse import urlsplit

import pytest

from qr.digital_link import DigitalLinkError, parse, parse_path
from qr.resolver import looks_like_digital_link
from registry.core import validators as v

pytestmark = pytest.mark.conformance

LABEL_SHAPE = re.compile(r"^/01/[^/]*/10/[^/]+$")


@pytest.fixture(scope="module")
def vectors(conformance_dir):
    cases = json.loads((conformance_dir / "gs1-digital-link" / "dl-parse-vectors.json").read_text())
    default = [c for c in cases if not c["toggles"]]
    assert len(default) == 100
    return default


def test_gtins_in_valid_vectors_pass_our_check_digit(vectors):
    gtins = {m.group(1) for c in vectors if c["valid"] for m in [re.match(r"\^01(\d{14})", c["expect"])] if m}
    assert len(gtins) >= 2
    for gtin in gtins:
        assert v.gtin14(gtin) == gtin


def _target(uri: str) -> tuple[str, str] | None:
    """The path and query a browser would send for the URI, or None when it has no path to send."""
    if "://" not in uri:
        return None
    rest = uri.split("://", 1)[1].split("#", 1)[0]
    _authority, slash, tail = rest.partition("/")
    if not slash:
        return None
    path, _, query = ("/" + tail).partition("?")
    return path, query


def test_every_vector_over_http(client, vectors):
    """Over HTTP a valid URI is never 400 (here 404: nothing is registered under GS1's example keys) and an
    invalid one is 400. What HTTP cannot carry is accounted for, not skipped silently: a URI with no path, one
    whose only fault is its scheme or host (the request a browser sends for it is a valid Digital Link path), and
    the two whose path holds no GS1 key at all (/b and /b/), which are this site's ordinary 404."""
    counts = {"valid": 0, "invalid": 0, "no path": 0, "scheme or host": 0, "not a digital link": 0}
    for case in vectors:
        target = _target(case["uri"])
        if target is None or target[0] == "/":
            assert not case["valid"], case["uri"]
            counts["no path"] += 1
            continue
        path, query = target
        response = client.get(path + ("?" + query if query else ""))
        assert response.status_code != 500, case["uri"]
        if case["valid"]:
            assert response.status_code == 404, case["uri"]
            counts["valid"] += 1
            continue
        try:
            parse_path(path, query)
        except DigitalLinkError:
            if looks_like_digital_link(path):
                assert response.status_code == 400, case["uri"]
                counts["invalid"] += 1
            else:
                assert response.status_code == 404, case["uri"]
                counts["not a digital link"] += 1
            continue
        with pytest.raises(DigitalLinkError):
            parse(case["uri"])
        assert response.status_code != 400, case["uri"]
        counts["scheme or host"] += 1
    assert counts == {"valid": 58, "invalid": 32, "no path": 6, "scheme or host": 2, "not a digital link": 2}, counts


def test_short_gtins_are_refused_by_the_route(client, vectors):
    """Vectors mark 8-, 12- and 13-digit GTINs in the path invalid; so does the route."""
    short = [c for c in vectors if not c["valid"] and re.fullmatch(r"https://a/01/\d{8,13}", c["uri"])]
    assert len(short) == 3
    for case in short:
        assert client.get(urlsplit(case["uri"]).path + "/10/LOT1").status_code == 400


def test_the_parser_gives_gs1s_element_string_for_every_default_case(vectors):
    for case in vectors:
        if case["valid"]:
            assert parse(case["uri"]).element_string() == case["expect"], case["uri"]
        else:
            with pytest.raises(DigitalLinkError):
                parse(case["uri"])
