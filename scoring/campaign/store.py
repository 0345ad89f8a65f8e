"""One campaign's store: opening it, transactions, and writing a row with its signed log entry.

The data lives in the Django models of ``web.store`` on one of two databases, through the same
code: a SQLite file per campaign (the default; a path or ``sqlite:///path.db``) or PostgreSQL
(``postgresql://user@host:port/name``, several campaigns per database, one chosen by
``#slug``). The command line sets Django up itself (``web.setup``).

Concurrency: every change runs in one transaction that first takes the chain head under a
lock — ``SELECT … FOR UPDATE`` of the campaign's row on PostgreSQL, the database's write lock
on SQLite (every transaction begins ``IMMEDIATE``) — then reads the phase state, appends and
commits. Two appraisers at once queue for a moment; neither update is lost and the chain
never forks. A crash before the commit leaves the database exactly as it was.

Who: every entry is written by an account (``django.contrib.auth``) that is a member of the
campaign; ``account(...)`` finds it by user name or full name, and ``require(...)`` checks a
permission of ``web.store.permissions`` and refuses in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterator

from criteria import InputError, Rubric, load_rubric_text
from criteria.canonical import provenance
from criteria.files import os_reason
from criteria.names import unit_key
from criteria.rules.base import nfc
from web import setup as web_setup
from web.dburl import DatabaseUrlError, is_postgres, split_slug, sqlite_file

web_setup.configure()

import rules  # noqa: E402  (Django must be set up before the models are imported)
from django.contrib.auth.models import User  # noqa: E402
from django.db import DatabaseError, connections, transaction  # noqa: E402
from django.db.models import QuerySet  # noqa: E402

from web.store import models as m  # noqa: E402
from web.store import permissions  # noqa: E402,F401  (registers the rules)

from . import audit  # noqa: E402
from .clock import Clock, SystemClock  # noqa: E402
from .signing import Signer, load_signer  # noqa: E402


class CampaignError(InputError):
    """An action the campaign refuses (unknown unit, wrong phase, …): one clear line."""


class PhaseLocked(CampaignError):
    """The phase that allows this action is closed (or not open yet)."""


class AccessDenied(CampaignError):
    """The acting account may not do this (wrong role, another unit's data, not assigned)."""


MIGRATIONS = Path(m.__file__).resolve().parent / "migrations"
RECORDED_WITH = frozenset({"init", "submit", "import-survey", "publish"})  # entries naming rubric hash and engine
BULK_ROWS = 500  # rows per INSERT of a batch (SQLite's limit on parameters stays far away)

ROLE_VI = {m.QUAN_TRI: "quản trị", m.DON_VI: "đơn vị", m.THAM_DINH: "thẩm định", m.XEM: "xem"}


@dataclass(frozen=True)
class CampaignInfo:
    name: str
    year: int
    rubric_id: str
    deadlines: dict[str, str | None]  # phase key → ISO moment or None
    created_at: str
    created_by: str
    demo: bool = False
    slug: str = ""


def shown_location(location: str | Path) -> str:
    """A location fit to print: a PostgreSQL URL without its password."""
    text = str(location)
    if is_postgres(text) and "@" in text:
        scheme, _, rest = text.partition("://")
        credentials, _, host = rest.rpartition("@")
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return text


def connect(location: str | Path) -> str:
    """Register ``location`` with Django; its connection alias."""
    try:
        return web_setup.database_alias(location)
    except DatabaseUrlError as exc:
        raise CampaignError.single(str(location), "", str(exc)) from None


class CampaignStore:
    """An open campaign. Use ``open_campaign`` (or ``setup.init`` for a new one)."""

    def __init__(self, location: str | Path, alias: str, campaign: m.Campaign, clock: Clock,
                 operator: User | None = None, signer: Signer | None = None):
        self.location = location
        self.path = location if is_postgres(location) or "://" in str(location).removeprefix("sqlite://") \
            else sqlite_file(location)
        self.alias = alias
        self.campaign = campaign
        self.clock = clock
        self.operator = operator
        self._signer = signer
        self._in_write = False
        self._pending: dict[type, list[Any]] | None = None  # inside ``batched``: rows not inserted yet, by model
        self._rows: dict[tuple[type, int], Any] = {}
        self._provenance: dict[str, Any] | None = None  # criteria.canonical.provenance of the campaign's rubric
        self.postgres = connections[alias].vendor == "postgresql"

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        web_setup.forget(self.alias)

    def __enter__(self) -> "CampaignStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return shown_location(self.path)

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = load_signer(create=False)
        return self._signer

    # ------------------------------------------------------------------ queries
    def objects(self, model: type[m.models.Model]) -> QuerySet:
        """The rows of ``model`` that belong to this campaign."""
        return model.objects.using(self.alias).filter(campaign_id=self.campaign.pk)

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction holding the chain head: all of it lands, or none of it."""
        if self._in_write:
            yield
            return
        try:
            with transaction.atomic(using=self.alias):
                self._in_write = True
                self.campaign = m.Campaign.objects.using(self.alias).select_for_update().get(pk=self.campaign.pk)
                self.__dict__.pop("info", None)
                yield
        except DatabaseError as exc:
            raise database_problem(self.name, exc) from None
        finally:
            self._in_write = False

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Inside ``writing``: entries and rows are computed (hash, signature) one after another under
        the one head lock, and inserted at the end with one multi-row insert per table and one
        update of the head — a batch of thousands costs a handful of round trips, not three per row.
        Nothing inside may read back a row recorded in the same batch. An exception inserts nothing
        (and ``writing`` rolls back whatever else was done)."""
        if not self._in_write:
            raise RuntimeError("batched() must run inside writing()")
        if self._pending is not None:
            yield
            return
        self._pending = {m.AuditEntry: []}
        try:
            yield
            self._flush()
        finally:
            self._pending = None

    def _flush(self) -> None:
        pending, self._pending = self._pending or {}, None
        if not pending.get(m.AuditEntry):
            return
        for model, rows in pending.items():  # the entries first: rows follow the log that records them
            model.objects.using(self.alias).bulk_create(rows, batch_size=BULK_ROWS)
        campaign = self.campaign
        m.Campaign.objects.using(self.alias).filter(pk=campaign.pk).update(head_seq=campaign.head_seq,
                                                                          head_hash=campaign.head_hash)

    def insert(self, row: Any) -> None:
        """Insert a model row now, or at the end of the batch inside ``batched``."""
        if self._pending is None:
            row.save(using=self.alias, force_insert=True)
        else:
            self._pending.setdefault(type(row), []).append(row)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads that belong together (one snapshot on PostgreSQL)."""
        if self._in_write or not self.postgres:
            with nullcontext():
                yield
            return
        with transaction.atomic(using=self.alias):
            yield

    def now(self) -> dt.datetime:
        return self.clock.now()

    def head(self) -> tuple[int, str]:
        campaign = m.Campaign.objects.using(self.alias).only("head_seq", "head_hash").get(pk=self.campaign.pk)
        return campaign.head_seq, campaign.head_hash

    def record(self, table: str, row: dict[str, Any], *, action: str, actor: User, unit: str = "") -> int:
        """Append a signed log entry for ``row`` and insert the row under the entry's number."""
        if not self._in_write:
            raise RuntimeError("record() must run inside writing()")
        model = m.RECORDED_MODELS[table]
        if set(row) != set(model.RECORDED):
            raise ValueError(f"row for {table} needs exactly {model.RECORDED}")
        seq = self.append(action, actor, unit, {"table": table, "row": row})
        fields = {model.FIELD_OF.get(k, k) if hasattr(model, "FIELD_OF") else k: v for k, v in row.items()}
        refs = {k: v for k, v in fields.items() if k.endswith("_seq") and k != "chain_seq"}
        for key, number in refs.items():
            target = key.removesuffix("_seq")
            related = model._meta.get_field(target).related_model
            fields.pop(key)
            if (related, number) not in self._rows:  # rows never change: one lookup per store
                self._rows[(related, number)] = self.objects(related).get(seq=number)
            fields[target] = self._rows[(related, number)]
        self.insert(model(campaign=self.campaign, seq=seq, **fields))
        return seq

    def remember(self, row: Any) -> None:
        """A row already at hand, for ``record`` to refer to without looking it up again."""
        self._rows[(type(row), row.seq)] = row

    def append(self, action: str, actor: User, unit: str, detail: dict[str, Any]) -> int:
        """Append one entry after the head (inside ``writing``); its number."""
        if not self._in_write:
            raise RuntimeError("append() must run inside writing()")
        if self.clock.simulated:
            detail = {**detail, "clock": "simulated"}
        if action in RECORDED_WITH:  # what the points were computed with, in the hashed content
            if self._provenance is None:  # once per store: hashing the rubric model costs ~0,1 ms a call
                self._provenance = provenance(self.rubric)
            detail = {**detail, "provenance": self._provenance}
        campaign = self.campaign
        seq = campaign.head_seq + 1
        text = audit.canonical(detail)
        at = self.now().isoformat()
        name = display_name(actor)
        digest = audit.entry_hash(seq, at, name, action, unit, text, campaign.head_hash)
        self.insert(m.AuditEntry(
            campaign=campaign, seq=seq, at=at, account=actor, actor=name, action=action, unit=unit,
            payload=text, prev_hash=campaign.head_hash, hash=digest, signature=self.signer.sign(digest)))
        campaign.head_seq, campaign.head_hash = seq, digest
        if self._pending is None:
            m.Campaign.objects.using(self.alias).filter(pk=campaign.pk).update(head_seq=seq, head_hash=digest)
        return seq

    # ------------------------------------------------------------------ accounts
    def account(self, who: str | User | None) -> User:
        """The acting account: a member of this campaign named by user name or full name."""
        if who is None or (isinstance(who, str) and not nfc(who)):
            if self.operator is not None:
                return self.operator
            raise AccessDenied.single(self.name, "", "cần tài khoản thực hiện (--as TÊN hoặc biến PARINDEX_USER)")
        if isinstance(who, User):
            user = who
        else:
            name = nfc(who)
            users = User.objects.using(self.alias)
            user = users.filter(first_name=name).first() or users.filter(username=name).first()
            if user is None:
                raise AccessDenied.single(self.name, "", f"không có tài khoản “{name}” (thêm bằng parindex campaign "
                                                         "account add)")
        if not user.is_active:
            raise AccessDenied.single(self.name, "", f"tài khoản “{display_name(user)}” đã bị khóa")
        if permissions.membership(user, self.campaign) is None:
            raise AccessDenied.single(self.name, "", f"tài khoản “{display_name(user)}” không thuộc chiến dịch này")
        return user

    def role(self, user: User) -> str:
        found = permissions.membership(user, self.campaign)
        return found.role if found else ""

    def require(self, user: User, permission: str, target: m.Campaign | m.Unit | None, doing: str) -> None:
        """Refuse ``doing`` unless ``user`` holds ``permission`` on ``target``."""
        if rules.has_perm(permission, user, target if target is not None else self.campaign):
            return
        found = permissions.membership(user, self.campaign)
        role = ROLE_VI.get(found.role, "?") if found else "không thuộc chiến dịch"
        own = f" của {found.unit.name}" if found is not None and found.unit_id else ""
        raise AccessDenied.single(self.name, "", f"Tài khoản “{display_name(user)}” (vai trò {role}{own}) không được "
                                                 f"{doing}.")

    # ------------------------------------------------------------------ reads
    @cached_property
    def info(self) -> CampaignInfo:
        c = self.campaign
        first = self.objects(m.AuditEntry).filter(seq=c.seq).values_list("at", "actor").first() or ("", "")
        return CampaignInfo(c.title, int(c.year), c.rubric_id, json.loads(c.deadlines), first[0], first[1],
                            c.demo, c.slug)

    def deadlines(self) -> dict[str, str | None]:
        """phase key → ISO deadline, from the campaign's row as read by this store (re-read under the
        lock by ``writing``): no log read, so the phase check on every save costs no extra query."""
        return _deadlines(self.campaign.deadlines)

    @property
    def rubric(self) -> Rubric:
        try:
            return frozen_rubric(self.campaign.rubric_hash, self.campaign.rubric_text)
        except InputError as exc:  # the text stored at init no longer loads: edited outside the program
            first = exc.problems[0]
            raise CampaignError.single(self.name, "", "bộ chỉ số lưu trong chiến dịch bị sửa ngoài phần mềm, không "
                                                      f"dùng được ({first.place + ': ' if first.place else ''}"
                                                      f"{first.message})") from None

    def units(self) -> list[tuple[int, str, str]]:
        """(seq, name, level) of every unit, in the order they were added."""
        return list(self.objects(m.Unit).order_by("seq").values_list("seq", "name", "level"))

    def unit(self, name: str) -> m.Unit:
        """The unit, or a clear refusal naming the units that exist."""
        found = self.objects(m.Unit).filter(name=nfc(name)).first()
        if found is None:  # written another way (“Hoà”/“Hòa”, case, spaces): the same unit (criteria.names)
            key = unit_key(name)
            found = next((row for row in self.objects(m.Unit) if unit_key(row.name) == key), None)
        if found is None:
            known = [n for _, n, _ in self.units()]
            hint = f"; các đơn vị: {', '.join(known[:8])}{'…' if len(known) > 8 else ''}" if known else ""
            raise CampaignError.single(self.name, "", f"không có đơn vị “{name}” trong chiến dịch "
                                                      f"(thêm bằng campaign add-unit){hint}")
        found.campaign = self.campaign
        return found

    def unit_rows(self) -> dict[str, m.Unit]:
        """Every unit by name, read once, each knowing its campaign (a permission check asks for it:
        without this, one query per unit)."""
        rows = {}
        for row in self.objects(m.Unit):
            row.campaign = self.campaign
            rows[row.name] = row
        return rows

    def unit_seq(self, name: str) -> int:
        return self.unit(name).seq

    def entry_meta(self, seqs: list[int] | None = None) -> dict[int, tuple[str, str]]:
        """seq → (at, actor) of the given entries (or all)."""
        entries = self.objects(m.AuditEntry)
        if seqs is not None:
            if not seqs:
                return {}
            entries = entries.filter(seq__in=seqs)
        return {seq: (at, actor) for seq, at, actor in entries.values_list("seq", "at", "actor")}

    def published(self) -> bool:
        return self.objects(m.Publication).exists()


@lru_cache(maxsize=64)
def _deadlines(text: str) -> dict[str, str | None]:
    return json.loads(text)


@lru_cache(maxsize=32)
def frozen_rubric(rubric_hash: str, text: str) -> Rubric:
    """A campaign's rubric, parsed once per process (keyed by its hash)."""
    return load_rubric_text(text, f"bộ chỉ số {rubric_hash[:12]} của chiến dịch")


def display_name(user: User) -> str:
    return user.first_name or user.username


def database_problem(name: str, exc: Exception) -> CampaignError:
    text = str(exc).lower()
    if "locked" in text or "could not obtain lock" in text:
        return CampaignError.single(name, "", "cơ sở dữ liệu chiến dịch đang được một lệnh khác ghi; hãy chạy lại sau ít phút")
    if "database" in text and "does not exist" in text:
        return CampaignError.single(name, "", "máy chủ không có cơ sở dữ liệu này (tạo bằng createdb trước)")
    if "connection" in text or "could not connect" in text:
        return CampaignError.single(name, "", "không kết nối được máy chủ cơ sở dữ liệu (máy chủ chưa chạy, sai địa chỉ, "
                                              "cổng hay tên người dùng)")
    if any(word in text for word in ("malformed", "not a database", "disk i/o", "decode", "encrypted")):
        return CampaignError.single(name, "", "tệp chiến dịch bị hỏng (bị cắt cụt hoặc bị ghi đè một phần, SQLite: "
                                              f"{str(exc).splitlines()[0]}); khôi phục từ bản sao lưu")
    if "no such column" in text:
        return CampaignError.single(name, "", f"tệp chiến dịch thiếu cột ({str(exc).splitlines()[0]}): bị sửa ngoài "
                                              "phần mềm hoặc do phiên bản parindex khác tạo")
    if "no such table" in text or "does not exist" in text:
        return CampaignError.single(name, "", "không phải cơ sở dữ liệu chiến dịch parindex (chưa khởi tạo)")
    return CampaignError.single(name, "", f"lỗi cơ sở dữ liệu: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


def find_campaign(location: str | Path, alias: str) -> m.Campaign:
    """The campaign at ``location``: the one of a SQLite file, or the ``#slug`` (or only one) of PostgreSQL."""
    slug = split_slug(str(location))[1] if is_postgres(location) else ""
    shown = shown_location(location)
    try:
        found = list(m.Campaign.objects.using(alias).filter(**({"slug": slug} if slug else {})).order_by("pk")[:21])
    except DatabaseError as exc:
        raise database_problem(shown, exc) from None
    if not found:
        what = f"không có chiến dịch “{slug}”" if slug else "chưa có chiến dịch nào"
        raise CampaignError.single(shown, "", f"{what} (tạo bằng parindex campaign init)")
    if len(found) > 1:
        raise CampaignError.single(shown, "", "cơ sở dữ liệu có nhiều chiến dịch; chọn một bằng #mã sau địa chỉ: "
                                              + ", ".join(c.slug for c in found[:20]))
    return found[0]


def open_campaign(location: str | Path, clock: Clock | None = None, *, as_: str | User | None = None
                  ) -> CampaignStore:
    """Open an existing campaign; refuses a missing file, one that is not a campaign, and the demo
    clock on a campaign not created in demo mode."""
    if not is_postgres(location):
        path = sqlite_file(location)
        if path.is_dir():
            raise CampaignError.single(str(path), "", "đây là một thư mục; cần tệp chiến dịch (.db) do campaign init tạo")
        if not path.is_file():
            raise CampaignError.single(str(path), "", "không tìm thấy tệp chiến dịch (tạo bằng parindex campaign init)")
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise CampaignError.single(str(path), "", "không phải tệp chiến dịch parindex")
    alias = connect(location)
    check_schema(alias, shown_location(location))
    campaign = find_campaign(location, alias)
    clock = clock or SystemClock()
    if clock.simulated and not campaign.demo:
        raise CampaignError.single(shown_location(location), "PARINDEX_NOW",
                                   "đồng hồ giả lập chỉ dùng được với chiến dịch tạo ở chế độ trình diễn "
                                   "(campaign init --demo); chiến dịch thật luôn dùng giờ máy chủ")
    store = CampaignStore(location, alias, campaign, clock)
    if as_ is not None:
        store.operator = store.account(as_)
    return store


def known_migrations() -> set[str]:
    """The store's migrations this program ships (``0001_initial``, …)."""
    return {p.stem for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py")}


def check_schema(alias: str, shown: str) -> None:
    """Refuse a database that is not a whole campaign store of this program's schema: a table gone
    (dropped outside the program) or a migration this program does not know (a newer parindex)."""
    connection = connections[alias]
    try:
        tables = set(connection.introspection.table_names())
        if "django_migrations" not in tables:
            raise CampaignError.single(shown, "", "không phải tệp chiến dịch parindex (tạo bằng parindex campaign init)")
        models = [*m.RECORDED_MODELS.values(), m.AuditEntry, m.Membership, m.Phase, m.Assignment]
        missing = sorted({model._meta.db_table for model in models} - tables)
        if missing:
            raise CampaignError.single(shown, "", f"tệp chiến dịch bị hỏng hoặc bị sửa ngoài phần mềm: thiếu bảng "
                                                  f"{', '.join(missing[:4])}; khôi phục từ bản sao lưu")
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM django_migrations WHERE app = %s", ["store"])
            applied = {row[0] for row in cursor.fetchall()}
    except DatabaseError as exc:
        raise database_problem(shown, exc) from None
    newer = sorted(applied - known_migrations())
    if newer:
        raise CampaignError.single(shown, "", f"tệp chiến dịch có lược đồ mới hơn phiên bản parindex này ({newer[-1]}): "
                                              "hãy cập nhật parindex rồi chạy lại")


def sqlite_location_problem(path: Path, exc: OSError) -> CampaignError:
    return CampaignError.single(str(path), "", f"không tạo được tệp chiến dịch ({os_reason(exc)})")
