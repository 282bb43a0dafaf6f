"""Units: committees that form a tree, each level below its parent's; and who reaches them."""

from __future__ import annotations

import unicodedata
from uuid import UUID, uuid4

import pytest

from service.domain.actors import Actor, Meta
from service.domain.errors import Forbidden, InvalidInput
from service.domain.text import normalise
from service.domain.units import Unit
from service.domain.vocabulary import Level, Role
from service.domain.words import word

META = Meta(actor_id="admin", actor="Quản trị", role="admin", unit_id=None)
NFC_NAME = "Xã Hòa Bình"


def register(
    name: str = NFC_NAME,
    level: Level = Level.COMMUNE,
    parent: Unit | None = None,
    code: str | None = None,
) -> Unit:
    return Unit.register(name, level, parent, code, META)


def test_a_root_unit_has_a_path_of_itself_alone() -> None:
    central = register("Ủy ban Trung ương MTTQ Việt Nam", Level.CENTRAL)
    assert central.path == [central.id]
    assert central.parent_id is None
    assert central.level == "central"


def test_a_child_unit_extends_its_parents_path() -> None:
    province = register("Tỉnh Quảng Trị", Level.PROVINCE)
    district = register("Huyện Gio Linh", Level.DISTRICT, province)
    commune = register("Xã Gio Mỹ", Level.COMMUNE, district)
    assert commune.path == [province.id, district.id, commune.id]
    assert commune.parent_id == district.id


def test_a_commune_may_sit_directly_below_a_province_after_the_2025_reorganisation() -> None:
    province = register("Tỉnh Quảng Trị", Level.PROVINCE)
    commune = register("Xã Cồn Tiên", Level.COMMUNE, province)
    assert commune.path == [province.id, commune.id]


@pytest.mark.parametrize(
    ("parent_level", "level"),
    [
        (Level.COMMUNE, Level.COMMUNE),
        (Level.DISTRICT, Level.DISTRICT),
        (Level.PROVINCE, Level.PROVINCE),
        (Level.CENTRAL, Level.CENTRAL),
        (Level.COMMUNE, Level.DISTRICT),
        (Level.COMMUNE, Level.PROVINCE),
        (Level.DISTRICT, Level.PROVINCE),
        (Level.PROVINCE, Level.CENTRAL),
    ],
)
def test_refuses_a_unit_whose_level_is_not_below_its_parents(
    parent_level: Level, level: Level
) -> None:
    parent = register("Cấp trên", parent_level)
    with pytest.raises(InvalidInput) as refused:
        register("Cấp dưới", level, parent)
    assert refused.value.field == "level"


def test_a_name_typed_in_nfd_is_the_same_name_as_in_nfc() -> None:
    nfd = unicodedata.normalize("NFD", NFC_NAME)
    assert nfd != NFC_NAME
    assert register(nfd).name == register(NFC_NAME).name == NFC_NAME
    assert unicodedata.is_normalized("NFC", register(nfd).name)


