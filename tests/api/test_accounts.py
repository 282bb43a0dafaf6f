"""People's accounts: an administrator registers a person and issues a one-time
activation link; the person sets a password (argon2), approvers and administrators add a
second factor (TOTP); they sign in with phone or e-mail, password and code; a session of
a person acts as that person, whom maker-checker compares with the holders of tokens."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import pyotp
import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.adapters import accounts, tokens
from service.application import Request
from service.config import Config
from service.domain.errors import ApproverIsRecorder
from service.domain.vocabulary import Role
from service.entrypoints.cli.main import main
from service.entrypoints.wsgi import create_app
from tests.api.helpers import (
    API,
    PAGES,
    MakeToken,
    commune_with_fund,
    csrf_of,
    disbursement,
    get,
    invalid,
    ok,
    page,
    post,
    problem,
    receive,
)

PASSWORD = "mua thu la vang 2025"
PHONE = "0912345678"


def register(client: FlaskClient, admin: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Trần Thị Thu", "phone": PHONE, "role": "treasurer", **fields}
    return created_person(post(client, "/people", admin, body))


def created_person(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def link_path(person: dict[str, Any]) -> str:
    return urlsplit(person["activation"]["url"]).path


def activate(
    client: FlaskClient, path: str, password: str = PASSWORD, code: str | None = None
) -> TestResponse:
    form = client.get(path)
    assert form.status_code == 200, form.get_data(as_text=True)
    sent = {"password": password, "password_again": password, "csrf_token": csrf_of(form.text)}
    if code is not None:
        sent["code"] = code
    return client.post(path, data=sent)


def sign_in(client: FlaskClient, contact: str, password: str = PASSWORD) -> TestResponse:
    form = client.get(f"{PAGES}/dang-nhap")
    return client.post(
        "/tai-khoan/dang-nhap",
        data={"contact": contact, "password": password, "csrf_token": csrf_of(form.text)},
    )


def give_code(client: FlaskClient, code: str) -> TestResponse:
    form = client.get("/tai-khoan/ma-xac-thuc")
    assert form.status_code == 200, form.get_data(as_text=True)
    return client.post(
        "/tai-khoan/ma-xac-thuc", data={"code": code, "csrf_token": csrf_of(form.text)}
    )


def secret_on(html: str) -> str:
    found = re.search(r'<code id="khoa-bi-mat">([A-Z2-7 ]+)</code>', html)
    assert found, html
    return found.group(1).replace(" ", "")


def turn_clock(client: FlaskClient) -> list[float]:
    now = [1_800_000_000.0]
    client.application.extensions["sovang"].clock = lambda: now[0]
    return now


def test_an_admin_registers_a_person_whose_link_sets_a_password_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    person = register(client, world.admin, unit_id=world.commune_id, phone="+84 912 345 678")
    path = link_path(person)
    secret = path.rsplit("/", 1)[-1]
    db = client.application.extensions["sovang"].db

    activated = activate(client, path)
    again = client.get(path)
    read = ok(get(client, f"/people/{person['id']}", world.admin))

    assert person["phone"] == PHONE
    assert person["status"] == "pending"
    assert path.startswith("/tai-khoan/kich-hoat/")
    assert activated.status_code == 303
    assert activated.headers["Location"].endswith("ly_do=da-kich-hoat")
    assert again.status_code == 404
    assert "không còn dùng được" in again.text
    assert read["status"] == "active"
    assert "activation" not in read
    with db.transaction() as tx:
        stored = tx.all("SELECT * FROM activation_links")
        hashed = tx.scalar("SELECT password_hash FROM people")
    assert secret not in repr(stored)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed


def test_only_an_admin_registers_people_and_bad_input_names_its_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    register(client, world.admin, unit_id=world.commune_id)

    problem(post(client, "/people", world.treasurer, {"name": "X", "role": "viewer"}), 403)
    problem(get(client, "/people", world.treasurer), 403)
    no_contact = invalid(
        post(client, "/people", world.admin, {"name": "Lê Văn Tám", "role": "admin"}), "phone"
    )
    bad_phone = invalid(
        post(client, "/people", world.admin, {"name": "A", "role": "admin", "phone": "12"}),
        "phone",
    )
    no_unit = invalid(
        post(client, "/people", world.admin, {"name": "A", "role": "treasurer", "phone": PHONE}),
        "unit_id",
    )
    taken = problem(
        post(
            client,
            "/people",
            world.admin,
            {"name": "B", "role": "viewer", "phone": PHONE, "unit_id": world.commune_id},
        ),
        409,
        "contact-taken",
    )
    viewer = {
        "name": "Hồ Văn Xem",
        "role": "viewer",
        "email": "xem@xa.vn",
        "unit_id": world.commune_id,
    }
    first = created_person(post(client, "/people", world.admin, viewer, key="k-1"))
    retried = created_person(post(client, "/people", world.admin, viewer, key="k-1"))
    reused = problem(
        post(client, "/people", world.admin, {**viewer, "name": "Khác"}, key="k-1"),
        422,
        "idempotency-key-reused",
    )
    listed = ok(get(client, "/people", world.admin))["items"]

    assert "số điện thoại hoặc e-mail" in no_contact["errors"]["phone"][0]
    assert "10 chữ số" in bad_phone["errors"]["phone"][0]
    assert "đơn vị" in no_unit["errors"]["unit_id"][0]
    assert "Số điện thoại này đã là của một tài khoản khác" in taken["detail"]
    assert retried["id"] == first["id"]
    assert client.get(link_path(first)).status_code == 404
    assert client.get(link_path(retried)).status_code == 200
    assert "tài khoản khác" in reused["detail"]
    assert [p["name"] for p in listed] == ["Hồ Văn Xem", "Trần Thị Thu"]


def test_a_password_too_short_or_made_of_ones_own_name_or_phone_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = link_path(register(client, world.admin, unit_id=world.commune_id))
    weak = {"ngan": "ít nhất 10 ký tự", "TranThiThu2025": "tên", "mk912345678": "số điện thoại"}

    refused = {password: activate(client, path, password) for password in weak}
    mismatched = client.post(
        path,
        data={
            "password": PASSWORD,
            "password_again": PASSWORD + "x",
            "csrf_token": csrf_of(client.get(path).text),
        },
    )

    for password, why in weak.items():
        assert refused[password].status_code == 422
        assert why in refused[password].text
        assert 'id="loi-mat-khau"' in refused[password].text
    assert mismatched.status_code == 422
    assert "không giống nhau" in mismatched.text
    assert activate(client, path).status_code == 303


def test_a_link_expires_and_a_new_one_replaces_the_old(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    now = turn_clock(client)
    person = register(client, world.admin, unit_id=world.commune_id)
    first = link_path(person)

    now[0] += 72 * 3600 + 1
    expired = client.get(first)
    renewed = created_person(
        post(client, f"/people/{person['id']}/activation-links", world.admin, None)
    )
    second = urlsplit(renewed["url"]).path
    now[0] += 3600

    assert expired.status_code == 404
    assert second != first
    assert client.get(first).status_code == 404
    assert activate(client, second).status_code == 303


def test_a_treasurer_signs_in_by_phone_or_email_and_acts_as_themselves_until_logout(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    now = turn_clock(client)
    person = register(client, world.admin, unit_id=world.commune_id, email="Thu@VinhLinh.vn")
    activate(client, link_path(person))

    wrong = sign_in(client, PHONE, "sai mat khau roi")
    by_phone = sign_in(client, PHONE)
    home = page(client, "/")
    out = client.post(f"{PAGES}/dang-xuat", data={"csrf_token": csrf_of(home)})
    after = client.get(f"{PAGES}/")
    by_email = sign_in(client, "thu@vinhlinh.vn")
    now[0] += 29 * 60
    kept_by_use = client.get(f"{PAGES}/").status_code
    now[0] += 30 * 60
    idle = client.get(f"{PAGES}/")

    assert wrong.status_code == 401
    assert "không đúng" in wrong.text
    assert by_phone.status_code == 303
    assert by_phone.headers["Location"].endswith("/thanh-tra/") or by_phone.headers[
        "Location"
    ].endswith("/thu-quy/")
    assert "Trần Thị Thu" in home
    assert out.status_code == 303
    assert after.status_code == 303
    assert by_email.status_code == 303
    assert kept_by_use == 200
    assert idle.headers["Location"].endswith("ly_do=phien-het-han")
    db = client.application.extensions["sovang"].db
    actor = accounts.actor_of(db, person["id"])
    assert actor is not None
    assert actor.person == person["id"]
    assert actor.role is Role.TREASURER
    assert str(actor.unit_id) == world.commune_id


def test_wrong_passwords_count_against_the_throttle_of_wrong_tokens(
    config: Config, make_token: MakeToken
) -> None:
    app = create_app(replace(config, auth_failures_per_minute=3))
    client = app.test_client()
    try:
        refused = [sign_in(client, PHONE, f"doan thu {n}").status_code for n in range(3)]
        turned_away = sign_in(client, PHONE, "doan thu 4")
    finally:
        app.extensions["sovang"].close()

    assert refused == [401, 401, 401]
    assert turned_away.status_code == 429
    assert "thử lại sau" in turned_away.text


def test_a_password_is_hashed_again_at_login_once_the_parameters_change(
    config: Config, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    person = register(client, world.admin, unit_id=world.commune_id)
    activate(client, link_path(person))
    db = client.application.extensions["sovang"].db
    with db.transaction() as tx:
        first = tx.scalar("SELECT password_hash FROM people")
    stronger = create_app(replace(config, password_time_cost=2, password_memory_kib=2048))
    try:
        signed_in = sign_in(stronger.test_client(), PHONE).status_code
        hasher = stronger.extensions["sovang"].password_hasher
    finally:
        stronger.extensions["sovang"].close()
    with db.transaction() as tx:
        then = tx.scalar("SELECT password_hash FROM people")

    assert first.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert signed_in == 303
    assert then.startswith("$argon2id$v=19$m=2048,t=2,p=1$")
    assert hasher.verify(then, PASSWORD)
    assert sign_in(client, PHONE).status_code == 303


def test_an_approver_enrols_totp_at_activation_and_signs_in_with_a_code_used_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    now = turn_clock(client)
    person = register(client, world.admin, unit_id=world.commune_id, role="approver")
    path = link_path(person)
    form = client.get(path).text
    secret = secret_on(form)
    totp = pyotp.TOTP(secret)

    without_code = activate(client, path, code="000000")
    enrolled = activate(client, path, code=totp.at(now[0]))
    password_only = sign_in(client, PHONE)
    reused = give_code(client, totp.at(now[0]))
    now[0] += 30
    fresh = give_code(client, totp.at(now[0]))
    home = page(client, "/")
    again = client.application.test_client()
    turn_clock(again)[0] = now[0]
    sign_in(again, PHONE)
    replayed = give_code(again, totp.at(now[0]))

    assert "<svg" in form
    assert "otpauth" not in form  # the URI is in the QR code, the secret beside it
    assert without_code.status_code == 422
    assert "Mã xác thực không đúng" in without_code.text
    assert enrolled.status_code == 303
    assert password_only.status_code == 303
    assert password_only.headers["Location"].endswith("/tai-khoan/ma-xac-thuc")
    assert reused.status_code == 401
    assert fresh.status_code == 303
    assert "Trần Thị Thu" in home
    assert replayed.status_code == 401
    db = client.application.extensions["sovang"].db
    with db.transaction() as tx:
        row = tx.one("SELECT * FROM people")
    assert row is not None
    assert row["totp_sealed"] is not None
    assert secret.encode() not in bytes(row["totp_sealed"])
    assert secret not in repr(row)


def test_an_admin_without_a_second_factor_neither_activates_nor_signs_in(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    person = register(client, world.admin, role="admin", phone=None, email="qt@tinh.vn")

    refused = activate(client, link_path(person))
    pending = ok(get(client, f"/people/{person['id']}", world.admin))["status"]
    services = client.application.extensions["sovang"]
    secret = link_path(person).rsplit("/", 1)[-1]
    # Set active behind the page's back, without a second factor: still not let in.
    accounts.activate(services.db, services.password_hasher, secret, PASSWORD, services.clock())
    without_factor = sign_in(client, "qt@tinh.vn")

    assert refused.status_code == 422
    assert pending == "pending"
    assert without_factor.status_code == 401
    assert client.get(f"{PAGES}/").status_code == 303


def test_disabling_an_account_ends_its_sessions_and_refuses_its_login(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    person = register(client, world.admin, unit_id=world.commune_id)
    activate(client, link_path(person))
    sign_in(client, PHONE)
    before = client.get(f"{PAGES}/")

    disabled = ok(post(client, f"/people/{person['id']}/disable", world.admin, None))
    after = client.get(f"{PAGES}/")
    refused = sign_in(client, PHONE)

    assert before.status_code == 200
    assert disabled["status"] == "disabled"
    assert after.status_code == 303
    assert after.headers["Location"].endswith("ly_do=phien-het-han")
    assert refused.status_code == 401
    problem(post(client, f"/people/{person['id']}/activation-links", world.admin, None), 422)
    problem(post(client, "/people/no-such-person/disable", world.admin, None), 404)


def test_a_person_never_approves_what_they_recorded_with_their_token_or_account(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    services = client.application.extensions["sovang"]
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    threshold = client.put(
        f"{API}/units/{world.commune_id}/approval-threshold",
        json={"amount": 5_000_000},
        headers={"Authorization": f"Bearer {approver}"},
    )
    assert threshold.status_code == 200, threshold.text
    receive(client, world.treasurer, world.fund_id, 20_000_000)
    person = register(
        client, world.admin, unit_id=world.commune_id, role="approver", name="Lê Văn Chính"
    )
    _, own_token = tokens.create(
        services.db,
        name="Lê Văn Chính (kế toán)",
        role=Role.TREASURER,
        unit_id=UUID(world.commune_id),
        person_id=person["id"],
    )
    own = pending_payment(client, own_token, world.fund_id)
    others = pending_payment(client, world.treasurer, world.fund_id)
    path = link_path(person)
    activate(client, path, code=pyotp.TOTP(secret_on(client.get(path).text)).now())
    as_signed_in = accounts.actor_of(services.db, person["id"])
    assert as_signed_in is not None

    with pytest.raises(ApproverIsRecorder):
        services.ledger.approve_payment(Request(as_signed_in), UUID(world.fund_id), UUID(own))
    services.ledger.approve_payment(Request(as_signed_in), UUID(world.fund_id), UUID(others))
    by_another = post(client, f"/funds/{world.fund_id}/pending/{own}/approval", approver, {})
    services.runner.catch_up()
    with services.db.transaction() as tx:
        named = tx.all(
            "SELECT actor_id, actor, data FROM audit_events WHERE event_type LIKE '%Approved' "
            "ORDER BY position"
        )

    assert by_another.status_code == 201, by_another.text
    assert named[0]["actor_id"] == person["id"]
    assert named[0]["actor"] == "Lê Văn Chính"


def pending_payment(client: FlaskClient, token: str, fund_id: str) -> str:
    asked = post(client, f"/funds/{fund_id}/disbursements", token, disbursement(6_000_000))
    assert asked.status_code == 202, asked.text
    return str(asked.get_json()["pending_id"])


def test_the_person_commands_register_link_list_and_disable_in_vietnamese(
    client: FlaskClient, make_token: MakeToken, config: Config
) -> None:
    world = commune_with_fund(client, make_token)
    env = {
        "SOVANG_DATABASE_URL": config.database_url,
        "SOVANG_PERSONAL_DATA_KEY": str(config.personal_data_key_path),
        "SOVANG_BASE_URL": "https://sovang.xa.example",
    }

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), env=env)

    made = run(
        "person", "create", "--name", "Trần Thị Thu", "--role", "treasurer",
        "--unit", world.commune_id, "--phone", "0912.345.678",
    )  # fmt: skip
    person_id = made.output.split()[4]
    link = made.output.strip().splitlines()[-1]
    taken = run(
        "person", "create", "--name", "Người khác", "--role", "viewer",
        "--unit", world.commune_id, "--phone", PHONE,
    )  # fmt: skip
    relinked = run("person", "link", person_id)
    token = run(
        "token", "create", "--role", "approver", "--unit", world.commune_id,
        "--name", "Trần Thị Thu (duyệt)", "--person", person_id,
    )  # fmt: skip
    listed = run("person", "list")
    old_link = client.get(urlsplit(link).path)
    new_link = client.get(urlsplit(relinked.output.strip().splitlines()[-1]).path)
    disabled = run("person", "disable", person_id)

    assert made.exit_code == 0, made.output
    assert "đã tạo tài khoản" in made.output
    assert link.startswith("https://sovang.xa.example/tai-khoan/kich-hoat/")
    assert taken.exit_code == 1
    assert "Số điện thoại này đã là của một tài khoản khác" in taken.output
    assert relinked.exit_code == 0
    assert relinked.output.strip().splitlines()[-1] != link
    assert old_link.status_code == 404
    assert new_link.status_code == 200
    held = tokens.authenticate(
        client.application.extensions["sovang"].db, token.output.strip().splitlines()[-1]
    )
    assert held is not None
    assert held.person == person_id
    assert f"{person_id}\tchờ kích hoạt\ttreasurer\tTrần Thị Thu\t{PHONE}" in listed.output
    assert disabled.exit_code == 0
    assert "đã khóa tài khoản" in disabled.output
    assert run("person", "disable", "khong-co").exit_code == 1
