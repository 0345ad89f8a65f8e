"""A damaged campaign database answers with one line, never a traceback.

``store.check_schema`` runs when a campaign is opened (every table of the store is there, and no
migration this program does not know — a file made by a newer parindex); ``diagnose`` runs when
a command has failed unexpectedly on a campaign: it re-reads the campaign with ``verify`` and names the first thing that is broken (an edited row, an entry whose content is no
longer JSON, a broken link of the chain). A failure on a campaign that verifies whole is a defect
of the program and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError

from .store import CampaignError, database_problem, open_campaign
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
