"""Demo fieldwork for ``make run``: a unit-level campaign with a synthetic case list,
a frame, a reproducible draw and a surveyor account with assigned respondents, so
the phone app (/s/) and the staff pages (/staff/) have something to show.

The people are invented (``Người dân thử nghiệm …``, phones 0900 000 xxx); the
steps go through the same services as the API.
"""

from __future__ import annotations

import io
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import repository as auth_repository
from app.campaign.models import Campaign
from app.case.service import import_case_list
from app.core.security import hash_password
from app.demo.campaigns import campaign_in_fieldwork
from app.fieldwork.assignment import assign_sample
from app.fieldwork.schemas import AssignRequest, SurveyorCreate
from app.fieldwork.surveyors import add_surveyor
from app.sample.schemas import DrawRequest, FrameCreate
from app.sample.service import create_frame, draw_sample

QUESTIONNAIRE = "unit-service"
CAMPAIGN_NAME = "Khảo sát sự hài lòng tại các cơ quan, đơn vị tỉnh Sóc Trăng năm 2024"
SURVEYOR = "dtv.demo"
UNITS = (
    ("st-so-tu-phap", "Sở Tư pháp", "Chứng thực bản sao từ bản chính", "Chứng thực"),
    (
        "st-so-tnmt",
        "Sở Tài nguyên và Môi trường",
        "Cấp giấy chứng nhận quyền sử dụng đất",
        "Đất đai",
    ),
    ("st-my-xuyen", "UBND huyện Mỹ Xuyên", "Đăng ký hộ kinh doanh", "Thành lập hộ kinh doanh"),
    ("st-cong-an", "Công an tỉnh", "Cấp căn cước", "Căn cước"),
)
PEOPLE_PER_UNIT = 30
DESIGN = {
    "name": "demo",
    "allocation": {"method": "equal", "n": 20},
    "reserves": {"ratio": 0.5},
}
SEED = 2024


def demo_case_list() -> bytes:
    """A case list with the Vietnamese headers a province exports."""
    lines = [
        "Mã hồ sơ,Tên thủ tục,Lĩnh vực,Cơ quan giải quyết,Họ tên,Số điện thoại,Địa chỉ,"
        "Ngày tiếp nhận,Ngày trả kết quả,Hình thức nộp"
    ]
    channels = ("Trực tiếp", "Trực tuyến", "Bưu chính")
    number = 0
    for _code, unit, procedure, field in UNITS:
        for person in range(PEOPLE_PER_UNIT):
            number += 1
            day = 1 + person % 28
            lines.append(
                f"HS{number:05d},{procedure},{field},{unit},Người dân thử nghiệm {number},"
                f'0900 000 {number:03d},"Ấp {1 + person % 5}, xã thử nghiệm",'
                f"{day:02d}/03/2024,{day:02d}/04/2024,{channels[person % 3]}"
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def load_demo_fieldwork(db: Session) -> list[str]:
    """Create the unit-level demo campaign with its draw and surveyor, if missing."""
    existing = db.execute(select(Campaign.id).where(Campaign.name == CAMPAIGN_NAME)).scalar()
    surveyor_user = auth_repository.get_user(db, SURVEYOR)
    if existing is not None and surveyor_user is not None:
        password = secrets.token_urlsafe(9)
        surveyor_user.password_hash = hash_password(password)
        db.commit()
        return [
            f"campaign {existing}: {CAMPAIGN_NAME} (already there)",
            f"  surveyor app http://127.0.0.1:8000/s/  user {SURVEYOR!r} password {password!r}",
        ]
    campaign = campaign_in_fieldwork(
        db, name=CAMPAIGN_NAME, questionnaire=QUESTIONNAIRE, weight_scheme="an-giang-unit"
    )
    imported = import_case_list(
        db, campaign.id, io.BytesIO(demo_case_list()), "demo-ho-so-2024.csv", actor=None
    )
    frame = create_frame(db, campaign.id, FrameCreate(), actor=None)
    sample = draw_sample(db, frame.id, DrawRequest(design=DESIGN, seed=SEED), actor=None)

    password = secrets.token_urlsafe(9)
    surveyor = add_surveyor(
        db,
        SurveyorCreate(
            full_name="Điều tra viên thử nghiệm",
            organisation="Bưu điện tỉnh",
            username=SURVEYOR,
            password=password,
        ),
        actor=None,
    )
    db.commit()
    assign_sample(db, sample.id, AssignRequest(surveyor_ids=[surveyor.id]), actor=None)
    return [
        f"campaign {campaign.id}: {CAMPAIGN_NAME} (fieldwork)",
        f"  case list: {imported.case_list.accepted_count} cases accepted; "
        f"draw {sample.id} with seed {SEED}",
        f"  surveyor app http://127.0.0.1:8000/s/  user {SURVEYOR!r} password {password!r}",
    ]
