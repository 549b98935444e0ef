"""Opening and closing a recall on the pages, with CSRF, in Vietnamese."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from tests.trace.lots.chain import build_chain


def test_open_and_close_on_the_pages(db, make_api, world, houses, login):
    chain = build_chain(make_api, world, houses)
    client = login(world.member_a.email)
    detail = client.get(f"/lots/{chain.harvest['id']}").get_data(as_text=True)
    assert f'href="/lots/{chain.harvest["id"]}/recall"' in detail and "Thu hồi lô này" in detail
    form = client.get(f"/lots/{chain.harvest['id']}/recall")
    token = csrf_token(form)
    refused = client.post(f"/lots/{chain.harvest['id']}/recall", data={"csrf_token": token, "reason": "Dư lượng"})
    assert refused.status_code == 422 and "Đánh dấu xác nhận" in refused.get_data(as_text=True)
    empty = client.post(
        f"/lots/{chain.harvest['id']}/recall", data={"csrf_token": token, "reason": " ", "confirm": "y"}
    )
    assert empty.status_code == 422
    opened = client.post(
        f"/lots/{chain.harvest['id']}/recall", data={"csrf_token": token, "reason": "Dư lượng vượt MRL", "confirm": "y"}
    )
    assert opened.status_code == 302
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "BL-SAY-0001" in page and world.org_b.name in page and "Đang mở từ" in page
    listed = client.get("/recalls?status=open").get_data(as_text=True)
    assert "Dư lượng vượt MRL" in listed
    recall_id = int(re.search(r"/recalls/(\d+)", opened.headers["Location"]).group(1))
    closed = client.post(f"/recalls/{recall_id}/close", data={"csrf_token": token, "note": "Đã tiêu hủy 1.100 kg"})
    assert closed.status_code == 302
    assert "Đã kết thúc ngày" in client.get(f"/recalls/{recall_id}").get_data(as_text=True)
    english = client.get(f"/recalls/{recall_id}?lang=en").get_data(as_text=True)
    assert "Recall of lot DH-2511-100" in english and "Who holds or received them" in english
