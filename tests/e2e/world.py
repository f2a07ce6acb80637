"""The data of a browser test: units, the national 2024 form, a campaign in
fieldwork, a drawn sample with contact details, a surveyor and an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.auth import repository as auth_repository
from app.auth.models import Role
from app.campaign import service as campaign_service
from app.campaign.schemas import CampaignSettings
from app.sample.models import SampledRespondent
from app.unit.models import Unit, UnitKind
from tests.api.factories import add_respondents
from tests.support.accounts import add_surveyor
from tests.support.campaigns import campaign_in_fieldwork

ADMIN = ("quantri", "mat-khau-quan-tri")
SURVEYOR = ("dtv1", "mat-khau-dieu-tra-vien")
LETTER_SETTINGS = CampaignSettings(
    issuing_agency="Sở Nội vụ tỉnh Sóc Trăng",
    document_number="125/KH-SNV",
    document_date=date(2024, 8, 1),
    hotline="0299 3822 123",
)
PEOPLE = [
    ("Nguyễn Văn An", "0912000001", "Số 12 đường Trần Hưng Đạo, Phường 1"),
    ("Lê Thị Bích", "0912000002", "Ấp Phú Thứ, xã Phú Tâm"),
    ("Trần Quốc Cường", "0912000003", "Số 5 đường Lê Lợi, Phường 1"),
    ("Phạm Thị Dung", "0912000004", "Ấp Mỹ Khánh, xã Phú Tâm"),
    ("Huỳnh Văn Em", "0912000005", "Khóm 3, Phường 1"),
]


@dataclass(frozen=True)
class World:
    campaign_id: int
    respondents: list[int]
    """In the order of :data:`PEOPLE`; the first four are assigned to the surveyor."""
    units: dict[str, int]


def build_world(db: Session) -> World:
    province = Unit(code="st", name="Tỉnh Sóc Trăng", kind=UnitKind.PROVINCE)
    db.add(province)
    db.flush()
    ward = Unit(code="st-p1", name="Phường 1", kind=UnitKind.COMMUNE, parent_id=province.id)
    commune = Unit(code="st-pt", name="Xã Phú Tâm", kind=UnitKind.COMMUNE, parent_id=province.id)
    db.add_all([ward, commune])
    db.flush()
    campaign_id = campaign_in_fieldwork(db, "Khảo sát SIPAS tỉnh Sóc Trăng năm 2024")
    campaign_service.change_settings(db, campaign_id, LETTER_SETTINGS, actor=None)
    respondents = add_respondents(db, campaign_id, len(PEOPLE))
    for respondent_id, (name, phone, address) in zip(respondents, PEOPLE, strict=True):
        row = db.get_one(SampledRespondent, respondent_id)
        row.full_name, row.phone, row.address = name, phone, address
        row.unit_id = ward.id if "Phường" in address else commune.id
    db.flush()
    add_surveyor(db, respondents[:4], username=SURVEYOR[0], password=SURVEYOR[1])
    auth_repository.create_user(
        db, username=ADMIN[0], role=Role.ADMIN, full_name="Quản trị Sở Nội vụ", password=ADMIN[1]
    )
    db.commit()
    return World(
        campaign_id=campaign_id,
        respondents=respondents,
        units={"st": province.id, "st-p1": ward.id, "st-pt": commune.id},
    )
