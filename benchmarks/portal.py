"""The portal's speed on SQLite and PostgreSQL: figures and verdicts, not timed tests.

    python -m benchmarks.portal            # both databases, 3,321 units, 100 users × 5 saves
    python -m benchmarks.portal --quick    # both databases, 400 units, 30 users × 3 saves

Each database runs in its own process (Django's settings are per process). Measured:

- the self-assessment page of a 100-leaf rubric (one field's tab; the whole draft is scored),
  server time through Django's test client, median of N;
- a re-score after one edit (the HTMX post of one leaf: save + score + partial), median;
- the ranking page of 3,321 submitted units (Nội vụ), median;
- 100 users saving leaves at once against gunicorn over loopback (bounded count and time):
  p50/p95 latency, errors, and a check that every save is in the database afterwards.

Targets: page < 150 ms, re-score < 50 ms, ranking < 1 s, p95 < 300 ms, 0 errors, 0 lost.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import yaml

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("PARINDEX_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGETS = {"page": 0.150, "rescore": 0.050, "ranking": 1.0, "p95": 0.300}
SLUG = "do-toc-do"


def rubric_100() -> str:
    """A 100-leaf rubric: the demo rubric's scored leaves (every rule kind) copied into 10 fields of 10."""
    demo = yaml.safe_load((ROOT / "rubrics" / "demo-xa-2025.yaml").read_text(encoding="utf-8"))
    leaves = []

    def walk(node: dict) -> None:
        if "rule" in node:
            leaves.append(node)
        for child in node.get("children", ()):
            walk(child)

    for field in demo["nodes"]:
        if field["code"] != demo.get("survey", {}).get("code"):
            walk(field)
    fields = []
    for f in range(10):
        children = []
        for k in range(10):
            leaf = copy.deepcopy(leaves[(f * 10 + k) % len(leaves)])
            leaf["code"] = f"{f + 1}.{k + 1}"
            leaf.pop("not_applicable", None)
            leaf["max"] = str(Decimal(str(leaf["max"])))
            children.append(leaf)
        total = sum(Decimal(c["max"]) for c in children)
        fields.append({"code": str(f + 1), "name": f"Lĩnh vực thử {f + 1}", "max": str(total), "children": children})
    rubric = {key: demo[key] for key in ("title", "level", "year", "source", "precision", "classification")}
    rubric.update({"id": "do-toc-do-100", "not_applicable": "exclude", "nodes": fields})
    return yaml.safe_dump(rubric, allow_unicode=True, sort_keys=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ one database, in its own process
def run_backend(backend: str, units: int, users: int, saves: int, repeat: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"parindex-bench-{backend}-"))
    database_url, drop = _database(backend, folder)
    os.environ.update({"DATABASE_URL": database_url, "PARINDEX_DATA_DIR": str(folder),
                       "PARINDEX_MEDIA_ROOT": str(folder / "media"), "PARINDEX_SECRET_KEY": secrets.token_urlsafe(40),
                       "PARINDEX_SIGNING_KEY": str(folder / "khoa.pem"), "PARINDEX_ALLOWED_HOSTS": "127.0.0.1,testserver",
                       "DJANGO_SETTINGS_MODULE": "web.settings"})
    try:
        return _measure(backend, folder, units, users, saves, repeat)
    finally:
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def _database(backend: str, folder: Path):
    if backend == "sqlite":
        return f"sqlite:///{folder / 'portal.db'}", lambda: None
    import psycopg

    name = f"parindex_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{POSTGRES.rsplit('/', 1)[0]}/{name}", drop


