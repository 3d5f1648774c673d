"""The bodies the complaint API answers, as its operations build them (``api.public_view``,
``api.staff_view``, ``api._summary``, ``api._event``), so that the OpenAPI document names their fields.

django-ninja passes an answer through its schema and silently drops every key the schema does not
list: each key these builders write is listed here, and ``tests/complaints/test_api_answers.py`` checks
real answers against the document and against the builders. A key that only some readers may see (the
complainant's identity, another case's code) is always present, ``null`` (or an empty list) for the
others, as it was before the schemas. Days are ``YYYY-MM-DD`` (``date``), moments ISO 8601 date-times
with their offset (``datetime``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class ComplaintRefOut(Schema):
    """An agency, unit or service, as a complaint names it."""

    id: int
    code: str
    name: str


class ComplaintStepFileOut(Schema):
    """A file the agency attached to a step (an answer's letter)."""

    id: int
    filename: str
    content_type: str
    size: int = Field(description="In bytes")


class ComplaintStepOut(Schema):
    """A public step of the case's timeline, as the holder of the tracking code reads it."""

    at: dt.datetime
    kind: str = Field(description="`status`, `pesan`, `jawaban`, …")
    action: str = Field(description="The workflow action that made the step, or empty")
    status: str = Field(description="The status the step moved the case to, or empty")
    text: str = Field(description="In the reader's language where the system wrote it")
    by: str = Field(description="`pengadu` (the complainant), `sistem` or `petugas` (staff)")
    attachments: list[ComplaintStepFileOut] = Field(
        description="For the holder of the code: `GET /complaints/{tracking_code}/attachments/{id}`"
    )


class ComplaintTrackedOut(Schema):
    """What the holder of the tracking code sees of the case: never an identity, never an internal
    note."""

    tracking_code: str
    status: str
    status_label: str = Field(description="The status in the reader's language")
    open311_status: str = Field(description="`open` or `closed`")
    kind: str
    channel: str
    title: str
    description: str
    agency: ComplaintRefOut
    unit: ComplaintRefOut | None
    service: ComplaintRefOut | None
    identity_mode: str = Field(description="`biasa`, `rahasia` or `anonim`")
    received_at: dt.datetime
    verification_due: dt.date | None = Field(
        description="`null` while the file waits for completion (the clock is stopped)"
    )
    response_due: dt.date | None
    resolution_due: dt.date | None
    auto_close_due: dt.date | None
    completion_due: dt.date | None = Field(
        description="While the file waits for completion: the day by which to complete it"
    )
    closed_at: dt.datetime | None
    is_overdue: bool
    escalation_level: int
    rating: int | None
    timeline: list[ComplaintStepOut]
    answers: list[ComplaintStepOut] = Field(description="The timeline's answers of the agency")
    can_reply: bool
    can_confirm: bool
    can_dispute: bool
    can_rate: bool
    survey_url: str | None = Field(description="Once the case is closed, the unit's survey")
    evidence_count: int


class ComplaintPublishedOut(Schema):
    """A complaint on the public list: what staff approved, without any identity or tracking code."""

    id: str = Field(description="The public id, `AMN-<n>`")
    title: str
    description: str
    kind: str
    status: str
    status_label: str
    agency: ComplaintRefOut
    service: ComplaintRefOut | None
    received_at: dt.datetime
    closed_at: dt.datetime | None


class ComplaintCaseSummaryOut(Schema):
    """A case in the staff inbox."""

    case_number: str = Field(description="`AMN-<n>`, the name staff know the case by")
    tracking_code: str = Field(description="The complainant's key to the case")
    title: str
    kind: str
    channel: str
    status: str
    status_label: str
    identity_mode: str
    agency: ComplaintRefOut
    unit: ComplaintRefOut | None
    service: ComplaintRefOut | None
    received_at: dt.datetime
    verification_due: dt.date | None = Field(
        description="`null` while the file waits for completion (the clock is stopped)"
    )
    response_due: dt.date | None
    resolution_due: dt.date | None
    completion_due: dt.date | None
    stage_due: dt.date | None = Field(
        description="The due date of the current stage; `null` when no clock runs"
    )
    is_overdue: bool
    escalation_level: int
    late_filing: bool
    assignee: str | None


class ComplaintStaffStepOut(ComplaintStepOut):
    """A step of the whole timeline, internal notes included, as staff read it."""

    attachments: list[ComplaintStepFileOut] = Field(
        description="Empty on a *rahasia* case for a reader who may not open its files"
    )
    public: bool = Field(description="Shown to the complainant")
    actor: str | None = Field(description="The officer's name")
    role: str = Field(description="`warga`, `sistem` or the staff role used")


class ComplainantOut(Schema):
    name: str
    email: str
    phone: str


class ComplaintOpen311KeyOut(Schema):
    name: str
    key_prefix: str
    revoked: bool


class ComplaintEvidenceOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int = Field(description="In bytes")
    from_complainant: bool
    shared_with_complainant: bool = Field(
        description="An answer's attachment, which the holder of the tracking code may download"
    )


class ComplaintSimilarOut(Schema):
    """A possible duplicate, among the cases the reader may open."""

    case_number: str = Field(description="`AMN-<n>`")
    tracking_code: str
    title: str
    status: str
    score: float = Field(description="Word similarity, 0 to 1")


class ComplaintStaffCaseOut(ComplaintCaseSummaryOut):
    """The case as its handlers see it."""

    statutory_answer_due: dt.date = Field(description="UU 25/2009: an answer within 14 days")
    statutory_decision_due: dt.date | None = Field(
        description="UU 25/2009: a decision within 60 days of the complete file; `null` until verified"
    )
    statutory_warnings: list[str] = Field(description="`first_answer_late`, `decision_late`")
    description: str
    incident_date: dt.date | None
    incident_place: str
    media_url: str | None = Field(
        description="The Open311 photo link; `null` when none, or where the case's evidence does not "
        "open for the reader"
    )
    loss: str
    remedy: str
    tier: str
    auto_close_due: dt.date | None
    first_response_at: dt.datetime | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_reason: str
    reject_reason: str
    duplicate_of: str | None = Field(
        description="The original's tracking code, only for a reader who may open it"
    )
    duplicate_of_number: str | None = Field(description="The original's case number, likewise")
    transferred_from: str | None = Field(
        description="The case it came from, by tracking code, only for a reader who may open it"
    )
    transferred_from_number: str | None
    transferred_to: list[str] = Field(
        description="Tracking codes of the cases it went to, likewise"
    )
    transferred_to_numbers: list[str]
    publish_requested: bool
    publish_approved: bool
    rating: int | None
    rating_comment: str
    complainant: ComplainantOut | None = Field(
        description="Only where the identity mode allows the reader to see it, else `null`"
    )
    identity_hidden: bool = Field(description="There is an identity the reader may not see")
    entered_by: str | None
    open311_integration: ComplaintOpen311KeyOut | None = Field(
        description="The Open311 key that filed the case"
    )
    evidence: list[ComplaintEvidenceOut] = Field(
        description="Empty on a *rahasia* case for a reader who may not open its evidence"
    )
    evidence_count: int
    evidence_withheld: bool
    events: list[ComplaintStaffStepOut]
    allowed_actions: list[str]
    similar: list[ComplaintSimilarOut] = Field(description="While the case is `diterima`")


class ComplaintTransferredOut(ComplaintStaffCaseOut):
    """The transferred (closed) case, and the new one at the other agency."""

    new_case: str | None = Field(
        description="The new case's tracking code, only for a caller who may open it"
    )
    new_case_number: str | None = Field(description="The new case's number, likewise")
