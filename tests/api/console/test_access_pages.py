"""Access in the staff console (administrators only): accounts created with a role and a
password shown once, passwords reset, accounts disabled and enabled, every log-in of an
account taken back, roles changed, supervisors' campaigns and units, API keys created
(secret shown once), listed with scope, expiry and last use, and revoked. Each change is
audited; refusals say why in Vietnamese; supervisors and surveyors get 403."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth import repository as auth_repository
from app.auth.models import ApiToken, Role, User
from app.campaign.models import SupervisorCampaign, SupervisorUnit
from app.unit.models import Unit
from tests.api.conftest import make_token
from tests.api.console.conftest import ADMIN, SUPERVISOR, Staff
from tests.api.factories import create_campaign, setup_campaign
from tests.support.accounts import add_surveyor
from tests.support.pages import log_in

ONE_TIME = re.compile(r'id="one-time-password">([^<]+)<')
SECRET = re.compile(r'id="api-key-secret">([^<]+)<')


@pytest.fixture
def second(api: FastAPI) -> Iterator[TestClient]:
    """Another browser: the person whose access the administrator manages."""
    with TestClient(api) as other:
        yield other


def _post(staff: Staff, path: str, **data: object) -> httpx.Response:
    response: httpx.Response = staff.client.post(
        path, data={"csrf_token": staff.csrf, **data}, follow_redirects=True
    )
    return response


def _user(db: Session, username: str) -> User:
    db.expire_all()
    return db.execute(select(User).where(User.username == username)).scalar_one()


def _actions(db: Session, user_id: int) -> list[tuple[str, int | None]]:
    rows = db.execute(
        select(AuditEvent.action, AuditEvent.actor_user_id)
        .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(user_id))
        .order_by(AuditEvent.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _logged_in(client: TestClient) -> bool:
    """Whether ``client``'s staff session still opens the home page."""
    status: int = client.get("/staff/", follow_redirects=False).status_code
    return status == 200


def test_create_an_account_with_a_password_shown_once(
    admin: Staff, db: Session, second: TestClient
) -> None:
    listing = admin.client.get("/staff/access")
    assert listing.status_code == 200
    assert ADMIN[0] in listing.text
    assert "quản trị viên" in listing.text

    created = _post(
        admin, "/staff/access/users", username="lan.gs", full_name="Lê Thị Lan", role="supervisor"
    )
    assert created.status_code == 200, created.text
    match = ONE_TIME.search(created.text)
    assert match is not None
    assert "chỉ hiện một lần" in created.text
    user = _user(db, "lan.gs")
    assert (user.role, user.full_name, user.is_active) == (Role.SUPERVISOR, "Lê Thị Lan", True)
    assert _actions(db, user.id) == [("user.create", admin.user_id)]
    log_in(second, "staff", "lan.gs", match.group(1))
    # The account page opened later never shows a password again.
    again = admin.client.get(f"/staff/access/users/{user.id}")
    assert match.group(1) not in again.text
    assert ONE_TIME.search(again.text) is None

    typed = _post(
        admin, "/staff/access/users", username="hoa.qt", role="admin", password="mat-khau-hoa-qt"
    )
    assert typed.status_code == 200
    assert ONE_TIME.search(typed.text) is None
    assert _user(db, "hoa.qt").role is Role.ADMIN


@pytest.mark.parametrize(
    ("form", "status", "says"),
    [
        ({"username": ADMIN[0], "role": "supervisor"}, 409, "đã có người dùng"),
        ({"username": "x y", "role": "supervisor"}, 422, "Tên đăng nhập gồm 3–100"),
        ({"username": "ngan", "role": "supervisor", "password": "ngan"}, 422, "ít nhất 10"),
        ({"username": "ngan", "role": "surveyor"}, 422, "trang Điều tra viên"),
    ],
)
def test_a_refused_account_keeps_the_form_and_says_why(
    admin: Staff, db: Session, form: dict[str, str], status: int, says: str
) -> None:
    before = db.execute(select(User.id)).scalars().all()
    refused = _post(admin, "/staff/access/users", full_name="Ngân", **form)
    assert refused.status_code == status
    assert says in refused.text
    assert 'value="Ngân"' in refused.text
    assert db.execute(select(User.id)).scalars().all() == before


