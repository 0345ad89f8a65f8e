"""The campaign's tables.

Append-only records (units, submissions, withdrawals, appraisals, explanations, phase closes,
survey imports, evidence files, publications) each carry ``seq``: the number of the audit entry
that created them, unique within their campaign. That entry's payload holds the row's exact
content (``RECORDED`` lists the fields; a ``*_seq`` field is the ``seq`` of the row a foreign
key points to), so ``verify`` proves that no row was edited, added or deleted behind the log's
back. Texts holding JSON (cells, explanations, documents, results) are canonical JSON strings,
byte-exact on every database, so their hashes never depend on how a database stores JSON.

``Draft`` (the portal's working copy of a unit's self-assessment) is the one mutable table: it
is the unit's private scratch pad and only its submission is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

GENESIS = "0" * 64

QUAN_TRI, DON_VI, THAM_DINH, XEM = "quan-tri", "don-vi", "tham-dinh", "xem"
ROLE_CHOICES = [
    (QUAN_TRI, "Quản trị (Sở Nội vụ)"),
    (DON_VI, "Đơn vị"),
    (THAM_DINH, "Thẩm định"),
    (XEM, "Xem"),
]
PHASE_CODES = ["tu-danh-gia", "tham-dinh-1", "giai-trinh", "tham-dinh-2", "cong-bo"]


class Campaign(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    rubric_id = models.CharField(max_length=100)
    rubric_text = models.TextField()
    rubric_hash = models.CharField(max_length=64)
    year = models.PositiveIntegerField()
    demo = models.BooleanField(default=False)  # the demo clock (PARINDEX_NOW) is allowed only then
    deadlines = models.TextField(default="{}")  # canonical JSON {phase: ISO moment or null}, as recorded
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    seq = models.PositiveIntegerField(default=1)  # the init entry
    # the chain head: read and advanced under a row lock (select_for_update) by every write
    head_seq = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)

    RECORDED = ("name", "year", "rubric_id", "rubric_sha256", "rubric_text", "deadlines")
    FIELD_OF = {"name": "title", "rubric_sha256": "rubric_hash"}

    def __str__(self) -> str:
        return self.title


class Profile(models.Model):
    """Per-account settings: the first login must replace the initial password."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    must_change_password = models.BooleanField(default=True)


class UnitGroup(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="groups")
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="unitgroup_unique_name")]


class Unit(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="units")
    seq = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300)  # normalised name (case, accents of input kept NFC)
    level = models.CharField(max_length=50, blank=True, default="")
    group = models.ForeignKey(UnitGroup, models.SET_NULL, null=True, blank=True, related_name="units")

    RECORDED = ("name", "level")

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "seq"], name="unit_unique_seq"),
            models.UniqueConstraint(fields=["campaign", "key"], name="unit_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An account's role in a campaign (a unit account names its unit)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="members")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "campaign"], name="membership_one_role"),
            models.CheckConstraint(
                condition=(models.Q(role="don-vi", unit__isnull=False) | (~models.Q(role="don-vi") & models.Q(unit__isnull=True))),
                name="membership_unit_iff_don_vi"),
        ]


class Assignment(models.Model):
    """What an appraiser may appraise: a unit, a field (criterion code prefix), or a unit's field."""

    membership = models.ForeignKey(Membership, models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="assignments")
    field_code = models.CharField(max_length=50, blank=True, default="")


class AuditEntry(models.Model):
    """One link of the hash chain: ``hash = sha256(canonical([seq, at, actor, action, unit, payload, prev_hash]))``.

    ``actor`` is the account's username at the time (hashed); ``account`` the account itself.
    ``signature``: Ed25519 over the hash with the server's key (hex; empty for entries imported
    from a campaign file made before signatures).
    """

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField()
    at = models.CharField(max_length=40)  # ISO 8601 with offset, exactly as hashed
    account = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="audit_entries")
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    unit = models.CharField(max_length=300, blank=True, default="")
    payload = models.TextField()  # canonical JSON, exactly as hashed
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["campaign", "seq"], name="audit_unique_seq")]
        indexes = [models.Index(fields=["campaign", "unit", "seq"], name="audit_unit")]


