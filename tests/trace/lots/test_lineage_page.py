"""The lineage page draws the chain as an inline SVG, with links only where the viewer may go."""

from __future__ import annotations

import re

from tests.trace.lots.chain import build_chain


def test_the_graph_of_a_chain(db, make_api, world, houses, login):
    chain = build_chain(make_api, world, houses)
    page = login(world.member_b.email).get(f"/lots/{chain.received['id']}/lineage")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    for code in ("DH-2511-100", "DH-2511-100A", "BL-IN-0001", "BL-SAY-0001"):
        assert f">{code}</text>" in svg, code
    assert "DH-2511-100B" not in svg  # a sibling is neither up nor down
    assert svg.count("<line ") == 3 and 'class="node root"' in svg
    # B may open its own lots' lineage; A's lots link to their public label pages instead.
    assert f'href="/lots/{chain.dried["id"]}/lineage"' in svg
    assert f'href="/lots/{chain.parts[0]["id"]}/lineage"' not in svg
    assert chain.parts[0]["label_uri"] in svg
    steps = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert re.search(r"<td>DH-2511-100</td><td>tách lô</td><td>DH-2511-100A</td>", steps)
    assert re.search(r"<td>BL-IN-0001</td><td>chế biến</td><td>BL-SAY-0001</td>", steps)


def test_other_organizations_get_404_and_english_works(db, make_api, world, houses, login):
    chain = build_chain(make_api, world, houses)
    client = login(world.member_b.email)
    assert client.get(f"/lots/{chain.harvest['id']}/lineage").status_code == 404
    english = client.get(f"/lots/{chain.dried['id']}/lineage?lang=en").get_data(as_text=True)
    assert "Lineage of lot BL-SAY-0001" in english and "transformation" in english
