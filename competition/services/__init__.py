"""Writes of the competition: keyword-only, in a transaction, locking what they contend for.

One module per part of the flow; everything is re-exported here, so callers write
``from competition import services`` and ``services.project_register(...)``.
"""

from competition.services.base import CompetitionRefused, RegistrationRefused, ScoringRefused
from competition.services.contest import checkin_set, interviews_plan, patent_days_offer, stands_assign
from competition.services.editions import (
    DEFAULT_CRITERIA,
    EditionData,
    criterion_delete,
    criterion_save,
    default_dates,
    edition_save,
)
from competition.services.jury import (
    conflict_declare,
    juries_create,
    juror_add,
    juror_remove,
    jury_decide,
    project_assign_jury,
    score_save,
)
from competition.services.people import account_request, participant_anonymise, retention_erase
from competition.services.registration import (
    CONSENT_KEEP_WORDING,
    CONSENT_WORDING,
    MemberData,
    ProjectData,
    consent_answer,
    project_register,
    project_withdraw,
    reminders_due,
    reminders_send,
    stand_needs_save,
    written_work_upload,
)
from competition.services.results import forwarding_set, results_publish, special_prize_save

__all__ = [
    "CONSENT_KEEP_WORDING", "CONSENT_WORDING", "DEFAULT_CRITERIA", "CompetitionRefused", "EditionData", "MemberData",
    "ProjectData", "RegistrationRefused", "ScoringRefused", "account_request", "checkin_set", "conflict_declare",
    "consent_answer", "criterion_delete", "criterion_save", "default_dates", "edition_save", "forwarding_set",
    "interviews_plan", "juries_create", "juror_add", "juror_remove", "jury_decide", "participant_anonymise",
    "patent_days_offer", "project_assign_jury", "project_register", "project_withdraw", "reminders_due",
    "reminders_send", "results_publish", "retention_erase", "score_save", "special_prize_save", "stand_needs_save",
    "stands_assign", "written_work_upload",
]  # fmt: skip
