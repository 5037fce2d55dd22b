"""Normal forms of the ways people are named: emails, phones, LinkedIn URLs, names.

Pure functions with no dependency on the store, so readers of input files, the store and
identity resolution share one definition of "the same address".
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["normalise_email", "normalise_linkedin", "normalise_name", "normalise_phone",
           "phone_region", "reference_keys"]

_GMAIL = ("gmail.com", "googlemail.com")


@functools.lru_cache(maxsize=1 << 17)  # an address is read to match, to check it is new, to add it
def normalise_email(value: str) -> str:
    """The address that delivers to the same mailbox, for matching people.

    Case-folded and trimmed; a ``+tag`` is dropped (sub-addressing, as Gmail, Outlook and
    Fastmail deliver it); for Gmail, dots in the local part are dropped and ``googlemail.com``
    becomes ``gmail.com``.

    >>> normalise_email(" Dana.Lee+Work@GoogleMail.com ")
    'danalee@gmail.com'
    >>> normalise_email("Dana.Lee+work@acme.io")
    'dana.lee@acme.io'
    """
    text = value.strip().casefold()
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return text
    local = local.split("+", 1)[0] or local
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


_NOT_WORD = re.compile(r"[^\w]+")


@functools.lru_cache(maxsize=1 << 17)
def normalise_name(value: str) -> str:
    """A name reduced for matching.

    Accents, emoji, punctuation and case are dropped, whitespace collapsed, "Last, First" turned
    round.

    >>> normalise_name("  Lee, Dána 🚀 ")
    'dana lee'
    >>> normalise_name("Dr. Jean-Luc  O'Neil")
    'dr jean luc o neil'
    """
    text = value.strip()
    if not text.isascii():  # plain ASCII has no accents to drop (NFKD leaves it as it is)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    text = _NOT_WORD.sub(" ", text.casefold())
    return " ".join(text.replace("_", " ").split())


@functools.lru_cache(maxsize=1 << 16)
def normalise_phone(value: str, region: str | None = None) -> str:
    """A phone number in E.164 form (``+493012345``), for matching people.

    ``region`` is the home region (ISO 3166 code, ``netgraph init --country``) that national
    numbers are read in. International numbers (``+`` or ``00``) need none. A national number
    without a region, or one ``phonenumbers`` cannot read as a possible number, keeps its digits
    (an international one with its ``+``): never a reason to reject a contact. A national number
    kept as digits cannot start with ``+``, so it never equals an E.164 number by chance. An
    extension is kept after ``;ext=``, so two extensions of one switchboard stay apart.

    >>> normalise_phone("+49 (0)30 1234567")
    '+49301234567'
    >>> normalise_phone("0049 30 1234567")
    '+49301234567'
    >>> normalise_phone("030 1234567", "DE")
    '+49301234567'
    >>> normalise_phone("030 1234567")  # national, no home region: digits, apart from E.164
    '0301234567'
    >>> normalise_phone("+49 30 1234567 ext. 12")
    '+49301234567;ext=12'
    >>> normalise_phone("+1 (2")  # not a possible number: digits
    '+12'
    >>> normalise_phone("+ ")  # no digits: no phone to match by
    ''
    """
    text = value.strip()
    digits = "".join(str(unicodedata.decimal(ch)) for ch in re.findall(r"\d", text))
    if not digits:  # "+" or "n/a": nothing to match by
        return ""
    international = text.startswith("+") or (text.startswith("00") and len(digits) > 2)
    e164 = None
    if region or international:
        e164 = _e164(text, region)
        if e164 is None and text.startswith("00") and len(digits) > 2:  # 00 is not every IDD
            e164 = _e164("+" + text[2:], None)
    if e164 is not None:
        return e164
    if text.startswith("+"):
        return "+" + digits
    if text.startswith("00") and len(digits) > 2:
        return "+" + digits[2:]
    return digits


def _e164(text: str, region: str | None) -> str | None:
    """``text`` in E.164 (with ``;ext=`` if it has one), or None when it is not a possible number."""
    import phonenumbers  # here, not at the top: most commands read no phone number

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


def phone_region(code: str) -> str:
    """``code`` as a home region for phone numbers, in capitals.

    The code must be an ISO 3166 code phonenumbers knows; raises :class:`ValueError` with a
    suggestion when it is not one.

    >>> phone_region(" de ")
    'DE'
    >>> phone_region("UK")
    Traceback (most recent call last):
    ...
    ValueError: 'UK' is not a country code for phone numbers; did you mean GB?
    """
    import phonenumbers

    text = code.strip().upper()
    if text in phonenumbers.SUPPORTED_REGIONS:
        return text
    guess = _REGION_ALIASES.get(text)
    digits = text.lstrip("+")
    if guess is None and digits.isdigit():  # a calling code: +49 -> DE
        main = phonenumbers.region_code_for_country_code(int(digits))
        guess = main if main in phonenumbers.SUPPORTED_REGIONS else None
    hint = f"did you mean {guess}?" if guess else "use a two-letter ISO 3166 code such as DE, GB or US"
    msg = f"{code.strip()!r} is not a country code for phone numbers; {hint}"
    raise ValueError(msg)


#: Codes people write for a country that are not its ISO 3166 code.
_REGION_ALIASES = {"UK": "GB", "EL": "GR", "EN": "GB", "USA": "US", "GER": "DE", "DEU": "DE",
                   "GBR": "GB", "FRA": "FR", "ESP": "ES", "ITA": "IT", "NLD": "NL", "AUT": "AT",
                   "CHE": "CH", "CAN": "CA", "AUS": "AU", "IND": "IN", "JPN": "JP", "CHN": "CN"}


def normalise_linkedin(value: str) -> str:
    """``https://www.LinkedIn.com/in/Dana-Lee/`` -> ``linkedin.com/in/dana-lee``."""
    text = value.strip().casefold()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^(www\.|[a-z]{2}\.)", "", text)
    return text.split("?")[0].rstrip("/")


def reference_keys(ref: str) -> set[tuple[str, str]]:
    """The identities a reference could be, normalised.

    ``("id", ...)`` always, ``("email", ...)`` when it has an @, ``("linkedin", ...)`` when it is a
    profile URL.

    >>> sorted(reference_keys("Dana.Lee@gmail.com"))
    [('email', 'danalee@gmail.com'), ('id', 'Dana.Lee@gmail.com')]
    """
    text = ref.strip()
    keys = {("id", text)}
    if "@" in text:
        keys.add(("email", normalise_email(text)))
    if "linkedin.com/" in text.casefold():
        keys.add(("linkedin", normalise_linkedin(text)))
    return keys
