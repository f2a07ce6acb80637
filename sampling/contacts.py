"""Cleaning the fields of a case list: text, Vietnamese phone numbers, dates, channels.

Case lists come from each province's TTHC information system (hệ thống thông tin
giải quyết TTHC) through Excel, so the same person's phone is written
``0912 345 678``, ``+84 912.345.678`` or ``84912345678`` and dates as
``05/03/2024`` or ``2024-03-05``. These functions return one canonical form or
raise :class:`ValueError` with a reason a person can act on.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum

_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")

OLD_MOBILE_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
"""11-digit mobile prefixes converted to 10 digits in 2018 (Bộ Thông tin và Truyền
thông, Thông tư 22/2014/TT-BTTTT as amended; conversion 15/09–15/11/2018)."""


class ChannelValue(StrEnum):
    """How a case was submitted (hình thức nộp)."""

    DIRECT = "direct"
    ONLINE = "online"
    POSTAL = "postal"


_CHANNELS = {
    "truc tiep": ChannelValue.DIRECT,
    "nop truc tiep": ChannelValue.DIRECT,
    "tai bo phan mot cua": ChannelValue.DIRECT,
    "direct": ChannelValue.DIRECT,
    "truc tuyen": ChannelValue.ONLINE,
    "nop truc tuyen": ChannelValue.ONLINE,
    "qua mang": ChannelValue.ONLINE,
    "dich vu cong truc tuyen": ChannelValue.ONLINE,
    "truc tuyen toan trinh": ChannelValue.ONLINE,
    "truc tuyen mot phan": ChannelValue.ONLINE,
    "online": ChannelValue.ONLINE,
    "buu chinh": ChannelValue.POSTAL,
    "qua buu chinh": ChannelValue.POSTAL,
    "buu chinh cong ich": ChannelValue.POSTAL,
    "dich vu buu chinh cong ich": ChannelValue.POSTAL,
    "buu dien": ChannelValue.POSTAL,
    "qua buu dien": ChannelValue.POSTAL,
    "postal": ChannelValue.POSTAL,
}


def normalize_text(value: str | None) -> str | None:
    """NFC, trimmed, inner whitespace collapsed; empty text becomes ``None``."""
    if value is None:
        return None
    text = value if value.isascii() else unicodedata.normalize("NFC", value)
    if "  " in text or not text.isprintable():
        text = _SPACES.sub(" ", text)  # tabs, newlines, runs of spaces
    return text.strip() or None


def fold(value: str) -> str:
    """A comparison form: without diacritics (đ → d), case-folded, spaces collapsed.

    ``fold("Tên thủ tục") == fold("TEN THU TUC") == "ten thu tuc"``.
    """
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalize_phone(value: str) -> str:
    """A Vietnamese phone number in national form (``0912345678``).

    Accepts ``+84``, ``84`` and ``0`` prefixes, spaces, dots, dashes and
    parentheses, and the 11-digit mobile numbers converted in 2018. Valid
    results are mobile numbers ``0[35789]`` + 8 digits or landlines ``02`` + 9
    digits (area code and subscriber number).

    Raises
    ------
    ValueError
        With the reason the number is not usable.

    Examples
    --------
    >>> normalize_phone("+84 912.345.678")
    '0912345678'
    >>> normalize_phone("01689 123 456")
    '0389123456'
    """
    if len(value) == 10 and _MOBILE.fullmatch(value):
        return value  # already in national form: the common case
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("84"):
            raise ValueError(f"phone {value!r} is not a Vietnamese number (+84)")
    if not digits.isdigit():
        raise ValueError(f"phone {value!r} contains characters other than digits")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits  # Excel drops the leading zero of numeric cells
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    raise ValueError(
        f"phone {value!r} is not a Vietnamese phone number "
        "(mobile 0[35789]xxxxxxxx or landline 02xxxxxxxxx)"
    )


def parse_date(value: str) -> date:
    """A date written ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``)
    or ISO ``yyyy-mm-dd``, optionally followed by a time, which is dropped.

    Raises
    ------
    ValueError
        When the text is not such a date or the date does not exist.
    """
    text = value.strip()
    head = text.split(" ", 1)[0].split("T", 1)[0]
    try:
        if len(head) == 10 and head[4] == "-" and head[7] == "-":
            return date(int(head[:4]), int(head[5:7]), int(head[8:10]))
        for separator in "/-.":
            parts = head.split(separator)
            if len(parts) == 3 and len(parts[2]) == 4:
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError as exc:
        raise ValueError(f"date {value!r} does not exist ({exc})") from None
    raise ValueError(f"date {value!r} is not dd/mm/yyyy or yyyy-mm-dd")


def coerce_date(value: object) -> date:
    """A date from a spreadsheet cell: a date, a datetime or text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))


def parse_channel(value: str) -> ChannelValue:
    """The submission channel from its Vietnamese (or English) name.

    ``trực tiếp`` → direct, ``trực tuyến`` / ``qua mạng`` → online,
    ``bưu chính`` / ``bưu điện`` → postal.
    """
    channel = _CHANNELS.get(fold(value))
    if channel is None:
        raise ValueError(
            f"channel {value!r} is not one of trực tiếp, trực tuyến, bưu chính "
            "(direct, online, postal)"
        )
    return channel


def person_key(phone: str | None, name: str | None, address: str | None) -> str | None:
    """The key that makes one person count once per stratum.

    The normalised phone when there is one (``tel:0912345678``), otherwise the
    folded name and address (``name:nguyen van a|ap 3, xa ...``); ``None`` when
    neither identifies the person (no usable contact).
    """
    if phone:
        return f"tel:{phone}"
    if name and address:
        return f"name:{fold(name)}|{fold(address)}"
    return None