def test_reset_password_shows_a_new_one_once_and_ends_sessions(
    admin: Staff, supervisor_id: int, db: Session, second: TestClient
) -> None:
    log_in(second, "staff", *SUPERVISOR)
    reset = _post(admin, f"/staff/access/users/{supervisor_id}/password")
    assert reset.status_code == 200
    match = ONE_TIME.search(reset.text)
    assert match is not None
    assert not _logged_in(second)
    assert second.post("/staff/login", data={"username": SUPERVISOR[0]}).status_code != 303
    log_in(second, "staff", SUPERVISOR[0], match.group(1))

    typed = _post(
        admin, f"/staff/access/users/{supervisor_id}/password", password="mot-mat-khau-moi"
    )
    assert typed.status_code == 200
    assert ONE_TIME.search(typed.text) is None
    assert "Đã đặt mật khẩu mới" in typed.text
    second.cookies.clear()
    log_in(second, "staff", SUPERVISOR[0], "mot-mat-khau-moi")

    short = _post(admin, f"/staff/access/users/{supervisor_id}/password", password="ngan")
    assert short.status_code == 422
    assert "ít nhất 10 ký tự" in short.text
    log_in(second, "staff", SUPERVISOR[0], "mot-mat-khau-moi")  # unchanged
    assert [a for a, _ in _actions(db, supervisor_id)].count("user.reset_password") == 2


def test_disabling_ends_sessions_and_tokens_at_once_and_enabling_restores_them(
    admin: Staff, supervisor_id: int, db: Session, second: TestClient, client: TestClient
) -> None:
    log_in(second, "staff", *SUPERVISOR)
    token = make_token(db, "dich-vu-noi-bo", Role.SUPERVISOR)
    bearer = {"Authorization": f"Bearer {token}"}
    holder = _user(db, "dich-vu-noi-bo")
    assert second.get("/api/v1/campaigns", headers=bearer).status_code == 200

    done = _post(admin, f"/staff/access/users/{supervisor_id}/disable")
    assert done.status_code == 200
    assert "Đã khóa tài khoản" in done.text
    assert not _user(db, SUPERVISOR[0]).is_active
    assert not _logged_in(second)
    second.cookies.clear()
    refused = second.post(
        "/staff/login", data={"username": SUPERVISOR[0], "password": SUPERVISOR[1]}
    )
    assert refused.status_code != 303

    _post(admin, f"/staff/access/users/{holder.id}/disable")
    assert client.get("/api/v1/campaigns", headers=bearer).status_code == 401
    _post(admin, f"/staff/access/users/{holder.id}/enable")
    assert client.get("/api/v1/campaigns", headers=bearer).status_code == 200

    enabled = _post(admin, f"/staff/access/users/{supervisor_id}/enable")
    assert "Đã mở khóa" in enabled.text
    log_in(second, "staff", *SUPERVISOR)
    changes = [a for a, _ in _actions(db, supervisor_id) if a.startswith("user.")]
    assert changes == ["user.disable", "user.enable"]


def test_revoking_ends_every_session_and_token_but_keeps_the_account(
    admin: Staff, supervisor_id: int, db: Session, second: TestClient, client: TestClient
) -> None:
    log_in(second, "staff", *SUPERVISOR)
    user = _user(db, SUPERVISOR[0])
    token = auth_repository.issue_token(db, user, "script")
    db.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/campaigns", headers=bearer).status_code == 200
    page = admin.client.get(f"/staff/access/users/{supervisor_id}")
    assert "script" in page.text  # the account's tokens are listed

    done = _post(admin, f"/staff/access/users/{supervisor_id}/revoke")
    assert "Đã kết thúc mọi phiên đăng nhập" in done.text
    assert not _logged_in(second)
    assert client.get("/api/v1/campaigns", headers=bearer).status_code == 401
    assert _user(db, SUPERVISOR[0]).is_active
    assert db.execute(select(ApiToken.revoked_at)).scalar_one() is not None
    log_in(second, "staff", *SUPERVISOR)
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "user.revoke_access")
    ).scalar_one()
    assert event.payload == {"sessions_ended": 1, "tokens_revoked": 1}
    assert event.actor_user_id == admin.user_id


