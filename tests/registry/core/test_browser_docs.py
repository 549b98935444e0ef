"""/api/docs in a real Chromium under the app's strict Content-Security-Policy: Swagger UI starts from the app's
own files, renders the operations, breaks no CSP rule and asks nothing of any other host."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

# Collects what the browser refuses under the page's CSP, before any script of the page runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def test_swagger_ui_renders_under_the_strict_csp_from_this_server_only(browser, live_server, db):
    from playwright.sync_api import expect

    requests: list[str] = []
    console: list[str] = []
    failed: list[str] = []
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        response = page.goto(f"{live_server}/api/docs")
        assert response is not None and response.status == 200
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        lots = page.locator(".opblock-summary-path", has_text="/api/v1/lots").first
        expect(lots).to_be_visible(timeout=20_000)
        assert page.locator(".opblock").count() > 50
        # Open one operation: its parameters and responses render too.
        page.locator(".opblock-get .opblock-summary-path[data-path='/api/v1/lots/{lot_id}']").first.click()
        expect(page.locator(".opblock.is-open .parameters-container")).to_be_visible()
        expect(page.locator(".opblock.is-open .responses-table").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == []
        refused = [line for line in console if "Content Security Policy" in line or "Refused to" in line]
        assert refused == [], refused
        assert failed == []
        assert [line for line in console if line.startswith(("error", "pageerror"))] == [], console
        assert requests and all(url.startswith(live_server + "/") for url in requests), requests
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api_docs.png"))
    finally:
        context.close()


def test_try_it_out_calls_the_api_with_a_token_under_the_csp(browser, live_server, db, world):
    from playwright.sync_api import expect

    from registry.accounts.services import create_token

    token = create_token(db.session, email=world.member_a.email)
    db.session.commit()
    requests: list[str] = []
    console: list[str] = []
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.goto(f"{live_server}/api/docs")
        page.locator(".btn.authorize").click()
        page.locator(".modal-ux input").first.fill(token)
        page.locator(".modal-ux button.authorize").click()
        page.locator(".modal-ux button.btn-done").click()
        page.locator(".opblock-get .opblock-summary-path[data-path='/api/v1/areas']").first.click()
        page.locator(".opblock.is-open .try-out__btn").click()
        with page.expect_response(lambda r: "/api/v1/areas?" in r.url) as answer:
            page.locator(".opblock.is-open .execute").click()
        assert answer.value.status == 200
        body = page.locator(".opblock.is-open .live-responses-table .response-col_description pre").first
        expect(body).to_contain_text(world.area_a.code)
        assert page.evaluate("window.__csp") == []
        assert [line for line in console if line.startswith("error")] == [], console
        assert all(url.startswith(live_server + "/") for url in requests), requests
    finally:
        context.close()
