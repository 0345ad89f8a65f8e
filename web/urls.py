"""Root URLs: the portal at "/" (its own ``web/portal/urls.py``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("web.portal.urls")),
]
