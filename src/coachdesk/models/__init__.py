"""ORM tables. Importing this package registers every table on ``Base.metadata``."""

from coachdesk.models.audit import AuditEntry
from coachdesk.models.catalog import Course, CourseSession, Offer, OfferKind, SessionStatus
from coachdesk.models.coach import AuthSession, Coach, CoachRole, LoginFailure, SetupToken
from coachdesk.models.setting import SettingValue

__all__ = [
    "AuditEntry",
    "AuthSession",
    "Coach",
    "CoachRole",
    "Course",
    "CourseSession",
    "LoginFailure",
    "Offer",
    "OfferKind",
    "SessionStatus",
    "SettingValue",
    "SetupToken",
]