class _Recorded(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["seq"]


def _unique_seq(name: str) -> list[models.UniqueConstraint]:
    return [models.UniqueConstraint(fields=["campaign", "seq"], name=f"{name}_unique_seq")]


class Submission(_Recorded):
    """A unit's submitted self-assessment (frozen; a newer one supersedes it)."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="submissions")
    content_sha256 = models.CharField(max_length=64)
    cells = models.TextField()  # canonical JSON {code: [state, a, b, note]}
    explanations = models.TextField()  # canonical JSON {code: text}
    documents = models.TextField()  # canonical JSON {code: [[number, date, summary], …]}
    source = models.CharField(max_length=300, blank=True, default="")

    RECORDED = ("unit_seq", "content_sha256", "cells", "explanations", "documents", "source")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("submission")
        indexes = [models.Index(fields=["campaign", "unit", "seq"], name="submission_unit")]


class Withdrawal(_Recorded):
    submission = models.OneToOneField(Submission, models.PROTECT, related_name="withdrawal")
    reason = models.TextField()

    RECORDED = ("submission_seq", "reason")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("withdrawal")


class Draft(models.Model):
    """The portal's working copy of a unit's self-assessment (mutable; not recorded until submitted)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="drafts")
    unit = models.OneToOneField(Unit, models.CASCADE, related_name="draft")
    cells = models.JSONField(default=dict)  # {code: raw text as typed}
    documents = models.JSONField(default=dict)  # {code: [{number, date, summary}]}
    explanations = models.JSONField(default=dict)  # {code: text}
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class Appraisal(_Recorded):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="appraisals")
    submission = models.ForeignKey(Submission, models.PROTECT, related_name="appraisals")
    round = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=50)
    action = models.CharField(max_length=20)  # confirm | evidence | points | accept
    cell = models.TextField(null=True, blank=True)  # canonical JSON of the changed cell (evidence), or null
    points = models.CharField(max_length=40, null=True, blank=True)  # decimal text (points), or null
    reason = models.TextField()

    RECORDED = ("unit_seq", "submission_seq", "round", "code", "action", "cell", "points", "reason")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("appraisal")
        indexes = [models.Index(fields=["campaign", "unit", "code", "round", "seq"], name="appraisal_unit")]


class ExplanationRequest(_Recorded):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="explanation_requests")
    round = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=50)
    note = models.TextField()

    RECORDED = ("unit_seq", "round", "code", "note")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("explanationrequest")


class Explanation(_Recorded):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="explanations")
    code = models.CharField(max_length=50)
    text = models.TextField()

    RECORDED = ("unit_seq", "code", "text")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("explanation")
        indexes = [models.Index(fields=["campaign", "unit", "code", "seq"], name="explanation_unit")]


class Phase(models.Model):
    """A phase's deadline as currently set (the entries that set it are in the log)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="phases")
    code = models.CharField(max_length=20, choices=[(c, c) for c in PHASE_CODES])
    deadline = models.CharField(max_length=40, blank=True, default="")  # ISO moment, or ""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="phase_unique_code")]


class PhaseClose(_Recorded):
    """A phase ended by hand; ``chain_seq``/``chain_head`` is the chain's head just before it."""

    phase = models.CharField(max_length=20)
    chain_seq = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(max_length=64, default=GENESIS)

    RECORDED = ("phase", "chain_seq", "chain_head")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("phaseclose")


class SurveyImport(_Recorded):
    source = models.CharField(max_length=300)
    content_sha256 = models.CharField(max_length=64)
    cells = models.TextField()  # canonical JSON {unit: {code: cell}}

    RECORDED = ("source", "content_sha256", "cells")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("surveyimport")


class EvidenceFile(_Recorded):
    """An uploaded tài liệu kiểm chứng: stored under a generated name, never the uploaded one."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="files")
    code = models.CharField(max_length=50)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)

    RECORDED = ("unit_seq", "code", "original_name", "stored_name", "sha256", "size", "content_type")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("evidencefile")


class Publication(_Recorded):
    """The published snapshot: ranked results as canonical JSON, and the chain head it closes."""

    results = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    number = models.CharField(max_length=100, blank=True, default="")
    date = models.CharField(max_length=40, blank=True, default="")
    files = models.TextField(blank=True, default="[]")  # canonical JSON [names]
    chain_seq = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(max_length=64, default=GENESIS)

    RECORDED = ("results", "content_sha256", "number", "date", "files", "chain_seq", "chain_head")

    class Meta(_Recorded.Meta):
        constraints = _unique_seq("publication")


RECORDED_MODELS: dict[str, type[models.Model]] = {
    "campaign": Campaign, "unit": Unit, "submission": Submission, "withdrawal": Withdrawal,
    "appraisal": Appraisal, "explanation_request": ExplanationRequest, "explanation": Explanation,
    "phase_close": PhaseClose, "survey_import": SurveyImport, "evidence_file": EvidenceFile,
    "publication": Publication,
}
