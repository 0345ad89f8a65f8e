"""WSGI entry point (gunicorn web.wsgi).

Every module the portal runs is imported here (the URL conf imports the views), then
``gc.freeze()`` moves those objects out of the cycle collector's reach: a worker's heap holds
~500,000 of them (Django, numpy, pandas), and each full collection would walk them all again
during a request. They live as long as the process anyway.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)
gc.freeze()
