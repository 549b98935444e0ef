"""GS1's reference parse vectors (../shared/conformance/gs1-digital-link), default settings only.

The full resolver comes later; for now the GTIN check and the /01/<gtin>/10/<lot> route must agree with GS1.
"""

import json
import re
from urllib.parse import urlsplit

import pytest

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
