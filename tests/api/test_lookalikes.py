"""Look-alike characters do not dodge the household duplicate check: the same CCCD in
full-width or Arabic-Indic digits, a name with a zero-width space, a bidirectional control
or a Cyrillic letter are the household already registered; a name that differs by its
Vietnamese diacritics ("Lê" and "Le") is another name. Invisible characters are dropped
from every text field."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    ok,
    post,
    problem,
    receive,
)

NAME = "Nguyễn Văn Bình"
ADDRESS = "Thôn Đông Hà, xã Vĩnh Linh"
CCCD = "044085001234"
FULL_WIDTH = "０４４０８５００１２３４"
ARABIC_INDIC = "٠٤٤٠٨٥٠٠١٢٣٤"


def _household(unit_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "head_name": NAME,
        "address": ADDRESS,
        "cccd": None,
        "phone": None,
        "members_count": 4,
        "categories": [{"category": "poor", "since": "2024-01-01"}],
        **extra,
    }


@pytest.mark.parametrize(
    "cccd",
    [FULL_WIDTH, ARABIC_INDIC, "044 085 ００１ ２٣٤", "\u2066044085001234\u2069"],
    ids=["full-width", "arabic-indic", "mixed", "bidi-isolated"],
)
def test_the_same_cccd_in_other_digits_is_the_household_already_registered(
    client: FlaskClient, make_token: MakeToken, cccd: str
) -> None:
    world = commune_with_fund(client, make_token)
    first = created(
        post(client, "/households", world.treasurer, _household(world.commune_id, cccd=CCCD))
    )
    again = _household(world.commune_id, head_name="Trần Thị Hoa", address="Xóm 9", cccd=cccd)

    refused = problem(post(client, "/households", world.treasurer, again), 409)

    assert refused["candidates"] == [{"household_id": first["id"], "matched_on": ["cccd"]}]


@pytest.mark.parametrize(
    "name",
    [
        "Ngu\u200byễn Văn Bình",  # zero-width space
        "Nguyễn Vă\u200dn Bình",  # zero-width joiner
        "Nguy\u202eễn Văn Bình\u202c",  # right-to-left override
        "Nguyễn Văn Bì\ufeffnh",  # byte-order mark
        "Nguyễn Văn Вình",  # Cyrillic capital ve for B
        "Nguyễn Vӑn Bình",  # Cyrillic small a with breve
        "Nguyễn Văn Bình".replace("N", "Ν"),  # Greek capital nu
        "Ｎguyễn Văn Bình",  # full-width N
    ],
    ids=["zwsp", "zwj", "rlo", "bom", "cyrillic-ve", "cyrillic-a", "greek-nu", "full-width"],
)
def test_a_look_alike_name_at_the_same_address_is_the_household_already_registered(
    client: FlaskClient, make_token: MakeToken, name: str
) -> None:
    world = commune_with_fund(client, make_token)
    first = created(post(client, "/households", world.treasurer, _household(world.commune_id)))

    refused = problem(
        post(client, "/households", world.treasurer, _household(world.commune_id, head_name=name)),
        409,
    )

    assert refused["candidates"] == [{"household_id": first["id"], "matched_on": ["name_address"]}]


def test_names_that_differ_by_their_vietnamese_diacritics_are_different_names(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    created(post(client, "/households", world.treasurer, _household(world.commune_id)))
    created(
        post(
            client,
            "/households",
            world.treasurer,
            _household(world.commune_id, head_name="Lê Văn Tám"),
        )
    )

    for other in ("Le Văn Tám", "Lê Vân Tám", "Lê Văn Tâm", "Nguyễn Văn Binh"):
        created(
            post(
                client,
                "/households",
                world.treasurer,
                _household(world.commune_id, head_name=other),
            )
        )


def test_invisible_characters_are_dropped_from_every_text_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    written = receive(
        client,
        world.treasurer,
        world.fund_id,
        donor={"name": "Công ty\u200b Bình\u202e Minh", "kind": "organisation"},
        note="Ủng hộ\u2066 bà con\u2069 vùng lũ\u200f",
        bank_ref="FT\u200d25041",
    )

    found = ok(
        get(
            client,
            f"/funds/{world.fund_id}/entries",
            world.treasurer,
            min_position=written["position"],
        )
    )["items"][-1]
    assert found["donor"]["name"] == "Công ty Bình Minh"
    assert found["note"] == "Ủng hộ bà con vùng lũ"
    assert found["bank_ref"] == "FT25041"
