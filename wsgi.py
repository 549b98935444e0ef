"""Entry point: gunicorn wsgi:app ; flask --app wsgi <command>"""

from registry.core.app import create_app

app = create_app()