def _measure(backend: str, folder: Path, n_units: int, n_users: int, saves: int, repeat: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from benchmarks.synthetic import raw_frame
    from scoring import campaign as c
    from web.portal.leaf_inputs import form_of, inputs_of
    from web.store import services
    from web.store.models import Draft, Profile, Unit
    from web.warm import warm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # this process only
    call_command("migrate", interactive=False, verbosity=0)
    warm()  # as every gunicorn worker does on start (web/wsgi.py): the server's in-process figures
    operator = User.objects.create_user("van-hanh", first_name="Sở Nội vụ (đo tốc độ)", is_staff=True)
    Profile.objects.create(user=operator, must_change_password=False)
    started = time.perf_counter()
    campaign = services.create_campaign(operator, SLUG, "Đo tốc độ cổng", 2025, rubric_100())
    rubric = services.rubric_of(campaign)
    frame = raw_frame(rubric, n_units).fillna("")
    store = services.store_for(campaign)
    c.add_unit(store, list(frame.index), by=operator)
    csv = folder / "tu-danh-gia.csv"
    frame.iloc[n_users + 1:].to_csv(csv, encoding="utf-8")  # the load's units and the page's unit stay drafts
    c.submit(store, [csv], by=operator)
    setup_seconds = time.perf_counter() - started

    units = list(Unit.objects.filter(campaign=campaign).order_by("seq"))
    page_unit = units[0]
    made = services.create_accounts(operator, campaign, [{"username": f"don-vi-{i}", "role": "don-vi", "unit": u}
                                                         for i, u in enumerate(units[: n_users + 1])])
    Profile.objects.filter(user__username__in=[name for name, _ in made]).update(must_change_password=False)
    clerks = [User.objects.get(username=name) for name, _ in made]
    first = {k: str(v) for k, v in frame.iloc[0].items() if str(v).strip()}
    services.save_cells(clerks[0], campaign, page_unit, cells=first)

    client = Client()
    client.force_login(clerks[0], backend="django.contrib.auth.backends.ModelBackend")
    form_url = f"/c/{SLUG}/don-vi/{page_unit.pk}/tu-danh-gia/"
    load_before = os.getloadavg()[0]
    page, page_cpu = _median(lambda: _ok(client.get(form_url)), repeat)
    specs = inputs_of(rubric)
    code = next(code for code, text in first.items() if specs[code].widget in ("ratio", "number", "choice"))
    values = [first[code], str(frame.iloc[1][code]) or first[code]]
    posts = iter(range(10**6))

    def edit() -> None:
        text = values[next(posts) % 2]
        body = form_of(specs[code], text)
        _ok(client.post(f"/c/{SLUG}/don-vi/{page_unit.pk}/la/{code}/", body, HTTP_HX_REQUEST="true"))

    rescore, rescore_cpu = _median(edit, repeat)
    admin = Client()
    admin.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    ranking_url = f"/c/{SLUG}/quan-tri/xep-hang/"
    # the first view after the import of every submission: every unit is scored
    ranking_import = _once(lambda: _ok(admin.get(ranking_url)))
    ranking = _median(lambda: _ok(admin.get(ranking_url)), max(3, repeat // 4))  # warm: same log head
    # the first view after one submission: the log moved, one unit changed
    services.submit(clerks[0], campaign, page_unit)
    _forget_in_process()
    ranking_submit = _once(lambda: _ok(admin.get(ranking_url)))

    load = _load(campaign, rubric, frame, units[1: n_users + 1], clerks[1:], saves, specs)
    lost = 0
    for unit, expected in load.pop("expected").items():
        cells = Draft.objects.get(unit_id=unit).cells
        lost += sum(1 for code, text in expected.items() if cells.get(code) != text)

    # the first view after one appraisal (round 1 opens when self-assessment is closed by hand)
    services.close_phase(operator, campaign, "tu-danh-gia")
    (appraiser, _), = services.create_accounts(operator, campaign, [{"username": "tham-dinh", "role": "tham-dinh"}])
    appraised = units[-1]
    leaf = rubric.leaves()[0]
    services.appraise(User.objects.get(username=appraiser), campaign, appraised, 1, leaf.code, "0",
                      "Đo tốc độ: hạ điểm một tiêu chí")
    _forget_in_process()
    ranking_appraisal = _once(lambda: _ok(admin.get(ranking_url)))
    return {"backend": backend, "units": n_units, "leaves": len(rubric.leaves()), "setup_s": setup_seconds,
            "page_s": page, "page_cpu_s": page_cpu, "rescore_s": rescore, "rescore_cpu_s": rescore_cpu,
            "ranking_s": ranking[0], "ranking_cpu_s": ranking[1],
            "ranking_import_s": ranking_import[0], "ranking_import_cpu_s": ranking_import[1],
            "ranking_submit_s": ranking_submit[0], "ranking_submit_cpu_s": ranking_submit[1],
            "ranking_appraisal_s": ranking_appraisal[0], "ranking_appraisal_cpu_s": ranking_appraisal[1],
            "load_before": load_before, "load_after": os.getloadavg()[0], **load, "lost": lost}


def _forget_in_process() -> None:
    """Measure a change as the app server that did NOT rank it last sees it: only what the database
    (its shared cache) holds, nothing this process kept in memory."""
    from web.portal import queries

    queries._rankings.clear()
    queries._unit_results.clear()


def _ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.content[:300]!r}")
    return response


def _median(run, repeat: int) -> tuple[float, float]:
    """(median wall time, median CPU time of this process) of ``run``, after one warm-up run."""
    run()  # warm: templates, rubric cache
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def _once(run) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - start_cpu


def _load(campaign, rubric, frame, units, clerks, saves: int, specs) -> dict:
    """``len(units)`` users, each saving ``saves`` leaves at once against gunicorn on loopback."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from web.portal.leaf_inputs import form_of
    from web.portal.serve import THREADS, default_workers, gunicorn_args

    port = free_port()
    # the server ``parindex serve`` runs in production: the same gunicorn arguments (gthread, one worker
    # per core, 8 threads each) unless PARINDEX_BENCH_WORKERS / _THREADS ask for another shape
    workers = int(os.environ.get("PARINDEX_BENCH_WORKERS", "0")) or default_workers()
    threads = os.environ.get("PARINDEX_BENCH_THREADS", str(THREADS))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *gunicorn_args("127.0.0.1", port, workers, int(threads)),
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port)
        jobs = []
        expected: dict[int, dict[str, str]] = {}
        for position, (unit, clerk) in enumerate(zip(units, clerks), start=1):
            session = SessionStore()
            session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(clerk.pk), "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = clerk.get_session_auth_hash()
            session.save()
            row = {k: str(v) for k, v in frame.iloc[position].items() if str(v).strip()}
            chosen = [code for code in row if specs[code].widget != "checklist"][:saves]
            expected[unit.pk] = {code: _posted(specs[code], row[code]) for code in chosen}
            jobs.append((unit.pk, session.session_key, [(code, row[code]) for code in chosen]))
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + 180
        token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and header

        def user(unit_id: int, session_key: str, edits: list[tuple[str, str]]) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={token}",
                       "X-CSRFToken": token, "HX-Request": "true", "Referer": f"http://127.0.0.1:{port}/",
                       "Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"}
            for code, text in edits:
                if time.monotonic() > deadline:
                    with lock:
                        errors.append("hết giờ")
                    return
                body = urlencode(form_of(specs[code], text), doseq=True)
                start = time.perf_counter()
                try:
                    conn.request("POST", f"/c/{SLUG}/don-vi/{unit_id}/la/{code}/", body=body, headers=headers)
                    response = conn.getresponse()
                    content = response.read()
                    ok = response.status == 200 and b"field-error" not in content
                except OSError as exc:
                    ok, content = False, str(exc).encode()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(content[:200].decode("utf-8", "replace"))
            conn.close()

        _warm(port, jobs[: 2 * workers * int(threads)], settings.SESSION_COOKIE_NAME, token,
              lambda code, text: form_of(specs[code], text))
        threads = [threading.Thread(target=user, args=job) for job in jobs]
        cpu_before = _server_cpu(server.pid)
        database_before = _database_cpu()
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        server_cpu = _server_cpu(server.pid) - cpu_before
        database_cpu = _database_cpu() - database_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("nan")
    return {"users": len(jobs), "requests": len(latencies), "p50_s": statistics.median(ordered) if ordered else None,
            "p95_s": p95, "errors": len(errors), "error_sample": errors[:2], "load_wall_s": wall,
            "server_cpu_per_save_s": server_cpu / max(1, len(latencies)),
            "database_cpu_per_save_s": database_cpu / max(1, len(latencies)), "workers": workers,
            "expected": expected}


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and workers."""
    import psutil

    total = 0.0
    master = psutil.Process(pid)
    for process in [master, *master.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _database_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL server's processes on this machine (0 when none are
    visible): the other half of a save's cost. Counts other sessions' queries too, so an upper bound."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name"]):
        if process.info["name"] in ("postgres", "postmaster"):
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
    return total


