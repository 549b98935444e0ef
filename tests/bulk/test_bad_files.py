"""Files refused whole: not what the extension says, a zip bomb, too large, wrong headers. A clear 4xx, nothing stored."""

from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa

from registry.areas.models import GrowingArea
from registry.core import guards
from tests.bulk.sheets import AREA_HEADERS, area_row, csv_bytes, upload, xlsx_bytes


def areas_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea))


def refused(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["errors"]["file"] and body["message"]
    return body


def test_not_what_the_extension_says(db, world, make_api):
    api = make_api(world.admin, language="en")
    good_csv = csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-001", world.org_a.tax_code)])
    before = areas_count(db)
    refused(upload(api, "areas", good_csv, "areas.xlsx"), 415)  # text named .xlsx
    refused(upload(api, "areas", xlsx_bytes(("a", AREA_HEADERS, [])), "areas.csv"), 415)  # a workbook named .csv
    refused(upload(api, "areas", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "areas.csv"), 415)
    refused(upload(api, "areas", "mã số\n".encode("utf-16"), "areas.csv"), 415)  # not UTF-8
    refused(upload(api, "areas", good_csv, "areas.txt"), 415)
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    refused(upload(api, "areas", fake.getvalue(), "areas.xlsx"), 415)
    assert areas_count(db) == before


def test_zip_bomb_refused_before_it_is_inflated(db, world, make_api):
    api = make_api(world.admin, language="en")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (300 * 1024 * 1024))
    assert len(bomb.getvalue()) < 2 * 1024 * 1024
    body = refused(upload(api, "areas", bomb.getvalue(), "bomb.xlsx"), 413)
    assert "zip bomb" in body["errors"]["file"][0]


def test_over_the_import_limit(app, db, world, make_api, monkeypatch):
    api = make_api(world.admin, language="en")
    before = areas_count(db)
    data = csv_bytes(AREA_HEADERS, [area_row(f"VN-25-07999-{i:03d}", world.org_a.tax_code) for i in range(1, 200)])
    # The limit is read from the configuration by the service...
    monkeypatch.setitem(app.config, "IMPORT_MAX_CONTENT_LENGTH", 1024)
    refused(upload(api, "areas", data, "big.csv"), 413)
    monkeypatch.setitem(app.config, "IMPORT_MAX_CONTENT_LENGTH", 20 * 1024 * 1024)
    # ... and the body is refused at the door, before it is read, beyond the limit set for the import routes.
    limit, envelope, field, message, status = guards.UPLOADS["bulk_api.Imports"]
    monkeypatch.setitem(guards.UPLOADS, "bulk_api.Imports", (1024, 512, field, message, status))
    refused(upload(api, "areas", data, "big.csv"), 413)
    assert areas_count(db) == before


def test_imports_take_more_than_the_forms_limit(app, db, world, make_api):
    """Forms stop at MAX_CONTENT_LENGTH (2 MB); an import of 3 MB goes through."""
    api = make_api(world.admin)
    filler = "x" * 290
    rows = [
        area_row(f"VN-25-07999-{i:04d}", world.org_a.tax_code, variety=filler[:100], legacy=filler)
        for i in range(1, 9000)
    ]
    data = csv_bytes(AREA_HEADERS, rows)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    response = upload(api, "areas", data, "big.csv", dry_run=True)
    assert response.status_code == 200 and response.get_json()["created"] == len(rows)


def test_wrong_headers(db, world, make_api):
    api = make_api(world.admin, language="en")
    data = csv_bytes(["code", "nom", "area"], [["VN-25-07999-001", "x", "1"]])
    body = refused(upload(api, "areas", data, "areas.csv"), 400)
    assert "nom" in body["errors"]["file"][0] and "organization_tax_code" in body["errors"]["file"][0]


def test_no_file_and_bad_dry_run(db, world, make_api):
    api = make_api(world.admin)
    response = api.client.post(
        "/api/v1/imports/areas", headers=api._headers(), data={}, content_type="multipart/form-data"
    )
    refused(response, 400)
    data = csv_bytes(AREA_HEADERS, [])
    maybe = api.client.post(
        "/api/v1/imports/areas?dry_run=maybe", headers=api._headers(), data={"file": (io.BytesIO(data), "a.csv")}
    )
    refused(maybe, 400)
    assert api.client.post("/api/v1/imports/cows", headers=api._headers()).status_code == 404


def test_formula_cells_are_text_and_come_back_exactly(db, world, make_api):
    api = make_api(world.admin)
    name = '=HYPERLINK("http://evil.example","x")'
    data = csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-321", world.org_a.tax_code, name=name)])
    assert upload(api, "areas", data, "a.csv").get_json()["created"] == 1
    exported = api.get("/api/v1/exports/areas.csv").data.decode("utf-8")
    assert "'=HYPERLINK" in exported
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(api.get("/api/v1/exports/areas.xlsx").data))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == name]
    assert cells and cells[0].data_type == "s" and cells[0].quotePrefix
    for ext in ("csv", "xlsx"):
        again = upload(api, "areas", api.get(f"/api/v1/exports/areas.{ext}").data, f"a.{ext}")
        assert again.get_json() == {"rows": 3, "created": 0, "updated": 0, "errors": []}
