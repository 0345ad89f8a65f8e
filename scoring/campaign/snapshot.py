"""What was published stays published: after publication, results are read from the snapshot.

``rank`` and ``appraised_sheet`` (the plan generator's input) first prove the campaign whole
(``verify``: chain, signatures, rows, phases, and recomputation equal to the snapshot); a
campaign that fails is refused, naming the first broken entry, instead of silently showing
rows edited behind the log's back.
"""

from __future__ import annotations

import json

from scoring.ranking import Standing as RankedStanding
from scoring.result import ScoreSheet
from web.store.models import Publication

from . import sheets
from .standings import Kept, Standing, compute, standings_from_json, with_changes
from .store import CampaignError, CampaignStore
from .verification import verify


def published_results(store: CampaignStore) -> list[Standing] | None:
    """The published standings after proving the campaign whole; None before publication."""
    row = store.objects(Publication).order_by("-seq").values_list("seq", "results").first()
    if row is None:
        return None
    report = verify(store)
    if not report.ok:
        raise CampaignError.single(store.name, "", f"kết quả đã công bố (nhật ký #{row[0]}) không còn tin cậy được: "
                                                   f"{report.problems[0]} (chạy parindex campaign verify để xem hết)")
    return standings_from_json(json.loads(row[1]))


def rank(store: CampaignStore, previous: CampaignStore | list[RankedStanding] | None = None,
         kept: Kept | None = None) -> list[Standing]:
    """Every unit, best first: the published result once published, else recomputed now (only the
    units changed since ``kept``, see ``standings.compute``)."""
    published = published_results(store)
    if published is None:
        return compute(store, previous, kept)
    return with_changes(published, previous)


def appraised_sheet(store: CampaignStore, unit: str | None = None) -> ScoreSheet:
    """The campaign's result with traces; after publication only once proven equal to the snapshot."""
    published_results(store)
    return sheets.appraised_sheet(store, unit)
