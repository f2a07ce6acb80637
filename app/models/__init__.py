"""All ORM models, imported here so that ``Base.metadata`` knows every table."""

from app.models.campaign import CAMPAIGN_TRANSITIONS, Campaign, CampaignStatus
from app.models.capture import OutcomeReport, RespondentLink, WebSession
from app.models.case import Case, CaseFrame, CaseRejection, Channel
from app.models.frame import ExclusionReason, FrameExclusion, SamplingFrame, SeedCommitment
from app.models.questionnaire import Questionnaire, QuestionnaireVersion, VersionStatus
from app.models.response import Answer, Response, ResponseMode, ResponseStatus
from app.models.result import ApiTokenCampaign, CampaignResult
from app.models.sample import Assignment, Outcome, Sample, SampledRespondent, Surveyor
from app.models.unit import Unit, UnitKind
from app.models.user import ApiToken, AuditEvent, Role, User

__all__ = [
    "CAMPAIGN_TRANSITIONS",
    "Answer",
    "ApiToken",
    "ApiTokenCampaign",
    "Assignment",
    "AuditEvent",
    "Campaign",
    "CampaignResult",
    "CampaignStatus",
    "Case",
    "CaseFrame",
    # sampling
    "CaseRejection",
    "Channel",
    "ExclusionReason",
    "FrameExclusion",
    "Outcome",
    "OutcomeReport",
    "Questionnaire",
    "QuestionnaireVersion",
    "RespondentLink",
    "Response",
    "ResponseMode",
    "ResponseStatus",
    "Role",
    "Sample",
    "SampledRespondent",
    "SamplingFrame",
    "SeedCommitment",
    "Surveyor",
    "Unit",
    "UnitKind",
    "User",
    "VersionStatus",
    "WebSession",
]
