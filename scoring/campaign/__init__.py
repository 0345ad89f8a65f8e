"""A campaign: many units, self-assessment, two appraisal rounds with explanations, survey
points, ranking and publication, on the Django store of ``web.store`` (a SQLite file per
campaign, or PostgreSQL), every change by an authenticated account and signed in the log.

The Python API carries the names of the command line (``parindex campaign …``)::

    from scoring import campaign as c
    store = c.init("cchc-xa-2025.db", "rubrics/demo-xa-2025.yaml", "Chỉ số CCHC cấp xã 2025", by="Sở Nội vụ")
    c.add_unit(store, ["UBND xã An Phú"], by="Sở Nội vụ")
    c.add_account(store, "Trần Thị B", "tham-dinh", by="Sở Nội vụ")
    c.submit(store, ["examples/xa-an-phu.yaml"])
    c.close_phase(store, "tu-danh-gia", by="Sở Nội vụ")
    c.appraise(store, "UBND xã An Phú", "1.2", points="0,5", reason="…", by="Trần Thị B")
    …
    c.rank(store); c.publish(store, "cong-bo/", …); c.verify(store); c.status(store)

For other tools (the remediation-plan generator): ``appraised_sheet(store)`` is the
campaign's result as a ``ScoreSheet`` (``.result(unit)`` gives a ``UnitResult`` with traces;
after publication only once the campaign is proven equal to what was published), and
``indices(store)`` every unit's index.
"""

from web import setup as _web_setup

_web_setup.configure()  # Django before any model is imported; a user never names a settings module

from .accounts import AccountInfo, accounts, add_account, add_unit_accounts, reset_password, set_active  # noqa: E402
from .appraisal import Decision, appraise, appraise_many, explain, read_decisions  # noqa: E402
from .audit import Verification  # noqa: E402
from .clock import FixedClock, SystemClock, clock_from_environment  # noqa: E402
from .diff import UnitDiff, diff, diff_workbook  # noqa: E402
from .health import guarded  # noqa: E402
from .legacy import migrate  # noqa: E402
from .phases import PHASE_VI, PHASES, close_phase, phase_states  # noqa: E402
from .publish import Publication, PublishOptions, publish  # noqa: E402
from .reading import log_reader, reader, unit_reader  # noqa: E402
from .setup import add_unit, init, unit_names_from_files  # noqa: E402
from .sheets import campaign_table, indices, self_sheet, unit_result  # noqa: E402
from .snapshot import appraised_sheet, rank  # noqa: E402
from .standings import Standing, load_previous  # noqa: E402
from .status import CampaignStatus, log, status  # noqa: E402
from .store import AccessDenied, CampaignError, CampaignStore, PhaseLocked, open_campaign  # noqa: E402
from .submissions import submit, withdraw  # noqa: E402
from .survey import import_survey  # noqa: E402
from .verification import verify  # noqa: E402

__all__ = [
    "AccessDenied", "AccountInfo", "CampaignError", "CampaignStatus", "CampaignStore", "Decision", "FixedClock",
    "PHASES", "PHASE_VI", "PhaseLocked", "Publication", "PublishOptions", "Standing", "SystemClock", "UnitDiff",
    "Verification", "accounts", "add_account", "add_unit", "add_unit_accounts", "appraise", "appraise_many",
    "appraised_sheet", "campaign_table", "clock_from_environment", "close_phase", "diff", "diff_workbook", "explain",
    "guarded",
    "import_survey", "indices", "init", "load_previous", "log", "log_reader", "migrate", "open_campaign", "phase_states", "publish",
    "rank", "read_decisions", "reader", "reset_password", "self_sheet", "set_active", "status", "submit",
    "unit_names_from_files", "unit_reader", "unit_result", "verify", "withdraw",
]
