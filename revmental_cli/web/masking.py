"""Personal data as the web view shows it unless --show-personal: NIP, e-mail and phone
masked so that the administrator recognises the person and a passer-by learns little.

Pure functions on strings; never touches the store, the network or the language. The name
itself is shown whole (it is how the centre tells its participants apart).
"""

from __future__ import annotations

MASK = "*"


def mask_nip(nip: str | None) -> str:
    """``198807222010121004`` -> ``198807**********04``: the birth year and month stay (six
    digits), and the last two; the birth day, the appointment and the sequence do not.
    Works the same for a 16-digit NIK and shorter numbers (an NRP)."""
    if not nip:
        return ""
    text = "".join(nip.split())
    if len(text) <= 4:
        return MASK * len(text)
    head = min(6, max(len(text) - 10, len(text) // 3))
    return text[:head] + MASK * (len(text) - head - 2) + text[-2:]


def mask_email(email: str | None) -> str:
    """``ahmad.fauzi@kemenag.go.id`` -> ``a***@kemenag.go.id``: the first letter and the
    domain (the agency) stay."""
    if not email:
        return ""
    local, at, domain = email.strip().rpartition("@")
    if not at:
        return mask_nip(email)  # not an address: masked like any number
    return (local[:1] + MASK * 3 if local else MASK * 3) + "@" + domain


def mask_phone(phone: str | None) -> str:
    """``0812-3456-789`` -> ``0812****789``: the operator prefix (``+62812`` with the country
    code) and the last three digits. Separators are dropped first, so that no digit hides
    behind one."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if len(digits) <= 4:
        return MASK * len(digits)
    if len(digits) < 8:
        return MASK * (len(digits) - 2) + digits[-2:]
    head = 6 if digits.startswith("+62") and len(digits) >= 11 else 4
    return digits[:head] + MASK * (len(digits) - head - 3) + digits[-3:]
