"""The GS1-conformant resolver: link types, the linkset, the Link header, the product level and the description."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.qr.test_public_void import _body, _paths

LINKSET = "application/linkset+json"


@pytest.fixture
def lot(make_api, world):
    response = make_api(world.member_a).post("/api/v1/lots", json=_body(world))
    assert response.status_code == 201, response.json
    return response.json


def _linkset_link(response) -> str:
    match = re.search(r'<([^>]+)>; rel="linkset"; type="application/linkset\+json"', response.headers["Link"])
    assert match, response.headers.get("Link")
    return match.group(1)


def test_the_default_link_is_the_page_itself_in_one_hop_with_a_link_header(client, lot, world):
    path = _paths([lot])[0]
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert _linkset_link(response) == f"https://registry.test{path}?linkType=linkset"
    assert f'<https://registry.test{path}>; rel="owl:sameAs"' in response.headers["Link"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("asked", ["gs1:pip", "GS1:PIP", "https://gs1.org/voc/pip"])
def test_pip_is_the_product_page(client, lot, world, asked):
    response = client.get(_paths([lot])[0] + "?linkType=" + quote(asked, safe=""))
    assert response.status_code == 307
    assert response.headers["Location"] == f"https://registry.test/01/{world.product_a.gtin}"
    assert 'rel="linkset"' in response.headers["Link"]


def test_each_link_type_goes_where_it_says(client, lot, world):
    path = _paths([lot])[0]
    expected = {
        "gs1:traceability": f"https://registry.test{path}#trace",
        "gs1:epcis": f"https://registry.test/api/v1/lots/{lot['id']}/epcis",
        "gs1:certificationInfo": f"https://registry.test/codes/{quote(world.area_a.code, safe='')}",
        "gs1:CERTIFICATIONINFO": f"https://registry.test/codes/{quote(world.area_a.code, safe='')}",
    }
    for link_type, target in expected.items():
        response = client.get(f"{path}?linkType={link_type}")
        assert response.status_code == 307, link_type
        assert response.headers["Location"] == target, link_type
    assert client.get(f"{path}?linkType=gs1:defaultLink").status_code == 200


def test_the_epcis_target_answers_a_partner_with_a_token(client, lot, world, make_api):
    target = client.get(_paths([lot])[0] + "?linkType=gs1:epcis").headers["Location"]
    body = make_api(world.member_a).get(target.replace("https://registry.test", "")).json
    assert body["type"] == "EPCISQueryDocument"


@pytest.mark.parametrize("how", ["?linkType=all", "?linkType=linkset", "?linkType=LinkSet", "accept"])
def test_the_linkset(client, lot, world, how):
    path = _paths([lot])[0]
    headers = {"Accept": LINKSET} if how == "accept" else {}
    response = client.get(path + ("" if how == "accept" else how), headers=headers)
    assert response.status_code == 200 and response.mimetype == LINKSET
    doc = response.get_json(force=True)
    assert "@context" in doc and doc["@context"]["gs1"] == "https://gs1.org/voc/"
    (entry,) = doc["linkset"]
    assert entry["anchor"] == f"https://registry.test{path}"
    assert entry["https://gs1.org/voc/defaultLink"][0]["href"] == entry["anchor"]
    assert entry["https://gs1.org/voc/pip"][0]["href"] == f"https://registry.test/01/{world.product_a.gtin}"
    assert {
        "https://gs1.org/voc/traceability",
        "https://gs1.org/voc/epcis",
        "https://gs1.org/voc/certificationInfo",
    } <= set(entry)
    assert entry["https://gs1.org/voc/pip"][0]["hreflang"] == ["vi", "en"]
    assert "Link" in response.headers


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("*/*", "text/html"),  # curl, and a camera app's browser
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/html, application/linkset+json;q=0.5", "text/html"),
        ("application/linkset+json", LINKSET),
        ("application/linkset+json, text/html;q=0.5", LINKSET),
    ],
)
def test_accept_picks_the_linkset_only_when_it_names_it(client, lot, accept, mimetype):
    response = client.get(_paths([lot])[0], headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == mimetype


def test_an_unknown_link_type_is_404_and_still_points_to_the_linkset(client, lot):
    response = client.get(_paths([lot])[0] + "?linkType=gs1:recipeInfo")
    assert response.status_code == 404
    assert 'rel="linkset"' in response.headers["Link"]
    assert client.get(_paths([lot])[0] + "?linkType=nonsense").status_code == 404


def test_the_product_level_answers_the_product_page(client, lot, world):
    response = client.get(f"/01/{world.product_a.gtin}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert world.product_a.name in html and world.org_a.name in html
    assert client.get(f"/01/{world.product_a.gtin}?linkType=gs1:pip").status_code == 200
    linkset = client.get(f"/01/{world.product_a.gtin}?linkType=all").get_json(force=True)
    assert linkset["linkset"][0]["anchor"] == f"https://registry.test/01/{world.product_a.gtin}"
    assert client.get(f"/01/{world.product_a.gtin}?linkType=gs1:epcis").status_code == 404


def test_serial_and_variant_levels_answer_the_lot_page(client, make_api, world):
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world, quantity="40", unit="H87")).json
    serial = api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 1}).json["serials"][0]["serial"]
    gtin = world.product_a.gtin
    stamped = client.get(f"/01/{gtin}/10/{lot['code']}/21/{serial}")
    assert stamped.status_code == 200 and serial in stamped.get_data(as_text=True)
    # A serial the cooperative never issued is the plain warning, 404 (tests/qr/serials).
    assert client.get(f"/01/{gtin}/10/{lot['code']}/21/ABC123").status_code == 404
    assert client.get(f"/01/{gtin}/22/V1/10/{lot['code']}").status_code == 200
    # A data attribute on the label (harvest date) does not change which lot it is.
    assert client.get(f"/01/{gtin}/10/{lot['code']}?7007=251122").status_code == 200


def test_a_lot_code_with_a_slash_travels_percent_encoded(client, make_api, world):
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world, code="DH/2511/9")).json
    assert "DH%2F2511%2F9" in lot["label_uri"]
    response = client.get(_paths([lot])[0])
    assert response.status_code == 200 and "DH/2511/9" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/01/09520123456788/10/NO-SUCH-LOT", 404),  # well formed, nothing registered
        ("/01/09520123456788", 404),
        ("/01/09520123456788/21/SERIAL1", 404),
        ("/00/006141411234567890", 404),  # another primary key: well formed, not held here
        ("/01/09520123456789/10/A", 400),  # wrong check digit
        ("/01/2112345678900/10/A", 400),  # 13 digits
        ("/01/09520123456788/99/A", 400),  # 99 does not qualify a GTIN
        ("/01/09520123456788/10/A?10=B", 400),  # a qualifier again in the query
        ("/gtin/09520123456788", 400),  # a removed short name
        ("/01//09520123456788", 400),
        ("/no-such-page", 404),
        ("/lots/12/no-such-thing", 404),
    ],
)
def test_malformed_is_400_and_unknown_is_404_never_500(client, path, status):
    assert client.get(path).status_code == status


def test_the_description_file(client):
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200
    body = response.get_json()
    assert body["resolverRoot"] == "https://registry.test"
    assert "gs1:pip" in body["linkTypes"] and "gs1:certificationInfo" in body["linkTypes"]
    assert body["supportedPrimaryKeys"] == ["01"]


def test_head_and_options(client, lot):
    path = _paths([lot])[0]
    assert client.head(path).status_code == 200
    options = client.options(path)
    assert options.status_code == 200 and "GET" in options.headers["Allow"]


def test_the_short_link_has_the_same_links(client, make_api, world):
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world, product_id=world.product_a_no_gtin.id)).json
    path = _paths([lot])[0]
    assert path.startswith("/l/")
    response = client.get(path + "?linkType=linkset")
    entry = response.get_json(force=True)["linkset"][0]
    assert entry["anchor"] == f"https://registry.test{path}"
    assert "https://gs1.org/voc/pip" not in entry  # no GTIN, no product page
    assert client.get(path + "?linkType=gs1:pip").status_code == 404


def test_a_scan_survives_a_connection_the_database_dropped(app, client, lot):
    """The scans' pool does not ping before each use: a connection dropped by a database restart fails its
    query, is discarded, and the scan is served from a fresh one."""
    path = _paths([lot])[0]
    assert client.get(path).status_code == 200  # the pool now holds an idle connection
    idle = app.extensions["public_read_engine"].pool._pool.queue  # noqa: SLF001  (no public handle on idle ones)
    assert idle
    for record in idle:
        record.dbapi_connection.close()  # what a restart leaves behind, unknown to the pool
    assert client.get(path).status_code == 200