def test_change_role_and_the_refusals_that_keep_an_administrator(
    admin: Staff, supervisor_id: int, db: Session, second: TestClient
) -> None:
    promoted = _post(admin, f"/staff/access/users/{supervisor_id}/role", role="admin")
    assert "Đã đổi vai trò" in promoted.text
    assert _user(db, SUPERVISOR[0]).role is Role.ADMIN
    log_in(second, "staff", *SUPERVISOR)
    assert second.get("/staff/access").status_code == 200
    _post(admin, f"/staff/access/users/{supervisor_id}/role", role="supervisor")
    assert second.get("/staff/access").status_code == 403  # at the next request
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "user.role")).scalars()
    assert [e.payload for e in event] == [
        {"old": "supervisor", "new": "admin"},
        {"old": "admin", "new": "supervisor"},
    ]

    myself = _post(admin, f"/staff/access/users/{admin.user_id}/disable")
    assert myself.status_code == 403
    assert "không thể tự khóa tài khoản" in myself.text
    own_role = _post(admin, f"/staff/access/users/{admin.user_id}/role", role="supervisor")
    assert own_role.status_code == 403
    assert "không thể tự đổi vai trò" in own_role.text
    assert _user(db, ADMIN[0]).role is Role.ADMIN
    assert _user(db, ADMIN[0]).is_active
    assert _logged_in(admin.client)

    add_surveyor(db, [])
    surveyor_user = _user(db, "dtv1")
    refused = _post(admin, f"/staff/access/users/{surveyor_user.id}/role", role="admin")
    assert refused.status_code == 409
    assert "chỉ đổi qua lại" in refused.text
    assert _user(db, "dtv1").role is Role.SURVEYOR


def test_supervisor_scope_is_edited_and_limits_what_they_see(
    admin: Staff,
    supervisor_id: int,
    db: Session,
    second: TestClient,
    client: TestClient,
    admin_headers: dict[str, str],
) -> None:
    given = setup_campaign(client, admin_headers)
    other = create_campaign(client, admin_headers)
    province = db.execute(select(Unit.id).where(Unit.code == "st")).scalar_one()
    page = admin.client.get(f"/staff/access/users/{supervisor_id}")
    assert "Phạm vi giám sát" in page.text
    assert f'name="campaign_ids" value="{other}"' in page.text
    assert f'name="unit_ids" value="{province}"' in page.text

    saved = admin.client.post(
        f"/staff/access/users/{supervisor_id}/scope",
        data={"csrf_token": admin.csrf, "campaign_ids": [str(given)], "unit_ids": [str(province)]},
    )
    assert saved.status_code == 200
    assert "Đã lưu phạm vi giám sát" in saved.text
    assert f'value="{given}" checked' in saved.text
    assert f'value="{other}" checked' not in saved.text
    db.expire_all()
    assert db.execute(select(SupervisorCampaign.campaign_id)).scalars().all() == [given]
    assert db.execute(select(SupervisorUnit.unit_id)).scalars().all() == [province]
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "supervisor.scope")
    ).scalar_one()
    assert event.actor_user_id == admin.user_id

    log_in(second, "staff", *SUPERVISOR)
    home = second.get("/staff/").text
    assert f"/staff/campaigns/{given}/setup" in home
    assert f"/staff/campaigns/{other}/setup" not in home

    unknown = admin.client.post(
        f"/staff/access/users/{supervisor_id}/scope",
        data={"csrf_token": admin.csrf, "campaign_ids": ["999999"]},
    )
    assert unknown.status_code == 422
    assert "Không có đợt khảo sát số 999999" in unknown.text
    db.expire_all()
    assert db.execute(select(SupervisorCampaign.campaign_id)).scalars().all() == [given]
    # An administrator has no scope to edit.
    assert "Phạm vi giám sát" not in admin.client.get(f"/staff/access/users/{admin.user_id}").text


