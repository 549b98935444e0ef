"""Base layer: the application shell and the registry domain (units, organizations, areas, products, users)."""