def _warm(port: int, jobs: list, cookie: str, token: str, form) -> None:  # noqa: ANN001 - form: (code, text) → fields
    """Each gunicorn worker's first requests load the views, templates and the rubric, and each of
    its threads opens its database connection: open the self-assessment page and save the user's
    first leaf (the same value the load saves again) from as many clients at once as the server
    has threads — not timed, so the load measures a running server."""
    from django.conf import settings

    def get(unit_id: int, session_key: str, edits: list[tuple[str, str]]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", f"/c/{SLUG}/don-vi/{unit_id}/tu-danh-gia/",
                     headers={"Cookie": f"{cookie}={session_key}", "Host": "127.0.0.1"})
        conn.getresponse().read()
        if edits:
            code, text = edits[0]
            conn.request("POST", f"/c/{SLUG}/don-vi/{unit_id}/la/{code}/", body=urlencode(form(code, text), doseq=True),
                         headers={"Cookie": f"{cookie}={session_key}; {settings.CSRF_COOKIE_NAME}={token}", "X-CSRFToken": token,
                                  "HX-Request": "true", "Referer": f"http://127.0.0.1:{port}/",
                                  "Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"})
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=get, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _posted(spec, text: str) -> str:
    """The cell text the page's widgets post for ``text`` (what the draft must hold afterwards)."""
    from web.portal.leaf_inputs import form_of, text_of

    form = form_of(spec, text)
    return text_of(spec, form, form.get("items", ()))


