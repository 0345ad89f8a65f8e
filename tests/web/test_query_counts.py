"""The self-assessment page and a leaf's save read a bounded number of rows, whatever the number of
leaves, files or appraisals: no query per leaf (N+1) and no session write on every request."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from web.portal.demo import SLUG

CLERK = "anphu"


def _queries(run) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = run()
    assert response.status_code == 200, response.content[:300]
    return [q["sql"] for q in captured.captured_queries]


def test_the_self_assessment_page_reads_a_bounded_number_of_rows(demo) -> None:  # type: ignore[no-untyped-def]
    client = demo.client(CLERK)
    url = reverse("portal:unit_form", args=[SLUG, demo.anphu.pk])
    client.get(url)  # the first view may prepare what later views reuse
    first = _queries(lambda: client.get(url + "?f=1"))
    other = _queries(lambda: client.get(url + "?f=2"))  # another tab, other leaves
    print(len(first), *first, sep="\n")
    assert len(first) <= 14 and len(other) == len(first)
    assert not any(q.startswith(("UPDATE", "INSERT")) for q in first), "a page view writes nothing"


def test_a_save_reads_and_writes_a_bounded_number_of_rows(demo) -> None:  # type: ignore[no-untyped-def]
    client = demo.client(CLERK)
    url = reverse("portal:unit_leaf", args=[SLUG, demo.anphu.pk, "1.1.1"])
    client.post(url, {"value": "Ban hành kịp thời"}, HTTP_HX_REQUEST="true")
    saved = _queries(lambda: client.post(url, {"value": "Ban hành kịp thời"}, HTTP_HX_REQUEST="true"))
    print(len(saved), *saved, sep="\n")
    assert len(saved) <= 10  # session, account, membership (with its unit), phase, draft read + write, the leaf's files
    # and requests (+ BEGIN/COMMIT on SQLite)
    assert not any("django_session" in q and q.startswith("UPDATE") for q in saved)
    assert not any(q.startswith('SELECT "store_unit"') for q in saved), "a unit account's unit comes with its membership"


def test_the_ranking_is_computed_once_per_log_head_for_every_process(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from web.portal import queries
    from web.store import services

    admin = User.objects.get(username="quantri")
    first = queries.ranking(admin, demo.campaign)
    assert first
    queries._rankings.clear()  # another app server: nothing kept in its memory
    monkeypatch.setattr(services, "rank", lambda *a: (_ for _ in ()).throw(AssertionError("ranked again")))
    assert [(r.unit, r.rank, r.points) for r in queries.ranking(admin, demo.campaign)] == \
        [(r.unit, r.rank, r.points) for r in first]


def test_after_a_submission_another_process_scores_only_the_submitted_unit(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first ranking after a change re-scores the changed unit alone — also on an app server
    that never ranked this campaign (the per-unit results are in the database cache) — and equals
    a ranking computed from nothing."""
    from django.contrib.auth.models import User

    from scoring.campaign import standings
    from web.portal import queries
    from web.store import services

    admin = User.objects.get(username="quantri")
    queries.ranking(admin, demo.campaign)
    clerk = User.objects.get(username="anphu")
    services.save_cells(clerk, demo.campaign, demo.anphu, cells={"1.1.1": "Ban hành kịp thời"})
    services.submit(clerk, demo.campaign, demo.anphu)
    queries._rankings.clear()
    queries._unit_results.clear()  # another app server: nothing kept in its memory
    scored: list = []
    whole = standings.appraised_sheet
    monkeypatch.setattr(standings, "appraised_sheet", lambda store, unit=None, *, units=None, texts=True: (
        scored.append(units), whole(store, unit, units=units, texts=texts))[1])
    rows = queries.ranking(admin, demo.campaign)
    assert scored == [[demo.anphu.seq]]
    monkeypatch.setattr(standings, "appraised_sheet", whole)
    assert rows == services.rank(admin, demo.campaign)  # nothing kept: every unit scored again


def test_the_publication_progress_is_kept_in_the_database(demo) -> None:  # type: ignore[no-untyped-def]
    """Publishing reports its progress to the database, so the page polling it shows the same
    run whichever app server answers (nothing is kept in the process that started it)."""
    from django.core.cache import cache

    from web.portal import publishing

    client = demo.client("quantri")
    response = client.post(reverse("portal:admin_publish", args=[SLUG]), {"number": "12/QĐ-UBND"})
    assert response.status_code == 302
    stored = cache.get(f"cong-bo:{demo.campaign.pk}")
    assert stored is not None and stored["running"] is False
    job = publishing.job_of(demo.campaign)
    assert job is not None and (job.error or job.done == job.total)
    page = client.get(reverse("portal:admin_publish_progress", args=[SLUG]))
    assert f"{job.done}/{job.total}" in page.content.decode()
