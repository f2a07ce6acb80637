"""Demo data for ``make run``: the 40 units evaluated in the Sóc Trăng 2023 PAR report
(19 departments, 11 districts, 4 public service units, 6 central agencies; seed
report 001), the national 2024 questionnaire and one campaign in fieldwork, plus the
unit-level fieldwork of :mod:`app.demo.fieldwork`.

Loading goes through the same services as the API, and is idempotent: the admin's API
token is made (and printed) on the first run only; the demo passwords are new on every
run. ``sipas demo`` runs only with ``SIPAS_ENVIRONMENT=development``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from app.auth import repository as auth_repository
from app.auth.models import Role
from app.core.security import hash_password
from app.demo.campaigns import campaign_in_fieldwork
from app.demo.fieldwork import load_demo_fieldwork
from app.unit import service as unit_service

UNITS_CSV = Path(__file__).parent / "soc_trang_2023_units.csv"
QUESTIONNAIRE = "national-2024"
CAMPAIGN_NAME = "Khảo sát SIPAS tỉnh Sóc Trăng năm 2024"
ADMIN = "admin"


def load_demo(db: Session) -> list[str]:
    """Load what is missing of the demo data; return a summary to print."""
    lines = []
    result = unit_service.import_csv(db, UNITS_CSV.read_bytes(), actor=None)
    lines.append(f"units: {result.created} created, {result.unchanged} already there")

    campaign = campaign_in_fieldwork(
        db, name=CAMPAIGN_NAME, questionnaire=QUESTIONNAIRE, weight_scheme="national-province"
    )
    lines.append(
        f"questionnaire: {QUESTIONNAIRE} version {campaign.questionnaire_version} (published)"
    )
    lines.append(f"campaign {campaign.id}: {campaign.name} ({campaign.status.value})")

    admin = auth_repository.get_user(db, ADMIN)
    if admin is None:
        admin = auth_repository.create_user(
            db, username=ADMIN, role=Role.ADMIN, full_name="Quản trị viên (demo)"
        )
        token = auth_repository.issue_token(db, admin, "demo")
        token_line = f"admin API token (user {ADMIN!r}, shown this once): {token}"
    else:
        token_line = (
            f"admin API token: made on the first run and not shown again; "
            f"another: sipas token create {ADMIN} --expires-in-days 30"
        )
    password = secrets.token_urlsafe(9)
    admin.password_hash = hash_password(password)
    db.commit()
    lines.extend(load_demo_fieldwork(db))
    lines.append(token_line)
    lines.append(f"staff pages http://127.0.0.1:8000/staff/  user {ADMIN!r} password {password!r}")
    return lines
