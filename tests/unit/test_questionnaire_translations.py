"""Texts given per language: the default language, fallback, the offered languages,
and problems in translated labels reported with their path."""

from __future__ import annotations

import hashlib
import json
import pickle
from typing import Any

import pytest
import yaml

from questionnaires import (
    Label,
    Questionnaire,
    QuestionnaireError,
    bundled_path,
    check_answers,
    language_name,
    load_questionnaire,
    load_questionnaire_file,
    validate_questionnaire,
)
from questionnaires.problems import problem

NATIONAL_2024_VIETNAMESE_SHA256 = "f9a0d777b97fc6f30d38122f95837daae83fdd1627812d8537dd3e72a4027fa5"
"""Digest of national-2024 in Vietnamese only, as it was before the English was added."""

FORM = """\
code: test
title: {vi: Phiếu thử nghiệm, en: Test form}
edition: "2024"
scales:
  likert5:
    - {vi: Rất không hài lòng, en: Very dissatisfied}
    - {vi: Không hài lòng, en: Dissatisfied}
    - {vi: Bình thường, en: Neutral}
    - {vi: Hài lòng, en: Satisfied}
    - {vi: Rất hài lòng, en: Very satisfied}
halves:
  - {code: service, name: {vi: Việc cung ứng dịch vụ hành chính công, en: Public services}}
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: service}
option_sets:
  yes_no:
    - {code: "1", label: {vi: Có, en: "Yes"}}
    - {code: "2", label: {vi: Không, en: "No"}}
blocks:
  - code: service
    kind: satisfaction
    title: {vi: Mức độ hài lòng, en: Satisfaction}
    intro: Xin ông/bà cho biết mức độ hài lòng.
    items:
      - code: GATE
        type: single_choice
        text:
          vi: Ông/bà đã giải quyết thủ tục hành chính tại Bộ phận Một cửa chưa?
          en: Have you completed an administrative procedure at the One-Stop Shop?
        options: yes_no
      - code: S24
        number: 24
        type: likert5
        subindex: E
        text: Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy.
        help: {vi: Chọn một mức., en: Choose one level.}
        show_if: {item: GATE, in: ["1"]}
"""

KHMER = {
    "title": "ទម្រង់សាកល្បង",
    "blocks[0].title": "កម្រិតពេញចិត្ត",
    "blocks[0].items[0].text": "តើលោកអ្នកបានដោះស្រាយនីតិវិធីរដ្ឋបាលនៅច្រកចេញចូលតែមួយហើយឬនៅ?",
    "option_sets.yes_no[0].label": "បាទ/ចាស",
    "option_sets.yes_no[1].label": "ទេ",
}
"""A province's Khmer labels for part of the form, keyed by path in the file."""


def _with_khmer(data: dict[str, Any]) -> dict[str, Any]:
    """Add ``KHMER`` to parsed form data the way a province edits the file: a ``km``
    entry next to the Vietnamese one (a plain string becomes a mapping)."""
    form = validate_questionnaire(data)
    texts = {path: label.as_data() for path, label in form.labels()}
    for path, khmer in KHMER.items():
        current = texts[path]
        entry = dict(current) if isinstance(current, dict) else {"vi": current}
        _set(data, path, {**entry, "km": khmer})
    return data


def _set(data: dict[str, Any], path: str, value: object) -> None:
    keys: list[Any] = [
        int(part[1:-1]) if part.startswith("[") else part
        for part in path.replace("[", ".[").split(".")
    ]
    target: Any = data
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value


@pytest.fixture
def form() -> Questionnaire:
    return load_questionnaire(FORM)


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FORM)
    return data


def test_a_plain_string_is_the_default_language_text(form: Questionnaire) -> None:
    intro = form.blocks[0].intro
    assert isinstance(intro, Label)
    assert intro == "Xin ông/bà cho biết mức độ hài lòng."
    assert intro.language == "vi"
    assert intro.translations == {}
    assert intro.in_language("en") == intro  # no translation: the Vietnamese text


def test_a_mapping_gives_each_language_and_the_default_is_the_vietnamese(
    form: Questionnaire,
) -> None:
    title = form.title
    assert title == "Phiếu thử nghiệm"  # printed without a language: the authority
    assert f"{title}" == "Phiếu thử nghiệm"
    assert title.in_language("en") == "Test form"
    assert title.in_language("en-GB") == "Test form"
    assert title.in_language("km") == "Phiếu thử nghiệm"
    assert title.in_language(None) == "Phiếu thử nghiệm"
    assert (title.language, title.translations) == ("vi", {"en": "Test form"})


