"""A whole campaign run from the browser, from an empty database, after the first
administrator is made with the command line: units, the national form, a campaign, a
case list with two bad rows, sizes and allocation, a committed seed, the draw and its
verification, two surveyors, personal links; two surveyors (phones) and one citizen
answer; review approves one response and rejects one; the results equal ``sipas
analyze`` on the exported answers without the rejected one; publish; the XLSX.

Every step is saved as a screenshot under the test's temporary directory (screens/).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from sqlalchemy import func, select
from typer.testing import CliRunner

from analysis.rounding import percent
from app.cli.main import cli
from app.core.config import Environment, Settings
from app.core.db import create_db_engine
from app.core.migrate import upgrade
from app.main import create_app
from app.response.models import Response, ReviewState
from tests.api.sampling_data import UNITS, case_lines, csv_bytes
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import complete_form
from tests.support.server import running_server

pytestmark = pytest.mark.browser

ADMIN = ("quantri", "mat-khau-quan-tri-vien")
SURVEYORS = [("dtv.an", "Nguyễn Thị An"), ("dtv.binh", "Trần Văn Bình")]
SURVEYOR_PASSWORD = "mat-khau-dieu-tra"
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
UNITS_CSV = (
    "code,name,kind,parent_code,valid_from,valid_to\nst,Tỉnh Sóc Trăng,province,,,\n"
    + "".join(f"{code},{name},department,st,,\n" for code, name in UNITS)
)
BAD_ROWS = [
    "901,HS90001,Đăng ký khai sinh,Hộ tịch,Sở Không Có,Trần Văn X,0911111111,Ấp 1,"
    "01/03/2024,05/03/2024,Trực tiếp",
    "902,HS90002,Đăng ký khai sinh,Hộ tịch,Sở Tư pháp,Trần Văn Y,0911111112,Ấp 1,"
    "01/03/2024,31/02/2024,Trực tiếp",
]
SEED = "2024031512"


class Steps:
    """Screenshots numbered in the order the steps are taken."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def shot(self, page: Page, name: str) -> None:
        self.count += 1
        page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A server on an empty, migrated database: its URL and the database URL."""
    url = f"sqlite:///{tmp_path / 'whole.db'}"
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    engine.dispose()
    app = create_app(
        Settings(
            database_url=url,
            environment=Environment.TEST,
            secret_key="e2e-secret-key-not-for-production",
        )
    )
    with running_server(app) as base_url:
        yield base_url, url
    app.state.engine.dispose()


def _office(browser: Browser, base_url: str) -> BrowserContext:
    context = browser.new_context(
        viewport=DESKTOP, base_url=base_url, locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    return context


def _phone(browser: Browser, base_url: str) -> BrowserContext:
    context = browser.new_context(
        viewport=PHONE, base_url=base_url, locale="vi-VN", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    return context


def _log_in(page: Page, area: str, username: str, password: str) -> None:
    page.goto(f"/{area}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def _tab(page: Page, name: str) -> None:
    page.locator("nav.tabs").get_by_role("link", name=name).click()


def _cli_admin(database_url: str) -> None:
    """The first administrator, made with ``sipas user create`` as the README says."""
    env = {**os.environ, "SIPAS_DATABASE_URL": database_url, "SIPAS_ENVIRONMENT": "development"}
    done = subprocess.run(
        [sys.executable, "-c", "from app.cli.main import main; main()", "user", "create",
         ADMIN[0], "--role", "admin", "--password", ADMIN[1]],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _shown_percent(text: str) -> Decimal:
    match = re.search(r"(\d+),(\d{2})%", text)
    assert match is not None, text
    return Decimal(f"{match.group(1)}.{match.group(2)}")


def test_whole_campaign_in_the_browser(
    browser: Browser, empty_server: tuple[str, str], tmp_path: Path, screens: Path
) -> None:
    base_url, database_url = empty_server
    steps = Steps(screens)
    _cli_admin(database_url)
    office = _office(browser, base_url)
    page = office.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    _log_in(page, "staff", *ADMIN)
    expect(page.locator("td.empty")).to_contain_text("Bước tiếp theo")
    steps.shot(page, "empty-home")

    # Units and the national form.
    page.get_by_role("link", name="Đơn vị").first.click()
    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    page.get_by_label("Tệp CSV").set_input_files(tmp_path / "units.csv")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".toast")).to_contain_text("Đã thêm 4 đơn vị")
    steps.shot(page, "units")
    page.get_by_role("link", name="Bộ câu hỏi").first.click()
    page.locator("select[name=code]").select_option("national-2024")
    page.get_by_role("button", name="Nạp thành bản nháp").click()
    page.get_by_role("link", name="Xem trước như trên điện thoại").click()
    expect(page.locator(".sv-progress-text")).to_contain_text("Phần 1/")
    steps.shot(page, "questionnaire-preview")
    page.go_back()
    page.get_by_label("Tôi hiểu rằng bản đã công bố không thể sửa.").check()
    page.get_by_role("button", name="Công bố bộ câu hỏi").click()
    expect(page.locator(".status")).to_have_text("Đã công bố")
    steps.shot(page, "questionnaire-published")

    # The campaign.
    page.get_by_role("link", name="tạo đợt khảo sát").click()
    page.get_by_label("Tên đợt khảo sát").fill("Khảo sát SIPAS các sở năm 2024")
    page.get_by_label("Năm", exact=True).fill("2024")
    page.locator("select[name=scope_unit_code]").select_option("st")
    page.get_by_role("button", name="Tạo đợt khảo sát").click()
    expect(page.locator("h1")).to_have_text("Thiết lập đợt khảo sát")
    page.get_by_label("Cơ quan phát hành thư mời").fill("Sở Nội vụ tỉnh Sóc Trăng")
    page.get_by_label("Số văn bản").fill("123/KH-SNV")
    page.get_by_label("Ngày văn bản").fill("2024-03-01")
    page.get_by_label("Đường dây nóng").fill("0299 3822 123")
    page.get_by_role("button", name="Lưu cài đặt").click()
    expect(page.locator(".toast")).to_contain_text("Đã lưu cài đặt")
    steps.shot(page, "campaign-setup")

    # Case list with two bad rows, frame, size and allocation, seed, draw, verify.
    _tab(page, "2. Chọn mẫu")
    (tmp_path / "cases.csv").write_bytes(csv_bytes(case_lines(per_unit=8) + BAD_ROWS))
    page.get_by_label(re.compile("Tệp danh sách")).set_input_files(tmp_path / "cases.csv")
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("#rejected")).to_have_text("2")
    expect(page.locator("#accepted")).to_have_text("24")
    expect(page.locator("#rejections tbody tr")).to_have_count(2)
    steps.shot(page, "case-list-report")
    page.get_by_role("link", name="Bước tiếp theo: lập khung mẫu").click()
    page.get_by_role("button", name="Lập khung mẫu").click()
    expect(page.locator("#frame")).to_contain_text("24 người trong 3 tầng")
    page.get_by_label("Cỡ mẫu n").fill("9")
    page.get_by_label("Tối thiểu mỗi tầng").fill("2")
    page.get_by_role("button", name="Tính và xem phân bổ").click()
    expect(page.locator("#plan tfoot")).to_contain_text("9")
    steps.shot(page, "size-and-allocation")
    page.locator("#commit").get_by_label(re.compile("Số hạt giống")).fill(SEED)
    page.get_by_role("button", name="Công bố mã cam kết").click()
    expect(page.locator("#commit")).to_contain_text("chưa dùng")
    page.get_by_label("Cỡ mẫu n").fill("9")
    page.get_by_label("Tối thiểu mỗi tầng").fill("2")
    page.get_by_role("button", name="Tính và xem phân bổ").click()
    page.get_by_label("Công khai số hạt giống").fill(SEED)
    page.get_by_role("button", name="Rút mẫu").click()
    expect(page.locator(".sample h3")).to_contain_text("9 người")
    page.get_by_role("button", name="Kiểm tra lại mẫu số 1").click()
    expect(page.locator(".verify .match")).to_contain_text("KHỚP (MATCH)")
    steps.shot(page, "draw-verified")

    # Surveyors, fieldwork, assignment, links.
    page.get_by_role("link", name="Điều tra viên").first.click()
    for username, name in SURVEYORS:
        page.get_by_label("Họ và tên").fill(name)
        page.get_by_label("Tên đăng nhập (không dấu)").fill(username)
        page.get_by_label("Mật khẩu (ít nhất 10 ký tự)").fill(SURVEYOR_PASSWORD)
        page.get_by_role("button", name="Tạo tài khoản").click()
        expect(page.locator(".toast")).to_contain_text(username)
    page.get_by_role("link", name="Đợt khảo sát").first.click()
    page.get_by_role("link", name="Khảo sát SIPAS các sở năm 2024").click()
    page.get_by_label("Tôi đã đọc và xác nhận.").check()
    page.get_by_role("button", name="Bắt đầu khảo sát").click()
    expect(page.locator(".toast")).to_contain_text("Đang khảo sát")
    _tab(page, "3. Triển khai")
    for _, name in SURVEYORS:
        page.get_by_label(re.compile(name)).check()
    page.get_by_role("button", name="Giao tự động").click()
    expect(page.locator(".toast")).to_contain_text("Đã giao 9 người")
    page.locator('input[name="expires_on"]').fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Tạo đường link").click()
    expect(page.locator(".toast")).to_contain_text("Đã tạo 9 đường link mới")
    steps.shot(page, "fieldwork")
    page.get_by_role("button", name="In thư mời của cả đợt khảo sát").click()  # a job
    letter = page.locator("article.letter").first
    citizen_respondent = letter.get_attribute("data-respondent")
    citizen_url = letter.locator(".url").first.inner_text()
    steps.shot(page, "letters")

    # Two surveyors on their phones and one citizen answer.
    for number, (username, _) in enumerate(SURVEYORS, start=1):
        phone = _phone(browser, base_url)
        surveyor = phone.new_page()
        _log_in(surveyor, "s", username, SURVEYOR_PASSWORD)
        expect(surveyor.locator("h1")).to_contain_text("Người cần khảo sát")
        mine = surveyor.locator(
            f'li.respondent:not([data-respondent="{citizen_respondent}"])'
        ).first
        mine.get_by_role("link", name="Phỏng vấn").click()
        complete_form(surveyor)
        surveyor.get_by_role("button", name="Gửi phiếu").click()
        expect(surveyor.locator("#syncbar")).to_have_attribute("data-queued", "0")
        steps.shot(surveyor, f"surveyor-{number}-sent")
        phone.close()
    phone = _phone(browser, base_url)
    citizen = phone.new_page()
    citizen.goto(citizen_url)
    complete_form(citizen)
    citizen.get_by_role("button", name="Gửi phiếu").click()
    expect(citizen.locator("#done")).to_be_visible()
    steps.shot(citizen, "citizen-thanks")
    phone.close()

    # Review: approve one, reject one (a comment is required).
    page.goto("/staff/")
    page.get_by_role("link", name="Khảo sát SIPAS các sở năm 2024").click()
    _tab(page, "5. Duyệt dữ liệu")
    expect(page.locator("#review-table tbody tr")).to_have_count(3)
    steps.shot(page, "review-table")
    ids = page.locator("#review-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.response)"
    )
    page.get_by_role("link", name=ids[0], exact=True).click()
    page.get_by_label("Đã duyệt").check()
    page.get_by_role("button", name="Lưu kết quả duyệt").click()
    expect(page.locator("#review-state")).to_have_text("Đã duyệt")
    page.go_back()
    page.go_back()
    page.get_by_role("link", name=ids[1], exact=True).click()
    page.get_by_label(re.compile("Bị loại")).check()
    page.get_by_role("button", name="Lưu kết quả duyệt").click()
    expect(page.locator("h1")).to_contain_text("Dữ liệu chưa hợp lệ")
    page.go_back()
    page.get_by_label(re.compile("Bị loại")).check()
    page.get_by_label("Nhận xét").fill("Phỏng vấn quá ngắn, người trả lời không có mặt")
    page.get_by_role("button", name="Lưu kết quả duyệt").click()
    expect(page.locator("#review-state")).to_have_text("Bị loại")
    expect(page.locator("#history")).to_contain_text("Phỏng vấn quá ngắn")
    steps.shot(page, "response-rejected")

    # Results: the nine sub-indices, and SIPAS equal to `sipas analyze` on the export.
    _tab(page, "6. Kết quả")
    page.get_by_role("button", name="Tính kết quả").click()
    expect(page.locator("#subindices tbody tr")).to_have_count(9)
    expect(page.locator("#rejected-count")).to_contain_text("1 phiếu bị loại")
    steps.shot(page, "results")
    shown = _shown_percent(page.locator("#sipas").inner_text())
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Dữ liệu trả lời dùng để tính")).click()
    answers = tmp_path / "answers.csv"
    download.value.save_as(answers)
    assert len(answers.read_text(encoding="utf-8-sig").strip().splitlines()) == 3  # 2 + header
    analyzed = CliRunner().invoke(
        cli,
        ["analyze", "--questionnaire", "national-2024", "--answers", str(answers),
         "--weights", "trong_so", "--unit-column", "ma_don_vi", "--stratum-column", "tang",
         "--psu-column", "cum"],
    )  # fmt: skip
    assert analyzed.exit_code == 0, analyzed.output
    result = json.loads(analyzed.output)
    assert percent(result["sipas"]["rate"]) == shown
    for code, cell in result["subindices"].items():
        row = page.locator(f'#subindices tr[data-code="{code}"] td').nth(2)
        assert _shown_percent(row.inner_text() + "%") == percent(cell["rate"])

    # Close, publish with confirmation, download the XLSX.
    _tab(page, "1. Thiết lập")
    page.get_by_label("Tôi đã đọc và xác nhận.").first.check()
    page.get_by_role("button", name="Kết thúc khảo sát").click()
    _tab(page, "6. Kết quả")
    page.get_by_label("Tôi xác nhận công bố và khóa kết quả.").check()
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.locator(".toast")).to_contain_text("Đã công bố")
    steps.shot(page, "published")
    with page.expect_download() as download:
        page.get_by_role("link", name="Kết quả theo tiêu chí (Excel)").click()
    workbook = tmp_path / "criteria.xlsx"
    download.value.save_as(workbook)
    sheet = load_workbook(workbook).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:3] == ["STT", "Mã", "Chỉ số thành phần / tiêu chí"]
    office.close()
    assert errors == []

    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        states = dict(
            connection.execute(
                select(Response.review_state, func.count()).group_by(Response.review_state)
            ).all()
        )
    engine.dispose()
    assert states == {ReviewState.APPROVED: 1, ReviewState.REJECTED: 1, ReviewState.RECEIVED: 1}
    assert len(list(screens.glob("*.png"))) == steps.count >= 15
