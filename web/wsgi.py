"""WSGI entry point (gunicorn web.wsgi): the application, made ready before its first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
application = get_wsgi_application()

from web.warm import warm  # after the settings are configured just above

warm()
