"""GS1's reference parse vectors (../shared/conformance/gs1-digital-link), default settings only.

The parser (qr.digital_link) must give GS1's element string for every valid case and refuse every invalid
one. The full resolver route comes with issue 8; until then the /01/<gtin>/10/<lot> route must agree too.
"""

import json
import re
from urllib.parse import urlsplit

import pytest

from qr.digital_link import DigitalLinkError, parse
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


def test_label_shaped_vectors_get_400_exactly_when_invalid(client, vectors):
    checked = 0
    for case in vectors:
        parts = urlsplit(case["uri"])
        if parts.query or parts.fragment or not LABEL_SHAPE.match(parts.path):
            continue
        status = client.get(parts.path).status_code
        if case["valid"]:
            assert status != 400, case["uri"]
            assert status == 404  # the registry holds no such lot
        else:
            assert status == 400, case["uri"]
        checked += 1
    assert checked >= 1


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
