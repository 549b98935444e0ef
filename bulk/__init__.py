"""Bulk data in and out: imports from CSV, XLSX, GeoJSON and KML, exports to the same formats.

A top-layer package: it stands on registry and trace and writes through their models in the ORM session, so
that whatever listens to the session's flushes (the audit trail) sees every imported row.
"""