def test_api_keys_created_listed_with_last_use_and_revoked(
    admin: Staff, db: Session, client: TestClient, admin_headers: dict[str, str]
) -> None:
    empty = admin.client.get("/staff/access/keys")
    assert "Chưa có khóa API nào. Bước tiếp theo" in empty.text
    assert "tạo đợt khảo sát" in empty.text
    campaign = setup_campaign(client, admin_headers)
    other = create_campaign(client, admin_headers)

    none_ticked = _post(admin, "/staff/access/keys", name="par-scoring")
    assert none_ticked.status_code == 422
    assert "chọn ít nhất một đợt khảo sát" in none_ticked.text
    created = admin.client.post(
        "/staff/access/keys",
        data={
            "csrf_token": admin.csrf,
            "name": "par-scoring",
            "campaign_ids": [str(campaign)],
            "expires_in_days": "30",
        },
    )
    assert created.status_code == 200
    match = SECRET.search(created.text)
    assert match is not None
    assert "Chưa dùng" in created.text
    key = {"Authorization": f"Bearer {match.group(1)}"}
    assert client.get(f"/api/v1/campaigns/{campaign}", headers=key).status_code == 200
    assert client.get(f"/api/v1/campaigns/{other}", headers=key).status_code in (403, 404)

    listing = admin.client.get("/staff/access/keys").text
    assert match.group(1) not in listing
    assert "Chưa dùng" not in listing  # its last use is shown
    assert "Khảo sát thử" in listing
    row = db.execute(select(ApiToken).where(ApiToken.name == "par-scoring")).scalar_one()
    assert row.expires_at is not None
    assert row.last_used_at is not None

    revoked = _post(admin, f"/staff/access/keys/{row.id}/revoke")
    assert revoked.status_code == 200
    assert f"Đã thu hồi khóa số {row.id}" in revoked.text
    assert client.get(f"/api/v1/campaigns/{campaign}", headers=key).status_code == 401
    actions = db.execute(
        select(AuditEvent.action, AuditEvent.actor_user_id).where(
            AuditEvent.entity_type == "api_token"
        )
    ).all()
    assert [tuple(a) for a in actions] == [
        ("api_key.create", admin.user_id),
        ("api_key.revoke", admin.user_id),
    ]
    missing = _post(admin, "/staff/access/keys/999999/revoke")
    assert missing.status_code == 404
    assert "Không có khóa API số 999999" in missing.text


PAGES = [
    ("get", "/staff/access"),
    ("get", "/staff/access/keys"),
    ("get", "/staff/access/users/{id}"),
    ("post", "/staff/access/users"),
    ("post", "/staff/access/users/{id}/disable"),
    ("post", "/staff/access/users/{id}/enable"),
    ("post", "/staff/access/users/{id}/revoke"),
    ("post", "/staff/access/users/{id}/role"),
    ("post", "/staff/access/users/{id}/password"),
    ("post", "/staff/access/users/{id}/scope"),
    ("post", "/staff/access/keys"),
    ("post", "/staff/access/keys/1/revoke"),
]
FORM = {"username": "moi-tai-khoan", "role": "admin", "name": "k", "campaign_ids": "1"}


def test_supervisors_and_surveyors_get_403_and_change_nothing(
    admin: Staff, supervisor_id: int, db: Session, second: TestClient
) -> None:
    add_surveyor(db, [])
    before = (db.execute(select(User.username, User.role, User.is_active)).all(), _audit(db))
    for area, username, password in (
        ("staff", *SUPERVISOR),
        ("s", "dtv1", "mat-khau-dieu-tra-vien"),
    ):
        second.cookies.clear()
        csrf = log_in(second, area, username, password)
        for method, path in PAGES:
            url = path.format(id=admin.user_id)
            data = {"csrf_token": csrf, **FORM}
            answer = second.post(url, data=data) if method == "post" else second.get(url)
            assert answer.status_code == 403, (username, method, url, answer.text)
            assert "Chỉ quản trị viên Sở Nội vụ" in answer.text
    db.expire_all()
    assert (db.execute(select(User.username, User.role, User.is_active)).all(), _audit(db)) == (
        before[0],
        before[1] + 2,  # the two log-ins
    )
    assert 'href="/staff/access"' not in second.get("/staff/").text


def _audit(db: Session) -> int:
    return len(db.execute(select(AuditEvent.id)).all())


def test_without_a_session_or_csrf_token_nothing_changes(
    admin: Staff, supervisor_id: int, db: Session, second: TestClient
) -> None:
    assert second.get("/staff/access", follow_redirects=False).headers["location"] == (
        "/staff/login"
    )
    forged = admin.client.post(f"/staff/access/users/{supervisor_id}/disable")
    assert forged.status_code == 403
    assert _user(db, SUPERVISOR[0]).is_active
    home = admin.client.get("/staff/").text
    assert 'href="/staff/access"' in home
    missing = admin.client.get("/staff/access/users/999999")
    assert missing.status_code == 404
    assert "Không có tài khoản số 999999" in missing.text
