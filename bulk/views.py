"""The import page: templates to download, an upload checked first (dry run) and then imported, every error in a
table by row and column, and export links with the lists' filters. It works as a plain form; a small script
adds a progress bar for the upload of a large file (bulk/static/imports.js)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from bulk import downloads, service
from bulk.exports import EXPORT_KINDS, FILTERS
from bulk.table import FileRefused
from registry.core.auth import Role, page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.i18n import _l, current_language, translate
from registry.lifecycle.models import CodeStatus
from registry.products.crops import CROPS

KINDS_ARG = ", ".join(f'"{k}"' for k in service.KINDS)
EXPORTS_ARG = ", ".join(f'"{k}"' for k in EXPORT_KINDS)

bp = Blueprint("bulk", __name__, static_folder="static", static_url_path="/static/bulk")

KIND_LABELS = {
    "areas": _l("Growing areas (with households and certificates)"),
    "packing-houses": _l("Packing houses"),
    "organizations": _l("Organizations"),
    "lots": _l("Lots"),
    "geometries": _l("Area maps (GeoJSON or KML)"),
    "ocop-products": _l("OCOP products"),
}


def _page(status: int = 200, **context):
    user = page_user()
    html = render_template(
        "bulk/imports.html",
        kinds=service.KINDS,
        template_kinds=tuple(downloads.TEMPLATE_COLUMNS),
        export_kinds=EXPORT_KINDS,
        labels=KIND_LABELS,
        may_import=user.role in (Role.MEMBER, Role.ADMIN),
        statuses=[s.value for s in CodeStatus],
        crops=CROPS,
        **context,
    )
    return html, status


@bp.get("/imports")
@login_required
def import_page_get():
    return _page()


@bp.post("/imports")
@login_required
def import_page():
    kind = request.form.get("kind", "")
    dry_run = request.form.get("step") != "import"
    upload = request.files.get("file")
    if kind not in service.KINDS:
        return _page(422, problem=_l("Choose what the file holds."), kind=kind)
    if upload is None or not upload.filename:
        return _page(422, problem=_l("Choose a file."), kind=kind)
    try:
        result = service.run_import(
            db.session, kind, upload.read(), upload.filename, actor=page_user(), dry_run=dry_run
        )
    except (FileRefused, DomainError) as exc:
        db.session.rollback()
        return _page(exc.status_code, problem=translate(exc.message), kind=kind)
    if result["errors"] or dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return _page(422 if result["errors"] else 200, result=result, kind=kind, dry_run=dry_run, filename=upload.filename)


@bp.get('/imports/<any(areas, "packing-houses", organizations, lots):kind>/template.<any(csv, xlsx):ext>')
@login_required
def template(kind: str, ext: str):
    return downloads.template(kind, ext, current_language())


@bp.get(f"/exports/<any({EXPORTS_ARG}):kind>.<any(csv, xlsx, geojson, kml):ext>")
@login_required
def export(kind: str, ext: str):
    args = {k: v for k, v in request.args.items() if k not in ("lang", "kind", "format") and v}
    return downloads.export(db.session, kind, ext, actor=page_user(), args=args, language=current_language())


@bp.get("/exports")
@login_required
def export_form():
    """The page's export form: the kind and format chosen, the kind's own filters kept, empty ones dropped."""
    kind, ext = request.args.get("kind", ""), request.args.get("format", "")
    if kind not in EXPORT_KINDS or ext not in downloads.TYPES:
        return _page(422, problem=_l("Choose what to export and the format."))
    args = {k: v for k, v in request.args.items() if k in FILTERS[kind] and v}
    return redirect(url_for("bulk.export", kind=kind, ext=ext, **args))
