"""A damaged campaign database answers with one line, never a traceback.

``store.check_schema`` runs when a campaign is opened (every table of the store is there, and no
migration this program does not know — a file made by a newer parindex); ``diagnose`` runs when
a command has failed unexpectedly on a campaign: it re-reads the campaign with ``verify`` and names the first thing that is broken (an edited row, an entry whose content is no
longer JSON, a broken link of the chain). A failure on a campaign that verifies whole is a defect
of the program and keeps its traceback.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from django.db import DatabaseError

from criteria import InputError

from .store import CampaignError, database_problem, open_campaign, shown_location
from .verification import verify

DAMAGED = "tệp chiến dịch bị hỏng hoặc bị sửa ngoài phần mềm"


def diagnose(location: str | Path, shown: str) -> CampaignError | None:
    """After an unexpected failure on the campaign at ``location``: one line naming what is broken in
    it, or ``None`` when the campaign reads and verifies whole (the failure is then a defect)."""
    try:
        with open_campaign(location) as store:
            report = verify(store)
    except CampaignError as exc:
        return exc
    except DatabaseError as exc:
        return database_problem(shown, exc)
    except Exception as exc:  # noqa: BLE001 - whatever the damage raises, the answer is one line
        return CampaignError.single(shown, "", f"{DAMAGED}: dữ liệu không đọc được ({type(exc).__name__}); "
                                               "khôi phục từ bản sao lưu")
    if report.ok:
        return None
    more = f" (và {len(report.problems) - 1} vấn đề khác: campaign verify)" if len(report.problems) > 1 else ""
    return CampaignError.single(shown, "", f"{DAMAGED}: {report.problems[0]}{more}")


def damage(location: str | Path | None, exc: Exception) -> Exception:
    """What to raise for ``exc``, met by a command reading the campaign at ``location``: the one line
    naming the damage, or ``exc`` itself (bad input already said in Vietnamese, a file error, a defect)."""
    if location is None or isinstance(exc, (InputError, OSError)):
        return exc
    shown = shown_location(location)
    if isinstance(exc, DatabaseError):
        return database_problem(shown, exc)
    return diagnose(location, shown) or exc


@contextmanager
def guarded(location: str | Path) -> Iterator[None]:
    """Around the reading of a campaign outside the ``campaign`` commands (``plan --campaign``)."""
    try:
        yield
    except Exception as exc:
        found = damage(location, exc)
        if found is exc:
            raise
        raise found from None
