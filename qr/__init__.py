"""Labels and the public side: QR rendering, the GS1 Digital Link routes and the provenance page."""
