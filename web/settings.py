"""Settings of the parindex Django project, read from the environment.

- ``DATABASE_URL``: ``sqlite:///path.db`` or ``postgresql://…`` (default: ``parindex.db`` in
  ``PARINDEX_DATA_DIR``, itself defaulting to the current folder)
- ``PARINDEX_SECRET_KEY`` (required when serving outside debug/demo mode: see ``web.setup.check_production``)
- ``PARINDEX_ALLOWED_HOSTS`` (comma-separated), ``PARINDEX_DEBUG``, ``PARINDEX_DEMO`` (1/true/yes)
- ``PARINDEX_MEDIA_ROOT`` (evidence files), ``PARINDEX_STATIC_ROOT``
- ``PARINDEX_SIGNING_KEY``: the Ed25519 key file that signs audit entries (outside the database;
  created with permissions 0600 when missing)
"""

from __future__ import annotations

import os
from pathlib import Path

from web.dburl import database_settings

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on", "có"}


DEMO_SECRET_KEY = "parindex-demo-secret-not-for-production"
DEBUG = _flag("PARINDEX_DEBUG")
PARINDEX_DEMO = _flag("PARINDEX_DEMO")
SECRET_KEY = os.environ.get("PARINDEX_SECRET_KEY", "").strip() or DEMO_SECRET_KEY
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("PARINDEX_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
                 if h.strip()]

DATA_DIR = Path(os.environ.get("PARINDEX_DATA_DIR", ".")).expanduser()
DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL", "").strip() or DATA_DIR / "parindex.db")}
# The portal's database is used by many requests at once: each worker thread keeps its connection
# (a PostgreSQL connection per request costs the server a process and a few milliseconds of CPU),
# and a SQLite file uses its write-ahead log, so a save never waits for readers nor readers for it.
DATABASES["default"].update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "init_command": "PRAGMA journal_mode=WAL"}
# Shared by every app server (a table of the same database, created by ``migrate``): the ranking
# per campaign log head is computed once, not once per process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "parindex_cache",
                      "TIMEOUT": 7 * 24 * 3600, "OPTIONS": {"MAX_ENTRIES": 2000}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "web.store",
    "web.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.portal.middleware.ForcePasswordChange",  # first login: change the initial password
    "web.portal.middleware.KeepSessionAlive",  # idle timeout without a session write per request
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a throttled login before checking the password
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "portal/locked.html"

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "web.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PARINDEX_STATIC_ROOT", DATA_DIR / "static")).expanduser()
MEDIA_ROOT = Path(os.environ.get("PARINDEX_MEDIA_ROOT", DATA_DIR / "media")).expanduser()
# evidence files: the file system under MEDIA_ROOT/minh-chung, or S3-compatible object storage
# (PARINDEX_STORAGE=s3, PARINDEX_S3_BUCKET, PARINDEX_S3_ENDPOINT; needs the django-storages package)
_EVIDENCE = ({"BACKEND": "storages.backends.s3.S3Storage",
              "OPTIONS": {"bucket_name": os.environ.get("PARINDEX_S3_BUCKET", ""),
                          "endpoint_url": os.environ.get("PARINDEX_S3_ENDPOINT") or None}}
             if os.environ.get("PARINDEX_STORAGE", "").strip().lower() == "s3" else
             {"BACKEND": "django.core.files.storage.FileSystemStorage",
              "OPTIONS": {"location": str(MEDIA_ROOT / "minh-chung")}})
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": _EVIDENCE,
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False  # idle timeout kept by web.portal.middleware.KeepSessionAlive
SECURE_CONTENT_TYPE_NOSNIFF = True
PARINDEX_UPLOAD_LIMIT = int(os.environ.get("PARINDEX_UPLOAD_LIMIT_MB", "20")) * 1024 * 1024
SESSION_COOKIE_SECURE = not DEBUG and not PARINDEX_DEMO
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

_config_home = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
PARINDEX_SIGNING_KEY = Path(os.environ.get("PARINDEX_SIGNING_KEY", "").strip()
                            or _config_home / "parindex" / "signing-ed25519.pem").expanduser()
