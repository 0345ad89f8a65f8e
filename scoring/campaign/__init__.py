"""A campaign: many units, self-assessment, two appraisal rounds with explanations, survey
points, ranking and publication, on one embedded database per campaign (stdlib ``sqlite3``).

The Python API carries the names of the command line (``parindex campaign …``)::

    from scoring import campaign as c
    store = c.init("cchc-xa-2025.db", "rubrics/demo-xa-2025.yaml", "Chỉ số CCHC cấp xã 2025", by="Sở Nội vụ")
    c.add_unit(store, ["UBND xã An Phú"], by="Sở Nội vụ")
    c.submit(store, ["examples/xa-an-phu.yaml"])
    c.close_phase(store, "tu-danh-gia", by="Sở Nội vụ")
    c.appraise(store, "UBND xã An Phú", "1.2", points="0,5", reason="…", by="Trần Thị B")
    …
    c.rank(store); c.publish(store, "cong-bo/", …); c.verify(store); c.status(store)

For other tools (the remediation-plan generator): ``appraised_sheet(store)`` is the
campaign's result as a ``ScoreSheet`` (``.result(unit)`` gives a ``UnitResult`` with traces),
and ``indices(store)`` every unit's index.
"""

from .appraisal import Decision, appraise, appraise_many, explain, read_decisions
from .audit import Verification
from .clock import FixedClock, SystemClock, clock_from_environment
from .diff import UnitDiff, diff, diff_workbook
from .phases import PHASE_VI, PHASES, close_phase, phase_states
from .publish import Publication, PublishOptions, publish
from .setup import add_unit, init, unit_names_from_files
from .sheets import appraised_sheet, campaign_table, indices, self_sheet, unit_result
from .standings import Standing, load_previous, rank
from .status import CampaignStatus, log, status, verify
from .store import CampaignError, CampaignStore, PhaseLocked, open_campaign
from .submissions import submit, withdraw
from .survey import import_survey

__all__ = [
    "CampaignError", "CampaignStatus", "CampaignStore", "Decision", "FixedClock", "PHASES", "PHASE_VI",
    "PhaseLocked", "Publication", "PublishOptions", "Standing", "SystemClock", "UnitDiff", "Verification",
    "add_unit", "appraise", "appraise_many", "appraised_sheet", "campaign_table", "clock_from_environment",
    "close_phase", "diff", "diff_workbook", "explain", "import_survey", "indices", "init", "load_previous", "log",
    "open_campaign", "phase_states", "publish", "rank", "read_decisions", "self_sheet", "status", "submit",
    "unit_names_from_files", "unit_result", "verify", "withdraw",
]