def _wait_for(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


# ------------------------------------------------------------------ report
def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f} ms".replace(",", " ").replace(".", ",")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _verdict(value: float | None, target: float) -> str:
    return "ĐẠT" if value is not None and value < target else "CHƯA ĐẠT"


def _with_cpu(wall: float | None, cpu: float | None) -> str:
    return f"{_ms(wall)} (CPU {_ms(cpu)})" if cpu is not None else _ms(wall)


def report(result: dict) -> None:
    b = result["backend"]
    n = _count(result["units"])
    print(f"\n== {b}: {n} đơn vị, bộ chỉ số {result['leaves']} tiêu chí thành phần "
          f"(chuẩn bị {result['setup_s']:.0f} s; tải trung bình của máy {result['load_before']:.1f} lúc bắt đầu đo, "
          f"{result['load_after']:.1f} lúc xong; {os.cpu_count()} lõi)")
    rows = [
        ("Trang tự đánh giá (một thẻ lĩnh vực, chấm cả bản nháp)", result["page_s"], result["page_cpu_s"],
         TARGETS["page"]),
        ("Chấm lại sau một lần sửa (HTMX: lưu + chấm + trả phần trang)", result["rescore_s"], result["rescore_cpu_s"],
         TARGETS["rescore"]),
        (f"Xếp hạng {n} đơn vị, lần đầu sau khi một đơn vị nộp", result["ranking_submit_s"],
         result["ranking_submit_cpu_s"], TARGETS["ranking"]),
        (f"Xếp hạng {n} đơn vị, lần đầu sau một quyết định thẩm định", result["ranking_appraisal_s"],
         result["ranking_appraisal_cpu_s"], TARGETS["ranking"]),
        (f"Xếp hạng {n} đơn vị, xem lại (trung vị)", result["ranking_s"], result["ranking_cpu_s"], TARGETS["ranking"]),
        (f"Xếp hạng {n} đơn vị, lần đầu sau khi nhập cả {n} bản (chấm mọi đơn vị)", result["ranking_import_s"],
         result["ranking_import_cpu_s"], TARGETS["ranking"]),
        (f"{result['users']} người lưu cùng lúc: p50", result["p50_s"], None, None),
        (f"{result['users']} người lưu cùng lúc: p95 ({result['requests']} lần lưu)", result["p95_s"], None,
         TARGETS["p95"]),
    ]
    for name, value, cpu, target in rows:
        goal = f"< {_ms(target)}: {_verdict(value, target)}" if target else ""
        print(f"  {name:<72} {_with_cpu(value, cpu):>28}  {goal}")
    print(f"  {'lỗi khi lưu':<72} {result['errors']:>28}  = 0: {'ĐẠT' if result['errors'] == 0 else 'CHƯA ĐẠT'}")
    print(f"  {'lần lưu bị mất (so với cơ sở dữ liệu sau đó)':<72} {result['lost']:>28}  "
          f"= 0: {'ĐẠT' if result['lost'] == 0 else 'CHƯA ĐẠT'}")
    print(f"  {'CPU máy chủ ứng dụng mỗi lần lưu (gunicorn, ' + str(result['workers']) + ' tiến trình)':<72} "
          f"{_ms(result['server_cpu_per_save_s']):>28}")
    if b == "postgresql":
        print(f"  {'CPU PostgreSQL mỗi lần lưu (mọi tiến trình postgres của máy, cận trên)':<72} "
              f"{_ms(result['database_cpu_per_save_s']):>28}")
    busy = result["requests"] * result["server_cpu_per_save_s"] / max(1, os.cpu_count() or 1)
    print(f"  {'đợt tải: thời gian thực / CPU cần tối thiểu trên ' + str(os.cpu_count()) + ' lõi':<72} "
          f"{result['load_wall_s']:>22.1f} s / {busy:.1f} s")
    if result.get("error_sample"):
        print(f"  ví dụ lỗi: {result['error_sample']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo tốc độ cổng thông tin trên SQLite và PostgreSQL.")
    parser.add_argument("--quick", action="store_true", help="ít đơn vị, ít người dùng: chạy nhanh")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    units, users, saves, repeat = (400, 30, 3, 15) if args.quick else (3321, 100, 5, 30)
    if args.child:
        print(json.dumps(run_backend(args.backend, units, users, saves, repeat)))
        return 0
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        command = [sys.executable, "-m", "benchmarks.portal", "--child", "--backend", backend]
        if args.quick:
            command.append("--quick")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        if done.returncode != 0:
            print(f"\n== {backend}: không đo được\n{done.stderr[-2000:]}")
            failed = True
            continue
        report(json.loads(done.stdout.strip().splitlines()[-1]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
