"""Photos of house stages: uploaded from a phone, kept by content, named by their digest
in the stage's event (so the signed log covers them), shown to the board with where and
when they were taken and to the public without; a photo replaced afterwards is found by
the log's verification."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from PIL import Image

from service.adapters import images
from service.application.checkpoints import verify_log
from service.bootstrap import Services
from service.domain.houses import HouseProject
from tests.api.helpers import (
    MakeToken,
    auth,
    commune_with_fund,
    created,
    get,
    grant,
    login,
    ok,
    post,
    problem,
    register_household,
    with_meeting,
)
from tests.photos import phone_photo


def upload(client: FlaskClient, token: str, data: bytes, name: str = "anh.jpg") -> Any:
    """POST /photos with ``data`` as the multipart field ``photo``."""
    return client.post(
        "/api/v1/photos",
        headers=auth(token),
        data={"photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def kept(response: Any) -> dict[str, Any]:
    """The body of a photo's upload (no event: it has no position in the log)."""
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def house_with_photo(client: FlaskClient, make_token: MakeToken) -> tuple[Any, str, str]:
    """A commune's house started with a phone photo as its evidence: (world, house, digest)."""
    world = commune_with_fund(client, make_token)
    household = register_household(client, world.treasurer, world.commune_id)
    house = created(
        post(
            client,
            "/houses",
            world.treasurer,
            with_meeting(
                client,
                world.treasurer,
                {
                    "household_id": household,
                    "kind": "new_build",
                    "budget": {"fund": 50_000_000},
                    "approved_on": "2025-01-02",
                },
            ),
        )
    )["id"]
    photo = kept(upload(client, world.treasurer, phone_photo()))
    stage = {"stage": "started", "on": "2025-01-03", "evidence": ["Biên bản khởi công"]}
    stage["evidence"].append(photo["reference"].upper().replace("SHA256", "sha256"))
    created(post(client, f"/houses/{house}/stages", world.treasurer, stage))
    services_of(client).runner.catch_up()
    return world, house, photo["digest"]


def services_of(client: FlaskClient) -> Services:
    svc: Services = client.application.extensions["sovang"]
    return svc


