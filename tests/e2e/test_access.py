"""Access in the browser, at an office screen (1366×768): an administrator creates a
supervisor, gives them one of two campaigns, resets their password (shown once), the
supervisor logs in elsewhere and sees only that campaign, then the administrator
disables the account and the supervisor's open page is logged out at the next click;
an API key is created (its secret shown once) and revoked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.e2e.conftest import Served
from tests.e2e.world import ADMIN
from tests.support.campaigns import campaign_in_fieldwork

pytestmark = pytest.mark.browser

DESKTOP: ViewportSize = {"width": 1366, "height": 768}
GIVEN = "Khảo sát SIPAS tỉnh Sóc Trăng năm 2024"
OTHER = "Khảo sát thử các thủ tục đất đai"


@pytest.fixture
def desks(browser: Browser, served: Served) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    """Two office browsers: the administrator's and the supervisor's."""
    contexts = tuple(
        browser.new_context(viewport=DESKTOP, base_url=served.base_url, locale="vi-VN")
        for _ in range(2)
    )
    for context in contexts:
        context.set_default_timeout(10_000)
    yield contexts[0], contexts[1]
    for context in contexts:
        context.close()


def _log_in(page: Page, username: str, password: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("header .who")).to_be_visible()


def test_admin_scopes_resets_and_disables_a_supervisor(
    desks: tuple[BrowserContext, BrowserContext], served: Served, screens: Path
) -> None:
    with served.session() as db:
        other_id = campaign_in_fieldwork(db, OTHER)
        db.commit()
    admin = desks[0].new_page()
    _log_in(admin, *ADMIN)
    admin.get_by_role("link", name="Tài khoản và quyền truy cập").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Tài khoản và quyền truy cập")
    admin.screenshot(path=screens / "01-accounts.png")

    admin.get_by_label("Họ và tên").fill("Lê Thị Lan")
    admin.get_by_label("Tên đăng nhập").fill("lan.gs")
    admin.get_by_label("Vai trò").select_option("supervisor")
    admin.get_by_label("Mật khẩu").fill("mat-khau-ban-dau-cua-lan")
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Tài khoản «lan.gs»")
    expect(admin.locator("#one-time-password")).to_have_count(0)  # the password was typed

    # One campaign of two, ticked from the keyboard (focus shows; Space ticks).
    given_box = admin.get_by_label(f"{GIVEN} (2024)")
    given_box.focus()
    admin.keyboard.press("Space")
    expect(given_box).to_be_checked()
    expect(admin.get_by_label(f"{OTHER} (2024)")).not_to_be_checked()
    admin.get_by_role("button", name="Lưu phạm vi giám sát").click()
    expect(admin.get_by_role("status").first).to_contain_text("Đã lưu phạm vi giám sát")
    expect(admin.get_by_label(f"{GIVEN} (2024)")).to_be_checked()
    admin.screenshot(path=screens / "02-supervisor-scope.png", full_page=True)

    admin.get_by_role("button", name="Đặt lại mật khẩu").click()
    password = admin.locator("#one-time-password").inner_text().strip()
    assert len(password) >= 10
    admin.screenshot(path=screens / "03-one-time-password.png")
    account_url = admin.url

    supervisor = desks[1].new_page()
    _log_in(supervisor, "lan.gs", password)
    expect(supervisor.get_by_role("link", name=GIVEN)).to_be_visible()
    expect(supervisor.get_by_role("link", name=OTHER)).to_have_count(0)
    expect(supervisor.get_by_role("link", name="Tài khoản và quyền truy cập")).to_have_count(0)
    supervisor.screenshot(path=screens / "04-supervisor-home.png")
    refused = supervisor.goto("/staff/access")
    assert refused is not None
    assert refused.status == 403
    supervisor.goto(f"/staff/campaigns/{other_id}/setup")
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("Không có quyền")
    supervisor.goto("/staff/")

    if "/password" in account_url:  # the reset answered in place: back to the account
        admin.goto(account_url.rsplit("/password", 1)[0])
    admin.get_by_role("button", name="Khóa tài khoản").click()
    expect(admin.get_by_role("status").first).to_contain_text("Đã khóa tài khoản")
    admin.screenshot(path=screens / "05-disabled.png")

    supervisor.get_by_role("link", name=GIVEN).click()
    expect(supervisor).to_have_url(f"{served.base_url}/staff/login")
    supervisor.screenshot(path=screens / "06-supervisor-logged-out.png")
    supervisor.get_by_label("Tên đăng nhập").fill("lan.gs")
    supervisor.get_by_label("Mật khẩu").fill(password)
    supervisor.get_by_role("button", name="Đăng nhập").click()
    expect(supervisor).to_have_url(f"{served.base_url}/staff/login")
    expect(supervisor.locator("header .who")).to_have_count(0)


def test_an_api_key_is_created_with_its_secret_shown_once(
    desks: tuple[BrowserContext, BrowserContext], screens: Path
) -> None:
    admin = desks[0].new_page()
    _log_in(admin, *ADMIN)
    admin.goto("/staff/access")
    admin.get_by_role("link", name="Khóa API").first.click()
    expect(admin.get_by_text("Chưa có khóa API nào.")).to_be_visible()
    admin.get_by_label("Tên dịch vụ").fill("par-scoring-snv")
    admin.get_by_label(f"{GIVEN} (2024)").check()
    admin.get_by_label("Số ngày hiệu lực").fill("30")
    admin.get_by_role("button", name="Tạo khóa API").click()
    secret = admin.locator("#api-key-secret").inner_text().strip()
    assert len(secret) >= 32
    expect(admin.get_by_role("cell", name="Chưa dùng")).to_be_visible()
    admin.screenshot(path=screens / "01-api-key-created.png", full_page=True)
    admin.get_by_role("button", name="Thu hồi khóa số 1").click()  # not yet confirmed
    expect(admin.get_by_role("cell", name="Chưa thu hồi")).to_be_visible()
    admin.get_by_label("Xác nhận thu hồi khóa số 1").check()
    admin.get_by_role("button", name="Thu hồi khóa số 1").click()
    expect(admin.get_by_role("status")).to_contain_text("Đã thu hồi khóa số 1")
    expect(admin.locator("#api-key-secret")).to_have_count(0)
