"""The audit trail: every change to a record, who made it and from which request, in a hash chain.

No domain imports this package. It watches the ORM session (capture.py) for any mapped table, and create_app
wires its hooks, CLI, API and the template global that shows a record's history.
"""