def test_a_stage_recorded_with_a_photo_keeps_the_photos_digest_in_its_event(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, house, digest = house_with_photo(client, make_token)
    svc = services_of(client)

    (event,) = [
        e for e in svc.ledger.events.get(UUID(house)) if isinstance(e, HouseProject.StageReached)
    ]
    shown = ok(get(client, f"/houses/{house}", world.treasurer))

    assert event.evidence == ["Biên bản khởi công", f"sha256:{digest}"]
    assert shown["stages"][-1]["evidence"] == event.evidence
    assert svc.photos.has(digest)


def test_the_same_photo_is_kept_once_and_answers_its_size(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    first = kept(upload(client, world.treasurer, phone_photo()))
    again = kept(upload(client, world.treasurer, phone_photo(), "lan-hai.jpg"))

    assert first == again
    assert (first["width"], first["height"]) == (1067, 1600)
    assert first["reference"] == "sha256:" + first["digest"]


def test_a_stage_naming_a_photo_never_uploaded_is_refused_and_records_nothing(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, house, _ = house_with_photo(client, make_token)
    before = ok(get(client, f"/houses/{house}", world.treasurer))
    stage = {"stage": "completed", "on": "2025-01-20", "evidence": ["sha256:" + "0" * 64]}

    refused = problem(post(client, f"/houses/{house}/stages", world.treasurer, stage), 422)
    services_of(client).runner.catch_up()

    assert "evidence" in refused["errors"]
    assert "tải ảnh lên" in refused["detail"]
    assert ok(get(client, f"/houses/{house}", world.treasurer))["stages"] == before["stages"]


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [(b"not a photo at all", 422, "photo"), (None, 422, "photo")],
    ids=["not a photo", "no photo field"],
)
def test_what_is_not_a_photo_is_refused_naming_the_field(
    client: FlaskClient, make_token: MakeToken, data: bytes | None, status: int, field: str
) -> None:
    world = commune_with_fund(client, make_token)
    if data is None:
        sent = client.post(
            "/api/v1/photos",
            headers=auth(world.treasurer),
            data={},
            content_type="multipart/form-data",
        )
    else:
        sent = upload(client, world.treasurer, data)
    refused = problem(sent, status)
    assert field in refused["errors"]


def test_only_those_who_record_stages_upload_and_only_those_who_reach_the_house_read(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, digest = house_with_photo(client, make_token)
    inspector = make_token("inspector", world.commune_id)
    elsewhere = created(
        post(
            client,
            "/units",
            world.admin,
            {"name": "Xã Khác", "level": "commune", "parent_id": world.province_id},
        )
    )
    stranger = make_token("inspector", elsewhere["id"])

    problem(upload(client, inspector, phone_photo()), 403)
    board = get(client, f"/photos/{digest}", inspector)
    problem(get(client, f"/photos/{digest}", stranger), 403)
    problem(get(client, f"/photos/{'1' * 64}", inspector), 404)

    assert board.status_code == 200
    assert board.mimetype == "image/jpeg"
    assert images.taken(board.data).latitude == pytest.approx(16.75)


def test_the_public_sees_the_photo_without_place_or_time_and_the_board_with_them(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, house, digest = house_with_photo(client, make_token)
    inspector = make_token("inspector", world.commune_id)

    unit_page = client.get(f"/cong-khai/don-vi/{world.commune_id}").get_data(as_text=True)
    public_page = client.get(f"/cong-khai/nha/{house}").get_data(as_text=True)
    public_copy = client.get(f"/cong-khai/anh/{digest}.jpg")
    login(client, inspector)
    board_page = client.get(f"/thanh-tra/nha/{house}").get_data(as_text=True)
    board_copy = client.get(f"/thanh-tra/anh/{digest}.jpg")

    assert f"/cong-khai/nha/{house}" in unit_page
    assert f"/cong-khai/anh/{digest}.jpg" in public_page
    assert "16.75" not in public_page
    assert public_copy.status_code == 200
    assert images.taken(public_copy.data) == images.Taken(None, None, None)
    assert not Image.open(io.BytesIO(public_copy.data)).getexif()
    assert f"/thanh-tra/anh/{digest}.jpg" in board_page
    assert 'data-photo="latitude">16.75<' in board_page
    assert 'data-photo="longitude">107.19<' in board_page
    assert images.taken(board_copy.data).longitude == pytest.approx(107.19)
    assert client.get(f"/cong-khai/anh/{'2' * 64}.jpg").status_code == 404


def test_the_verification_finds_a_photo_replaced_or_lost_after_its_stage_was_recorded(
    client: FlaskClient, make_token: MakeToken
) -> None:
    _, _, digest = house_with_photo(client, make_token)
    svc = services_of(client)
    kept = svc.config.photos_path / digest[:2] / f"{digest}.jpg"

    before = verify_log(svc)
    kept.write_bytes(images.prepare(phone_photo(colour="#00ff00")).data)
    replaced = verify_log(svc)
    kept.unlink()
    lost = verify_log(svc)

    assert before.ok, before.problem
    assert before.photos == 1
    assert not replaced.ok
    assert f"sha256:{digest}" in replaced.problem
    assert "đã bị thay" in replaced.problem
    assert "không còn trong kho ảnh" in lost.problem


def test_a_grants_delivery_keeps_its_photos_in_the_log_once_it_was_made(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    household = register_household(client, world.treasurer, world.commune_id)
    cow = grant(client, world.treasurer, household, 15_000_000)
    photo = kept(upload(client, world.treasurer, phone_photo(colour="#806040")))
    evidence = {"evidence": [photo["reference"], "Biên bản bàn giao bò số 7"]}
    inspector = make_token("inspector", world.commune_id)

    too_early = post(client, f"/grants/{cow}/evidence", world.treasurer, evidence)
    created(post(client, f"/grants/{cow}/delivery", world.treasurer, {"on": "2025-01-11"}))
    added = created(post(client, f"/grants/{cow}/evidence", world.treasurer, evidence))
    services_of(client).runner.catch_up()
    shown = ok(get(client, f"/grants/{cow}", inspector))
    board = get(client, f"/photos/{photo['digest']}", inspector)

    problem(too_early, 409, "grant-not-delivered")
    assert added["id"] == cow
    assert shown["evidence"] == evidence["evidence"]
    assert images.taken(board.data).latitude == pytest.approx(16.75)
    kept_file = services_of(client).config.photos_path / photo["digest"][:2]
    (kept_file / f"{photo['digest']}.jpg").write_bytes(b"replaced")
    found = verify_log(services_of(client))
    assert "lần trao hỗ trợ sinh kế" in found.problem