def test_offered_languages_follow_the_texts_default_first(form: Questionnaire) -> None:
    assert form.offered_languages() == ["vi", "en"]
    plain = load_questionnaire(FORM.replace("en: Test form", "en: Test form, km: ទម្រង់"))
    assert plain.offered_languages() == ["vi", "en", "km"]


def test_an_explicit_languages_list_sets_the_offer_and_its_order() -> None:
    listed = load_questionnaire(
        FORM.replace('edition: "2024"', 'edition: "2024"\nlanguages: [km, vi, en]')
    )
    assert listed.offered_languages() == ["vi", "km", "en"]


def test_choose_language_picks_the_closest_offered(form: Questionnaire) -> None:
    assert form.choose_language("en") == "en"
    assert form.choose_language("en-US") == "en"
    assert form.choose_language("fr") == "vi"
    assert form.choose_language(None) == "vi"
    assert form.choose_language("") == "vi"


def test_localized_switches_every_text_and_keeps_every_code(form: Questionnaire) -> None:
    english = form.localized("en")
    assert english.language == "en"
    assert english.title == "Test form"
    assert english.blocks[0].title == "Satisfaction"
    assert english.blocks[0].intro == "Xin ông/bà cho biết mức độ hài lòng."  # fallback
    gate, s24 = english.blocks[0].items
    assert gate.text.startswith("Have you completed")
    assert [(o.code, o.label) for o in english.options_of(gate)] == [("1", "Yes"), ("2", "No")]
    assert [o.label for o in english.options_of(s24)][-1] == "Very satisfied"
    assert s24.help == "Choose one level."
    assert english.halves[0].name == "Public services"
    assert english.subindices[0].name == "Tiếp cận dịch vụ"  # fallback
    assert [i.code for i in english.items()] == [i.code for i in form.items()]
    assert [o.code for o in english.options_of(s24)] == [o.code for o in form.options_of(s24)]
    assert form.title == "Phiếu thử nghiệm"  # the original is untouched


def test_answers_are_checked_by_code_whatever_the_language(form: Questionnaire) -> None:
    answers = {"GATE": "1", "S24": 4}
    in_vietnamese = check_answers(form, answers, complete=True)
    in_english = check_answers(form.localized("en"), answers, complete=True)
    assert in_vietnamese.answers == in_english.answers == {"GATE": "1", "S24": 4}
    assert not in_vietnamese.problems
    assert not in_english.problems


def test_a_province_adds_khmer_by_adding_labels() -> None:
    data = _with_khmer(_raw())
    khmer_form = validate_questionnaire(data)
    assert khmer_form.offered_languages() == ["vi", "en", "km"]
    khmer = khmer_form.localized("km")
    assert khmer.title == KHMER["title"]
    gate = khmer.blocks[0].items[0]
    assert gate.text == KHMER["blocks[0].items[0].text"]
    assert [o.label for o in khmer.options_of(gate)] == ["បាទ/ចាស", "ទេ"]
    # untranslated texts fall back to Vietnamese, not to English
    assert khmer.blocks[0].intro == "Xin ông/bà cho biết mức độ hài lòng."
    assert khmer.options_of(khmer.blocks[0].items[1])[0].label == "Rất không hài lòng"
    # the Vietnamese and English texts did not change
    assert khmer_form.title == "Phiếu thử nghiệm"
    assert khmer_form.localized("en").title == "Test form"


def test_a_form_whose_default_language_is_not_vietnamese() -> None:
    text = FORM.replace("code: test", "code: test\nlanguage: en")
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(text.replace("{vi: Phiếu thử nghiệm, en: Test form}", "{vi: Phiếu}"))
    assert problem("title", "questionnaire_text_no_default", language="en") in (
        raised.value.problems
    )
    english_first = load_questionnaire(text)
    assert english_first.title == "Test form"
    assert english_first.title.in_language("vi") == "Phiếu thử nghiệm"
    assert english_first.offered_languages()[0] == "en"


def test_stored_content_round_trips_with_its_translations(form: Questionnaire) -> None:
    content = form.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert content["title"] == {"vi": "Phiếu thử nghiệm", "en": "Test form"}
    assert content["blocks"][0]["intro"] == "Xin ông/bà cho biết mức độ hài lòng."
    again = validate_questionnaire(json.loads(json.dumps(content)))
    assert again == form
    assert again.title.translations == {"en": "Test form"}
    assert pickle.loads(pickle.dumps(form)) == form


