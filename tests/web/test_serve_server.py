"""``parindex serve``'s production mode runs the server the benchmark measures: gunicorn with
gthread workers (one per core, at least 2) and 8 threads each, or the counts asked for."""

from __future__ import annotations

import django.core.management
import pytest
from click.testing import CliRunner

import web.setup
from web.portal import serve as serve_module


@pytest.fixture
def started(monkeypatch):
    """The arguments ``serve`` hands to gunicorn, with set-up, migrations and the exec itself stubbed."""
    calls: list[list[str]] = []
    monkeypatch.setattr(web.setup, "configure", lambda: None)
    monkeypatch.setattr(web.setup, "check_production", list)
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(serve_module.shutil, "which", lambda name: "/usr/bin/gunicorn")
    monkeypatch.setattr(serve_module.os, "execv", lambda path, args: calls.append(args))

    def run(*options: str) -> list[str]:
        result = CliRunner().invoke(serve_module.serve, list(options))
        assert result.exit_code == 0, result.output
        return calls[-1]

    return run


def _value(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def test_production_runs_gthread_workers_like_the_benchmark(started, monkeypatch) -> None:
    monkeypatch.setattr(serve_module.os, "cpu_count", lambda: 6)
    args = started("--host", "127.0.0.1", "--port", "8123")
    assert _value(args, "--worker-class") == "gthread"
    assert _value(args, "--workers") == "6"
    assert _value(args, "--threads") == "8"
    assert _value(args, "--bind") == "127.0.0.1:8123"
    expected = serve_module.gunicorn_args("127.0.0.1", 8123)
    assert args[1: 1 + len(expected)] == expected


def test_worker_and_thread_counts_can_be_chosen(started, monkeypatch) -> None:
    monkeypatch.setattr(serve_module.os, "cpu_count", lambda: 1)
    assert _value(started(), "--workers") == "2"  # at least 2, so one slow request never blocks the site
    args = started("--workers", "4", "--threads", "2")
    assert (_value(args, "--workers"), _value(args, "--threads")) == ("4", "2")
