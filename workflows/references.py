"""References people quote on the phone: the one generator. A leaf module."""

from __future__ import annotations

import secrets

#: No 0/O, 1/I: unambiguous when read aloud or copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str, *, length: int = 6) -> str:
    """``PREFIX-XXXXXX`` from a cryptographic source, e.g. 'SUP-7K3QXD'.

    Unique constraints on the columns catch the rare clash; callers retry or let it raise.
    """
    return f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
