"""Bulk data in and out: imports from CSV, XLSX, GeoJSON and KML, and exports to the same formats."""
