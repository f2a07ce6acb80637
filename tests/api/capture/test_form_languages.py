"""The citizen and surveyor pages offer the languages of the campaign's form: a
switcher and the texts of each language, the page itself staying Vietnamese."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.capture.conftest import CaptureWorld
from tests.api.factories import (
    SMALL_FORM,
    add_respondents,
    create_campaign,
    create_province,
    upload_form,
)
from tests.support.accounts import SURVEYOR_PASSWORD, add_surveyor
from tests.support.links import citizen_token
from tests.support.pages import log_in

TRANSLATED_FORM = (
    SMALL_FORM.replace(
        "title: Phiếu thử nghiệm\n",
        "title: {vi: Phiếu thử nghiệm, en: Test form, km: ទម្រង់សាកល្បង}\n",
    )
    .replace("title: Mức độ hài lòng", "title: {vi: Mức độ hài lòng, en: Satisfaction}")
    .replace(
        'text: "Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy."',
        'text: {vi: "Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy.", '
        'en: "The One-Stop Shop has clear signs and directions."}',
    )
    .replace("label: Có}", 'label: {vi: Có, en: "Yes", km: បាទ/ចាស}}')
    .replace("label: Không}", 'label: {vi: Không, en: "No", km: ទេ}}')
    .replace(
        "halves:\n",
        "scales:\n  likert5:\n"
        + "".join(
            f"    - {{vi: {vi}, en: {en}}}\n"
            for vi, en in [
                ("Rất không hài lòng", "Very dissatisfied"),
                ("Không hài lòng", "Dissatisfied"),
                ("Bình thường", "Neutral"),
                ("Hài lòng", "Satisfied"),
                ("Rất hài lòng", "Very satisfied"),
            ]
        )
        + "halves:\n",
    )
)
TEXTS = re.compile(r'<script type="application/json" class="sv-texts">(.*?)</script>', re.S)


def _texts(html: str) -> dict[str, dict[str, str]]:
    found = TEXTS.search(html)
    assert found is not None, "the page carries the texts of every language"
    texts: dict[str, dict[str, str]] = json.loads(found.group(1))
    return texts


def _translated_campaign(client: TestClient, headers: dict[str, str], db: Session) -> Any:
    create_province(client, headers)
    upload_form(client, headers, TRANSLATED_FORM)
    campaign_id = create_campaign(client, headers)
    respondents = add_respondents(db, campaign_id, 2)
    return campaign_id, respondents


def _citizen_token(api: FastAPI, db: Session, campaign_id: int, respondent_id: int) -> str:
    return citizen_token(db, api.state.settings.secret_key, campaign_id, respondent_id)


def test_a_citizen_page_offers_the_forms_languages(
    client: TestClient, admin_headers: dict[str, str], db: Session, api: FastAPI
) -> None:
    campaign_id, respondents = _translated_campaign(client, admin_headers, db)
    page = client.get(f"/r/{_citizen_token(api, db, campaign_id, respondents[0])}")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="vi">' in html  # the page around the form stays Vietnamese
    assert 'id="survey" novalidate data-language="vi"' in html
    buttons = re.findall(
        r'<button type="button" class="sv-lang" data-lang="([^"]+)" lang="\1"'
        r' aria-pressed="(true|false)">([^<]+)</button>',
        html,
    )
    assert buttons == [
        ("vi", "true", "Tiếng Việt"),
        ("en", "false", "English"),
        ("km", "false", "ភាសាខ្មែរ"),
    ]
    # rendered in Vietnamese, every text keyed for the switcher
    assert '<span data-t="i:S24.text">Bộ phận Một cửa có biển hiệu' in html
    assert '<span data-t="o:FEEDBACK:1">Có</span>' in html
    assert '<h1 class="form-title" lang="vi" data-t="title">Phiếu thử nghiệm</h1>' in html

    texts = _texts(html)
    assert set(texts) == {"en", "km"}  # the page itself holds the Vietnamese
    assert texts["en"]["title"] == "Test form"
    assert texts["en"]["i:S24.text"] == "The One-Stop Shop has clear signs and directions."
    assert texts["en"]["o:S24:5"] == "Very satisfied"
    assert texts["en"]["o:FEEDBACK:2"] == "No"
    assert "i:NOTE.text" not in texts["en"]  # shown in Vietnamese, marked lang="vi"
    assert texts["km"] == {
        "title": "ទម្រង់សាកល្បង",
        "o:FEEDBACK:1": "បាទ/ចាស",
        "o:FEEDBACK:2": "ទេ",
    }


def test_a_vietnamese_only_form_has_no_switcher(
    client: TestClient, world: CaptureWorld, db: Session, api: FastAPI
) -> None:
    html = client.get(f"/r/{_citizen_token(api, db, world.campaign_id, world.respondents[0])}").text
    assert 'data-language="vi"' in html
    assert "sv-lang" not in html
    assert "sv-texts" not in html


def test_the_surveyor_interview_page_offers_the_languages_offline_too(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id, respondents = _translated_campaign(client, admin_headers, db)
    add_surveyor(db, respondents)
    log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    page = client.get(f"/s/interview/{campaign_id}")
    assert page.status_code == 200
    assert 'data-lang="en" lang="en"' in page.text
    # the texts travel inside the page the service worker caches for offline use
    assert _texts(page.text)["en"]["b:service.title"] == "Satisfaction"
    assert f"/s/interview/{campaign_id}" in client.get("/s/api/offline").json()["urls"]
