"""ORM tables. Importing this package registers every table on ``Base.metadata``."""

from coachdesk.models.audit import AuditEntry
from coachdesk.models.booking import (
    Booking,
    BookingSeat,
    BookingStatus,
    Pass,
    PassStatus,
    PaymentMethod,
    SeatStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from coachdesk.models.campaign import (
    Campaign,
    CampaignSend,
    CampaignStatus,
    Delivery,
    DeliveryStatus,
    SendStatus,
)
from coachdesk.models.catalog import Course, CourseSession, Offer, OfferKind, SessionStatus
from coachdesk.models.chat import (
    Author,
    ChatLink,
    Conversation,
    ConversationMember,
    ConversationMode,
    IdentityCode,
    Message,
    VisitorDevice,
)
from coachdesk.models.coach import (
    AuthSession,
    Coach,
    CoachRole,
    LoginFailure,
    SetupToken,
    SignInLink,
)
from coachdesk.models.contact import (
    ConsentChannel,
    ConsentEvent,
    ConsentRequest,
    Contact,
    ContactMerge,
    ContactTag,
)
from coachdesk.models.idempotency import IdempotencyKey
from coachdesk.models.messaging import EmailMessage, EmailStatus, PaymentEvent
from coachdesk.models.notice import CoachNotice, NoticeEvent, NoticeStatus, PushSubscription
from coachdesk.models.promo import PromoBatch, PromoCode, PromoKind, PromoRedemption
from coachdesk.models.setting import SettingValue
from coachdesk.models.throttle import ThrottleWindow

__all__ = [
    "AuditEntry",
    "AuthSession",
    "Author",
    "Booking",
    "BookingSeat",
    "BookingStatus",
    "Campaign",
    "CampaignSend",
    "CampaignStatus",
    "ChatLink",
    "Coach",
    "CoachNotice",
    "CoachRole",
    "ConsentChannel",
    "ConsentEvent",
    "ConsentRequest",
    "Contact",
    "ContactMerge",
    "ContactTag",
    "Conversation",
    "ConversationMember",
    "ConversationMode",
    "Course",
    "CourseSession",
    "Delivery",
    "DeliveryStatus",
    "EmailMessage",
    "EmailStatus",
    "IdempotencyKey",
    "IdentityCode",
    "LoginFailure",
    "Message",
    "NoticeEvent",
    "NoticeStatus",
    "Offer",
    "OfferKind",
    "Pass",
    "PassStatus",
    "PaymentEvent",
    "PaymentMethod",
    "PromoBatch",
    "PromoCode",
    "PromoKind",
    "PromoRedemption",
    "PushSubscription",
    "SeatStatus",
    "SendStatus",
    "SessionStatus",
    "SettingValue",
    "SetupToken",
    "SignInLink",
    "ThrottleWindow",
    "VisitorDevice",
    "WaitlistEntry",
    "WaitlistStatus",
]
