"""Street addresses: house number and street, flats, named streets; not courts or parks."""

from __future__ import annotations

import pytest

from tests.helpers.identifying_details import found, kinds

# --- addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("They live at 14 Acacia Avenue now.", "14 Acacia Avenue"),
        ("New address: Flat 3, 22 Mill Lane, Leigh.", "Flat 3, 22 Mill Lane"),
        ("Evicted from 12a Victoria Street.", "12a Victoria Street"),
        ("Her address is 9 The Crescent.", "9 The Crescent"),
        ("Housed at Apartment 12, Riverside Court.", "Apartment 12, Riverside Court"),
        ("Seen hanging around on Gladstone Street.", "Gladstone Street"),
    ],
)
def test_addresses_found(text: str, address: str) -> None:
    assert ("address", address) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "She had 3 Court hearings this year.",
        "The 2023 Green Paper changed things.",
        "Parents queue at the Mill Lane gate.",
        "Victoria Park is used for PE.",
        "Section 47 enquiries rose by 12 this term.",
    ],
)
def test_address_negatives(text: str) -> None:
    assert "address" not in kinds(text)


# --- addresses typed in lower case (issue 18) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("she lives at 43 church walk with her uncle.", "43 church walk"),
        ("new address: flat 2, 17 king's road.", "flat 2, 17 king's road"),
        ("they moved to 8 the crescent in june.", "8 the crescent"),
        ("found at 120 high street yesterday.", "120 high street"),
        ("housed at flat 4, elm tower.", "flat 4, elm tower"),
        ("dad is at 22 new north road now.", "22 new north road"),
        ("seen outside 3a brook lane.", "3a brook lane"),
    ],
)
def test_lower_case_addresses_are_found(text: str, address: str) -> None:
    assert ("address", address) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "she had 3 court hearings this year.",
        "it is a 10 minute walk from school.",
        "the 2 staff walk the children to the park.",
        "page 12 of the green paper sets it out.",
        "we agreed 2 new park visits for the group.",
        "about 30 children walk to school alone.",
        "the school is on the corner of moss lane.",
        "year 9 went on the field trip to the hill.",
    ],
)
def test_lower_case_prose_with_numbers_is_not_an_address(text: str) -> None:
    assert "address" not in kinds(text), found(text)
