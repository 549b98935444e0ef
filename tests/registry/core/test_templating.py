"""Templates compiled per language give the same page as Jinja's i18n at render time."""

from __future__ import annotations

from flask import render_template, render_template_string

from registry.core.templating import _environment, render_fast
from registry.lifecycle.models import CodeStatus


def test_constant_messages_are_translated_when_the_template_compiles(app):
    source = '{{ _("Harvest date") }}|{{ _("Lot %(code)s", code=code) }}|{{ gettext("Brand") }}|{{ _(name) }}'
    with app.test_request_context("/?lang=vi"):
        env = _environment(app, "vi")
        compiled = env.compile(source, raw=True)
        assert "Ngày thu hoạch" in compiled and "Nhãn hiệu" in compiled  # folded into the code
        assert "Lot %(code)s" in compiled  # a message with variables stays a call
        from registry.core.i18n import page_gettext

        html = env.from_string(source).render(code="<A&B>", name="Brand", **page_gettext())
        assert html == "Ngày thu hoạch|Lô &lt;A&amp;B&gt;|Nhãn hiệu|Nhãn hiệu"
        assert html == render_template_string(source, code="<A&B>", name="Brand")


def test_the_public_page_is_the_same_either_way(app, db, client, make_api, world):
    from qr import lookup
    from registry.core.db import today_in_vietnam
    from tests.qr.test_public_void import _body

    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world)).json
    for language in ("vi", "en"):
        with app.test_request_context(f"/?lang={language}"):
            with db.engine.connect() as conn:
                found = lookup.find_by_gtin(
                    conn, gtin=world.product_a.gtin, code=lot["code"], base_url="https://registry.test",
                    today=today_in_vietnam(),
                )  # fmt: skip
            context = {"p": found, "row": found.row, "Status": CodeStatus, "serial": None}
            fast = render_fast(app, "qr/public_lot.html", **context)
            slow = render_template("qr/public_lot.html", **context)
            assert fast == slow