def test_a_name_with_stray_spaces_is_stored_single_spaced_and_trimmed() -> None:
    assert register("  Xã   Hòa \t Bình \n").name == NFC_NAME


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_refuses_a_unit_without_a_name(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(name)
    assert refused.value.field == "name"


def test_refuses_a_name_longer_than_two_hundred_characters() -> None:
    assert len(register("x" * 200).name) == 200
    with pytest.raises(InvalidInput) as refused:
        register("x" * 201)
    assert refused.value.field == "name"


def test_the_code_is_normalised_and_a_blank_code_is_no_code() -> None:
    assert register(code=" 26 245 ").code == "26 245"
    assert register(code="   ").code is None
    assert register(code=None).code is None


def test_registering_records_one_event_with_the_unit_and_its_author() -> None:
    province = register("Tỉnh Quảng Trị", Level.PROVINCE)
    commune = register(unicodedata.normalize("NFD", NFC_NAME), Level.COMMUNE, province)
    (event,) = commune.collect_events()
    assert isinstance(event, Unit.Registered)
    assert event.name == NFC_NAME
    assert event.path == [province.id, commune.id]
    assert event.meta == META


def test_normalise_is_idempotent_and_collapses_every_kind_of_white_space() -> None:
    text = unicodedata.normalize("NFD", "  Nguyễn\u00a0 Văn\tAn  ")
    assert normalise(text) == "Nguyễn Văn An"
    assert normalise(normalise(text)) == normalise(text)


# Who reaches which unit ------------------------------------------------------

PROVINCE, DISTRICT, COMMUNE, NEIGHBOUR = uuid4(), uuid4(), uuid4(), uuid4()
COMMUNE_PATH = [PROVINCE, DISTRICT, COMMUNE]
NEIGHBOUR_PATH = [PROVINCE, DISTRICT, NEIGHBOUR]
DISTRICT_PATH = [PROVINCE, DISTRICT]


def actor(role: Role, unit_id: UUID | None) -> Actor:
    return Actor(id=f"{role}-{unit_id}", name="Người dùng", role=role, unit_id=unit_id)


def test_a_treasurer_may_write_for_their_own_unit() -> None:
    actor(Role.TREASURER, COMMUNE).require({Role.TREASURER}, COMMUNE_PATH, "record receipts")


def test_a_treasurer_of_a_district_reaches_the_communes_below_it() -> None:
    district_treasurer = actor(Role.TREASURER, DISTRICT)
    assert district_treasurer.reaches(COMMUNE_PATH)
    assert district_treasurer.reaches(NEIGHBOUR_PATH)
    district_treasurer.require({Role.TREASURER}, COMMUNE_PATH, "record receipts")


def test_refuses_a_treasurer_acting_for_a_unit_outside_their_subtree() -> None:
    commune_treasurer = actor(Role.TREASURER, COMMUNE)
    assert not commune_treasurer.reaches(NEIGHBOUR_PATH)
    assert not commune_treasurer.reaches(DISTRICT_PATH)
    with pytest.raises(Forbidden, match="ngoài đơn vị của mình"):
        commune_treasurer.require({Role.TREASURER}, NEIGHBOUR_PATH, "record receipts")
    with pytest.raises(Forbidden, match="ngoài đơn vị của mình"):
        commune_treasurer.require({Role.TREASURER}, DISTRICT_PATH, "record receipts")


@pytest.mark.parametrize("role", [Role.APPROVER, Role.INSPECTOR, Role.VIEWER])
def test_refuses_a_token_whose_role_is_not_allowed_even_in_its_own_unit(role: Role) -> None:
    reader = actor(role, COMMUNE)
    assert reader.reaches(COMMUNE_PATH)
    with pytest.raises(Forbidden, match=f"“{word(role)}”"):
        reader.require({Role.TREASURER}, COMMUNE_PATH, "record receipts")


def test_a_token_without_a_unit_reaches_no_unit_unless_it_is_admin() -> None:
    assert not actor(Role.TREASURER, None).reaches(COMMUNE_PATH)
    with pytest.raises(Forbidden):
        actor(Role.TREASURER, None).require({Role.TREASURER}, COMMUNE_PATH, "record receipts")


def test_an_admin_reaches_every_unit_and_the_roots() -> None:
    admin = actor(Role.ADMIN, None)
    for path in (COMMUNE_PATH, NEIGHBOUR_PATH, DISTRICT_PATH, [uuid4()], []):
        assert admin.reaches(path)
        admin.require({Role.ADMIN}, path, "register units")


def test_an_admin_acts_only_in_the_roles_it_is_listed_for() -> None:
    admin = actor(Role.ADMIN, None)
    admin.require({Role.ADMIN, Role.TREASURER}, COMMUNE_PATH, "open funds")
    with pytest.raises(Forbidden, match="“quản trị”"):
        admin.require({Role.TREASURER}, COMMUNE_PATH, "record receipts")


def test_meta_records_who_acted_and_through_which_request() -> None:
    meta = Meta.of(actor(Role.TREASURER, COMMUNE), "thu-001", "req-1")
    assert meta == Meta(
        actor_id=f"treasurer-{COMMUNE}",
        actor="Người dùng",
        role="treasurer",
        unit_id=str(COMMUNE),
        idempotency_key="thu-001",
        request_id="req-1",
        person_id=f"treasurer-{COMMUNE}",
    )
    assert Meta.of(actor(Role.ADMIN, None), None, None).unit_id is None
