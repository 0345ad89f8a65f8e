"""Database locations as users write them → Django ``DATABASES`` entries.

``sqlite:///relative.db``, ``sqlite:////absolute.db``, a plain file path, or
``postgresql://user:password@host:port/name`` (also ``postgres://``). A ``#slug`` after a
PostgreSQL URL names one campaign of a database that holds several.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SQLITE_TIMEOUT_SECONDS = 60
POSTGRES_SCHEMES = ("postgresql", "postgres", "pgsql")


class DatabaseUrlError(ValueError):
    """A location that names no database we can use (message in Vietnamese)."""


def is_postgres(location: str | Path) -> bool:
    return str(location).split("://", 1)[0].lower() in POSTGRES_SCHEMES and "://" in str(location)


def sqlite_file(location: str | Path) -> Path:
    """``sqlite:///x.db`` or a plain path → the file."""
    text = str(location)
    if "://" not in text:
        return Path(text)
    scheme, _, rest = text.partition("://")
    if scheme.lower() != "sqlite":
        raise DatabaseUrlError(f"không hỗ trợ cơ sở dữ liệu “{scheme}”: dùng tệp SQLite (đường dẫn hoặc "
                               "sqlite:///đường/dẫn.db) hoặc PostgreSQL (postgresql://…)")
    rest = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel.db → rel.db; sqlite:////abs → /abs
    return Path(rest)


def split_slug(location: str) -> tuple[str, str]:
    """``postgresql://…/db#slug`` → (URL without the fragment, slug or "")."""
    base, _, slug = str(location).partition("#")
    return base, slug.strip()


def database_settings(location: str | Path) -> dict[str, Any]:
    """One ``DATABASES`` entry for ``location`` (PostgreSQL URL or SQLite file)."""
    if is_postgres(location):
        url = urlsplit(split_slug(str(location))[0])
        name = unquote(url.path.lstrip("/"))
        if not name:
            raise DatabaseUrlError(f"{location}: thiếu tên cơ sở dữ liệu (postgresql://máy:cổng/TÊN)")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(url.username or "postgres"),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": 0,
            "OPTIONS": {"connect_timeout": 5},
        }
    path = sqlite_file(location)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path.expanduser().resolve()),
        "CONN_MAX_AGE": 0,
        # every atomic block takes the write lock first: two writers queue, none loses an update
        "OPTIONS": {"timeout": SQLITE_TIMEOUT_SECONDS, "transaction_mode": "IMMEDIATE"},
    }
