"""WSGI entry point for production servers (gunicorn, mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
application = get_wsgi_application()
