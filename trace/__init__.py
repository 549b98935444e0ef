"""Traceability layer: harvest lots (later: production diary, lineage, recall, EPCIS).

This package shadows the standard library's ``trace`` module when the app runs from the project root.
"""
