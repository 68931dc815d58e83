"""WSGI entry point for production servers (gunicorn, mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
application = get_wsgi_application()

# Issue 19: the served process renders one PDF in the background at start-up, so the first
# draft decision a clerk opens does not pay WeasyPrint's start-up (tests and the CLI never
# import this module). OSTOJA_PDF_WARMUP=0 turns it off.
if os.environ.get("OSTOJA_PDF_WARMUP", "1") != "0":
    from ostoja.decisions.documents import warm_up_in_background

    warm_up_in_background()
