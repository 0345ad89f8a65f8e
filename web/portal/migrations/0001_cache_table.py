"""The table of Django's database cache (settings.CACHES): what the portal computes once for every
app server — the ranking per campaign log head — is kept there, not per process."""

from __future__ import annotations

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []  # noqa: RUF012 - Django reads these class attributes
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]  # noqa: RUF012
