"""The data of a browser test: units, the national 2024 form, a campaign in
fieldwork, a drawn sample with contact details, a surveyor and an administrator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.auth import repository as auth_repository
from app.campaign import service as campaign_service
from app.campaign.schemas import CampaignCreate
from app.models import CampaignStatus, Role, Sample, SampledRespondent, Unit, UnitKind
from app.questionnaire import service as questionnaire_service
from questionnaires import bundled_path
from tests.api.factories import add_surveyor

ADMIN = ("quantri", "mat-khau-quan-tri")
SURVEYOR = ("dtv1", "mat-khau-dieu-tra-vien")
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
    draft = questionnaire_service.create_draft(
        db, bundled_path("national-2024").read_bytes(), actor=None
    )
    questionnaire_service.publish(db, draft.code, draft.version, actor=None)
    campaign = campaign_service.create(
        db,
        CampaignCreate(
            name="Khảo sát SIPAS tỉnh Sóc Trăng năm 2024",
            year=2024,
            scope_unit_code="st",
            questionnaire_code=draft.code,
            questionnaire_version=draft.version,
            weight_scheme="national-province",
        ),
        actor=None,
    )
    campaign_service.change_status(db, campaign.id, CampaignStatus.FIELDWORK, actor=None)
    sample = Sample(
        campaign_id=campaign.id,
        frame_digest="0" * 64,
        design={"test": True},
        seed="1",
        algorithm_version="test",
        sample_digest="0" * 64,
    )
    db.add(sample)
    db.flush()
    rows = [
        SampledRespondent(
            sample_id=sample.id,
            unit_id=ward.id if "Phường" in address else commune.id,
            stratum="st",
            draw_order=i,
            inclusion_probability=0.5,
            design_weight=2.0,
            full_name=name,
            phone=phone,
            address=address,
        )
        for i, (name, phone, address) in enumerate(PEOPLE, start=1)
    ]
    db.add_all(rows)
    db.flush()
    respondents = [row.id for row in rows]
    add_surveyor(db, respondents[:4], username=SURVEYOR[0], password=SURVEYOR[1])
    auth_repository.create_user(
        db, username=ADMIN[0], role=Role.ADMIN, full_name="Quản trị Sở Nội vụ", password=ADMIN[1]
    )
    db.commit()
    return World(
        campaign_id=campaign.id,
        respondents=respondents,
        units={"st": province.id, "st-p1": ward.id, "st-pt": commune.id},
    )
