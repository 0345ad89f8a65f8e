"""Django for the command line and the tests: set up once, and open campaign databases by location.

``configure()`` sets ``DJANGO_SETTINGS_MODULE`` to ``web.settings`` (unless already set) and
runs ``django.setup()``. ``database_alias(location)`` registers a campaign's database (a SQLite
file or a PostgreSQL URL) as a Django connection alias; ``migrate(alias)`` creates its tables.
New SQLite campaign files are copies of one migrated template per process (fast), published by
a hard link so that two ``init``s of one file can never overwrite or delete each other's file.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
from pathlib import Path

import django
from django.conf import settings

from web.dburl import database_settings, is_postgres, split_slug

SETTINGS_MODULE = "web.settings"
_lock = threading.Lock()
_template: Path | None = None


def configure() -> None:
    """Make Django usable (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if not settings.configured or not django.apps.apps.ready:
        django.setup()


def database_alias(location: str | Path) -> str:
    """The connection alias for a campaign location, registering it on first use."""
    from django.db import connections

    configure()
    entry = database_settings(location)
    key = split_slug(str(location))[0] if is_postgres(location) else entry["NAME"]
    alias = "campaign:" + key
    with _lock:
        if alias not in connections.settings:
            default = connections.settings["default"]
            full = {**default, **entry, "TEST": dict(default.get("TEST", {}))}
            connections.settings[alias] = connections.configure_settings({"default": default, alias: full})[alias]
    return alias


def migrate(alias: str) -> None:
    """Create or update every table of the database behind ``alias``."""
    from django.core.management import call_command

    call_command("migrate", database=alias, interactive=False, verbosity=0)


def sqlite_template() -> Path:
    """A migrated, empty SQLite database (one per process, removed at exit)."""
    global _template
    with _lock:
        if _template is not None and _template.exists():
            return _template
        folder = Path(tempfile.mkdtemp(prefix="parindex-template-"))
        _template = folder / "template.db"
    alias = database_alias(_template)
    migrate(alias)
    from django.db import connections

    connections[alias].close()
    import atexit

    atexit.register(shutil.rmtree, folder, True)
    return _template


def create_sqlite_file(path: Path) -> None:
    """Make a new migrated campaign file at ``path``; ``FileExistsError`` if one is already there.

    The copy is written beside the target and hard-linked into place: the link fails rather than
    replaces, so of two concurrent creations exactly one wins and neither removes the other's file.
    """
    template = sqlite_template()
    if path.parent.exists() and not path.parent.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    try:
        shutil.copyfile(template, staging)
        os.link(staging, path)
    finally:
        os.unlink(staging)


def forget(alias: str) -> None:
    """Close the connection behind ``alias`` (this thread)."""
    from django.db import connections

    if alias in connections:
        connections[alias].close()


def check_production() -> list[str]:
    """What stops serving in production mode (Vietnamese), empty when nothing does."""
    configure()
    problems = []
    if not settings.DEBUG and not settings.PARINDEX_DEMO:
        if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
            problems.append("chưa đặt PARINDEX_SECRET_KEY: không chạy thật bằng khóa bí mật mẫu")
        if not settings.ALLOWED_HOSTS:
            problems.append("chưa đặt PARINDEX_ALLOWED_HOSTS")
    return problems
