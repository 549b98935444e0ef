"""The import page: templates, a dry run then an import, errors in a table, export links with filters."""

from __future__ import annotations

import io

import sqlalchemy as sa

from registry.areas.models import GrowingArea
from tests.bulk.sheets import AREA_HEADERS, area_row, csv_bytes, rows_of_csv
from tests.conftest import csrf_token


def post_file(client, data, filename, action, kind="areas"):
    page = client.get("/imports?lang=en")
    return client.post(
        "/imports?lang=en",
        data={"csrf_token": csrf_token(page), "kind": kind, "step": action, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_menu_page_dry_run_then_import(db, world, login):
    client = login(world.member_a.email)
    assert 'href="/imports"' in client.get("/").get_data(as_text=True)
    page = client.get("/imports?lang=en").get_data(as_text=True)
    assert "/imports/areas/template.xlsx" in page and 'name="file"' in page and "imports.js" in page
    assert client.get("/static/bulk/imports.js").status_code == 200
    data = csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-401", world.org_a.tax_code)])
    before = db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea))
    checked = post_file(client, data, "a.csv", "check")
    assert checked.status_code == 200 and "ready to import" in checked.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea)) == before
    done = post_file(client, data, "a.csv", "import")
    assert done.status_code == 200 and "created 1" in done.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea)) == before + 1


def test_errors_in_a_table_by_row_and_column(db, world, login):
    client = login(world.member_a.email)
    data = csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-402", world.org_a.tax_code, ha="abc")])
    response = post_file(client, data, "a.csv", "import")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="import-errors"' in html and "<td>2</td><td>area_ha</td>" in html
    refused = post_file(client, b"PK\x03\x04junk", "a.xlsx", "check")
    assert refused.status_code == 415 and "Excel" in refused.get_data(as_text=True)


def test_inspectors_see_no_upload_but_export(db, world, login):
    client = login(world.auditor.email)
    page = client.get("/imports?lang=en").get_data(as_text=True)
    assert 'name="file"' not in page and "export-kind" in page
    response = client.get("/exports?kind=areas&format=csv&status=&crop=pomelo&stars=5")
    assert response.status_code == 302 and response.headers["Location"].endswith("/exports/areas.csv?crop=pomelo")
    rows = rows_of_csv(client.get("/exports/areas.csv?crop=pomelo").data)
    assert len(rows) == 3
    assert client.get("/imports/lots/template.csv").status_code == 200


def test_signed_out_is_sent_to_sign_in(client, db):
    assert client.get("/imports").status_code == 302
    assert client.get("/exports/areas.csv").status_code == 302