def test_equality_sees_translations() -> None:
    assert Label("Có", "vi", {"en": "Yes"}) == Label("Có", "vi", {"en": "Yes"})
    assert Label("Có", "vi", {"en": "Yes"}) != Label("Có", "vi", {"en": "Yes, I have"})
    assert Label("Có", "vi", {"en": "Yes"}) == "Có"


def test_a_form_without_translations_stores_plain_strings() -> None:
    plain = load_questionnaire(
        'code: p\ntitle: Phiếu\nedition: "1"\nblocks:\n'
        "  - {code: b, title: Khối, items: [{code: Q, type: text, text: Câu}]}\n"
    )
    content = plain.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert content["title"] == "Phiếu"
    assert content["blocks"][0]["items"][0]["text"] == "Câu"
    assert plain.offered_languages() == ["vi"]
    assert plain.localized("en").title == "Phiếu"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{vi: Mức độ hài lòng, en: Satisfaction}",
            "{en: Satisfaction}",
            ("blocks[0].title", "questionnaire_text_no_default", {"language": "vi"}),
        ),
        (
            "{vi: Mức độ hài lòng, en: Satisfaction}",
            "{vi: Mức độ hài lòng, english: Satisfaction}",
            ("blocks[0].title", "questionnaire_language_code", {"value": "english"}),
        ),
        (
            "{vi: Mức độ hài lòng, en: Satisfaction}",
            '{vi: Mức độ hài lòng, en: ""}',
            ("blocks[0].title", "questionnaire_text_empty_in", {"language": "en"}),
        ),
        (
            'en: "Yes"',
            "en: Yes",
            ("option_sets.yes_no[0].label", "questionnaire_text_not_string", {"language": "en"}),
        ),
        (
            "title: {vi: Mức độ hài lòng, en: Satisfaction}",
            "title: [Mức độ hài lòng]",
            ("blocks[0].title", "questionnaire_text_shape", {}),
        ),
        (
            "code: test",
            "code: test\nlanguage: vietnamese",
            ("language", "questionnaire_language_code", {"value": "vietnamese"}),
        ),
    ],
)
def test_problems_in_translated_texts_have_their_path(
    old: str, new: str, expected: tuple[str, str, dict[str, str]]
) -> None:
    assert old in FORM
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(FORM.replace(old, new, 1))
    path, code, params = expected
    assert any(
        (p.path, p.code) == (path, code) and params.items() <= dict(p.params).items()
        for p in raised.value.problems
    ), raised.value


def test_an_explicit_languages_list_must_cover_every_text() -> None:
    text = FORM.replace('edition: "2024"', 'edition: "2024"\nlanguages: [en]')
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(text.replace("en: Choose one level.", "eng: Choose one level."))
    found = raised.value.problems
    assert problem("languages", "questionnaire_default_language_unlisted", language="vi") in found
    assert problem(
        "blocks[0].items[1].help", "questionnaire_language_unlisted", language="eng"
    ) in (found)


def test_language_names_for_a_switcher() -> None:
    assert language_name("vi") == "Tiếng Việt"
    assert language_name("en-GB") == "English"
    assert language_name("km") == "ភាសាខ្មែរ"
    assert language_name("xx") == "xx"


def test_national_2024_ships_a_complete_english_translation() -> None:
    form = load_questionnaire_file(bundled_path("national-2024"))
    assert form.offered_languages() == ["vi", "en"]
    assert [path for path, label in form.labels() if "en" not in label.translations] == []
    english = form.localized("en")
    assert english.title.startswith("Survey of the satisfaction of citizens")
    assert english.scales.likert5[-1] == "Very satisfied"
    s31 = english.item_map()["S31"]
    assert s31.text == (
        "Civil servants at the One-Stop Shop are polite and respectful towards people."
    )
    # texts left the same in English are numbers and names only
    same = {str(label) for _, label in form.labels() if label.in_language("en") == label}
    assert same == {"18–25", "26–34", "35–49", "50–60", "Kinh"}


def test_national_2024_vietnamese_is_unchanged_by_the_translation() -> None:
    vietnamese = load_questionnaire_file(bundled_path("national-2024")).localized("vi")
    content = vietnamese.model_dump(mode="json", by_alias=True, exclude_none=True)
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    assert digest == NATIONAL_2024_VIETNAMESE_SHA256


def test_translated_gives_no_fallback(form: Questionnaire) -> None:
    assert form.title.translated("en") == "Test form"
    assert form.title.translated("en-AU") == "Test form"
    assert form.title.translated("vi") == "Phiếu thử nghiệm"
    assert form.title.translated("km") is None
