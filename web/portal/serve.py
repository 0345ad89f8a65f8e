"""``parindex serve``: the portal on the campaign store.

``--demo`` needs nothing else: a SQLite database in a demo folder, the shipped rubric and the
example units, one account per role (printed), Django's own server on 127.0.0.1. Without it the
settings come from the environment (``DATABASE_URL``, ``PARINDEX_SECRET_KEY``,
``PARINDEX_ALLOWED_HOSTS``, ``PARINDEX_MEDIA_ROOT``) and gunicorn serves; demo secrets are refused.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from scoring.reports.click_vi import Command, option

DEMO_DIR = "parindex-demo"
THREADS = 8  # threads per gunicorn worker


@click.command(name="serve", cls=Command)
@option("--demo", is_flag=True, help="Tạo đợt đánh giá minh họa trên SQLite và chạy thử trên máy này.")
@option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ", help="Địa chỉ lắng nghe.")
@option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), metavar="CỔNG", help="Cổng (1–65535).")
@option("--workers", default=None, type=click.IntRange(1, 64), metavar="SỐ",
        help="Số tiến trình gunicorn (chế độ chạy thật, 1–64; mặc định bằng số lõi của máy, ít nhất 2).")
@option("--threads", default=THREADS, show_default=True, type=click.IntRange(1, 64), metavar="SỐ",
        help="Số luồng của mỗi tiến trình gunicorn (chế độ chạy thật, 1–64).")
@option("--data", "data_dir", type=click.Path(file_okay=False), default=None, metavar="THƯ_MỤC",
        help=f"Thư mục dữ liệu của bản minh họa (mặc định ./{DEMO_DIR}).")
@option("--prepare-only", is_flag=True, help="Chỉ chuẩn bị (cơ sở dữ liệu, tài khoản) rồi dừng, không chạy máy chủ.")
def serve(demo: bool, host: str, port: int, workers: int | None, threads: int, data_dir: str | None,
          prepare_only: bool) -> None:
    """Chạy cổng thông tin: đơn vị tự chấm, tổ thẩm định kiểm tra, Nội vụ công bố — trên trình duyệt."""
    if demo:
        folder = Path(data_dir or DEMO_DIR).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["PARINDEX_DEMO"] = "1"
        os.environ["PARINDEX_DATA_DIR"] = str(folder)
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'parindex.db'}")
        os.environ.setdefault("PARINDEX_MEDIA_ROOT", str(folder / "media"))
        os.environ.setdefault("PARINDEX_SIGNING_KEY", str(folder / "signing-ed25519.pem"))
    from web.setup import check_production, configure

    configure()
    from django.core.management import call_command

    problems = check_production()
    if problems:
        for problem in problems:
            click.echo(f"lỗi: {problem}", err=True)
        click.echo("Xem docs/portal.md (chạy thật) hoặc dùng: parindex serve --demo", err=True)
        sys.exit(2)
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        from web.portal.demo import ensure_demo

        accounts = ensure_demo()
        click.echo("Đợt đánh giá minh họa đã sẵn sàng. Tài khoản (mật khẩu minh họa, không dùng thật):")
        for role, username, password, scope in accounts:
            click.echo(f"  {role:<12} {username:<16} {password:<18} {scope}")
        click.echo(f"Mở trình duyệt: http://{host}:{port}/  (Ctrl+C để dừng)")
        if prepare_only:
            return
        call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True, use_threading=True)
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    if prepare_only:
        click.echo("Đã chuẩn bị cơ sở dữ liệu và tệp tĩnh.")
        return
    gunicorn = shutil.which("gunicorn")
    if gunicorn is None:
        click.echo("lỗi: chưa cài gunicorn (pip install gunicorn)", err=True)
        sys.exit(2)
    os.execv(gunicorn, [gunicorn, *gunicorn_args(host, port, workers, threads),
                        "--access-logfile", "-", "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")])


def gunicorn_args(host: str, port: int, workers: int | None = None, threads: int = THREADS) -> list[str]:
    """gunicorn's arguments for the portal: ``gthread`` workers (one per core, at least 2), each with
    ``threads`` threads — a request waiting on the database leaves its core to another. The
    benchmark (``benchmarks/portal.py``) starts gunicorn with these same arguments."""
    count = workers or default_workers()
    return ["web.wsgi:application", "--bind", f"{host}:{port}", "--worker-class", "gthread",
            "--workers", str(count), "--threads", str(threads)]


def default_workers() -> int:
    return max(2, os.cpu_count() or 2)
