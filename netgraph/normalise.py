"""Normal forms of the ways people are named: emails, phones, LinkedIn URLs, names.

Pure functions with no dependency on the store, so readers of input files, the store and
identity resolution share one definition of "the same address".
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["normalise_email", "normalise_linkedin", "normalise_name", "normalise_phone",
           "reference_keys"]

_GMAIL = ("gmail.com", "googlemail.com")


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


@functools.lru_cache(maxsize=1 << 16)
def normalise_name(value: str) -> str:
    """A name reduced for matching: accents, emoji, punctuation and case dropped, whitespace
    collapsed, "Last, First" turned round.

    >>> normalise_name("  Lee, Dána 🚀 ")
    'dana lee'
    >>> normalise_name("Dr. Jean-Luc  O'Neil")
    'dr jean luc o neil'
    """
    text = unicodedata.normalize("NFKD", value.strip())
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.casefold())
    return " ".join(text.replace("_", " ").split())


def normalise_phone(value: str) -> str:
    """Digits only, keeping a leading ``+``: ``+49 (30) 123-45`` -> ``+493012345``."""
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return "+" + digits
    if text.startswith("00") and len(digits) > 2:
        return "+" + digits[2:]
    return digits


def normalise_linkedin(value: str) -> str:
    """``https://www.LinkedIn.com/in/Dana-Lee/`` -> ``linkedin.com/in/dana-lee``."""
    text = value.strip().casefold()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^(www\.|[a-z]{2}\.)", "", text)
    return text.split("?")[0].rstrip("/")


def reference_keys(ref: str) -> set[tuple[str, str]]:
    """The identities a reference could be, normalised: ``("id", ...)`` always, ``("email",
    ...)`` when it has an @, ``("linkedin", ...)`` when it is a profile URL.

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
