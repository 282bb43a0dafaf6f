"""Signed notes and cosignatures against the reference implementations' own vectors:
golang.org/x/mod/sumdb/note, c2sp.org/signed-note and c2sp.org/tlog-cosignature."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from service.domain.notes import (
    COSIGNATURE,
    ED25519,
    EM_DASH,
    Note,
    NoteError,
    Signer,
    Verifier,
    key_id,
    parse_signature,
)

# golang.org/x/mod/sumdb/note, note_test.go (TestNewVerifier, TestNewSigner, TestSign, TestOpen).
PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_LINE = (
    f"{EM_DASH} PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_LINE = (
    f"{EM_DASH} EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)

# c2sp.org/signed-note, its example.
EXAMPLE = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
EXAMPLE_NOTE = (
    "This is an example message.\n\n"
    f"{EM_DASH} example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

# A checkpoint of a public CT log as served, with the cosignature/v1 lines of four public
# witnesses (keys as each witness publishes them): cosignatures made by other software.
CT_CHECKPOINT = (
    "arche2025h1.staging.ct.transparency.dev\n"
    "1432088532\n"
    "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n"
    "\n"
    f"{EM_DASH} arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLf"
    "QFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=\n"
    f"{EM_DASH} arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lef"
    "whUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n"
    f"{EM_DASH} transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/"
    "KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==\n"
    f"{EM_DASH} witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0W"
    "H+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n"
    f"{EM_DASH} remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVC"
    "IobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n"
    f"{EM_DASH} witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEy"
    "OUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==\n"
)
CT_LOG = (
    "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f"
)
WITNESSES = [
    "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
    "transparency.dev/DEV:witness-little-garden+d8042a87+BCtusOxINQNUTN5Oj8HObRkh2yHf/MwYaGX4CPdiVEPM",
    "witness1.smartit.nu/witness1+a48c820f+BPSFWg9G6KPiO7QPryYO5Xq4oYJJ+kAvLKLSimDhoxMO",
    "witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv",
]

# c2sp.org/tlog-cosignature, its example checkpoint and the message it spells out.
SOFA_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
SOFA_NOTE = (
    SOFA_TEXT
    + "\n"
    + f"{EM_DASH} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URY"
    "N7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    + f"{EM_DASH} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZC"
    "B9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
SOFA_MESSAGE = (
    "cosignature/v1\n"
    "time 1679315147\n"
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)


def refused_verifier(text: str) -> bool:
    try:
        Verifier.parse(text)
    except NoteError:
        return True
    return False


def refused_signer(text: str) -> bool:
    try:
        Signer.parse(text)
    except NoteError:
        return True
    return False


def manglings(key: str) -> list[str]:
    """Go's TestNewVerifier: every proper substring, and every byte plus one."""
    raw = key.encode()
    cut = [
        raw[i:j].decode("utf-8", "replace")
        for i in range(len(raw) + 1)
        for j in range(i + 1, len(raw) + 1)
        if (i, j) != (0, len(raw))
    ]
    bumped = [(raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :]).decode() for i in range(len(raw))]
    return cut + bumped


# Keys -----------------------------------------------------------------------------


def test_the_go_signer_key_gives_its_published_verifier_key_and_prints_back_byte_for_byte() -> None:
    signer = Signer.parse(PETER_SIGNER)
    assert (signer.name, signer.kind) == ("PeterNeumann", ED25519)
    assert str(signer) == PETER_SIGNER
    assert str(signer.verifier) == PETER
    assert signer.verifier == Verifier.parse(PETER)
    assert signer.verifier.id.hex() == "c74f20a3"


def test_the_published_verifier_keys_read_and_print_back_byte_for_byte() -> None:
    for text in (PETER, ENOCH, EXAMPLE, CT_LOG, *WITNESSES):
        assert str(Verifier.parse(text)) == text
    assert {Verifier.parse(text).kind for text in WITNESSES} == {COSIGNATURE}


def test_every_substring_and_every_changed_byte_of_a_verifier_key_is_refused() -> None:
    mangled = manglings(PETER)
    assert len(mangled) > 2000
    accepted = [key for key in mangled if not refused_verifier(key)]
    assert accepted == []


def test_every_substring_and_every_changed_byte_of_a_signer_key_is_refused() -> None:
    accepted = [key for key in manglings(PETER_SIGNER) if not refused_signer(key)]
    assert accepted == []


@pytest.mark.parametrize(
    "key",
    [
        # Go's own: a key id of the wrong length, and an unknown algorithm (0x65) with its id.
        "PeterNeumann+cc74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "",
    ],
)
def test_malformed_verifier_keys_are_refused(key: str) -> None:
    assert refused_verifier(key)


def test_a_key_of_another_algorithm_with_a_matching_key_id_is_refused() -> None:
    public = Verifier.parse(PETER).public_key
    for kind in (0x00, 0x02, 0x05, 0x06):
        encoded = base64.b64encode(bytes([kind]) + public).decode()
        text = f"PeterNeumann+{key_id('PeterNeumann', kind, public).hex()}+{encoded}"
        assert refused_verifier(text), kind


def test_the_key_id_binds_the_name_the_type_and_the_key() -> None:
    public = Verifier.parse(PETER).public_key
    ids = {
        key_id("PeterNeumann", ED25519, public),
        key_id("PeterNeumann", COSIGNATURE, public),
        key_id("PeterNeuman", ED25519, public),
        key_id("PeterNeumann", ED25519, bytes(32)),
    }
    assert len(ids) == 4
    assert key_id("PeterNeumann", ED25519, public).hex() == "c74f20a3"


# Signing and opening ---------------------------------------------------------------


def test_signing_the_go_text_gives_the_go_signature_line_byte_for_byte() -> None:
    line = Signer.parse(PETER_SIGNER).sign(TEXT)
    assert line == PETER_LINE
    assert line.encode("utf-8").startswith(b"\xe2\x80\x94 PeterNeumann ")


def test_the_go_note_with_two_signatures_opens_with_either_key() -> None:
    note = Note.parse(TEXT + "\n" + PETER_LINE + ENOCH_LINE)
    assert note.text == TEXT
    assert [s.name for s in note.signatures] == ["PeterNeumann", "EnochRoot"]
    assert str(note) == TEXT + "\n" + PETER_LINE + ENOCH_LINE
    peter, enoch = Verifier.parse(PETER), Verifier.parse(ENOCH)
    assert note.signed_by(peter) == note.signatures[0]
    assert note.signed_by(enoch) == note.signatures[1]
    assert note.signed_by(Verifier.parse(EXAMPLE)) is None


def test_the_signed_note_example_of_c2sp_verifies() -> None:
    note = Note.parse(EXAMPLE_NOTE)
    assert note.text == "This is an example message.\n"
    signature = note.signed_by(Verifier.parse(EXAMPLE))
    assert signature is not None
    assert signature.line == EXAMPLE_NOTE.split("\n\n", 1)[1]


def test_a_note_whose_text_changed_does_not_verify() -> None:
    peter = Verifier.parse(PETER)
    for text in (
        TEXT.replace("problem,", "problem;"),
        TEXT + "extra\n",
        TEXT.replace("If", "if"),
    ):
        note = Note.parse(text + "\n" + PETER_LINE)
        with pytest.raises(NoteError, match="không khớp"):
            note.signed_by(peter)


def test_a_signature_with_a_changed_byte_does_not_verify() -> None:
    peter = Verifier.parse(PETER)
    raw = base64.b64decode(PETER_LINE.split(" ")[2])
    for index in (4, 30, len(raw) - 1):
        forged = raw[:index] + bytes([raw[index] ^ 1]) + raw[index + 1 :]
        line = f"{EM_DASH} PeterNeumann {base64.b64encode(forged).decode()}\n"
        with pytest.raises(NoteError):
            Note.parse(TEXT + "\n" + line).signed_by(peter)


def test_a_signature_line_with_a_wrong_key_id_or_name_is_not_taken_for_the_key() -> None:
    peter = Verifier.parse(PETER)
    raw = base64.b64decode(PETER_LINE.split(" ")[2])
    wrong_id = base64.b64encode(b"\x00\x00\x00\x00" + raw[4:]).decode()
    for line in (
        f"{EM_DASH} PeterNeumann {wrong_id}\n",
        PETER_LINE.replace("PeterNeumann", "PeterNeuman"),
        PETER_LINE.replace("PeterNeumann", "EnochRoot"),
    ):
        note = Note.parse(TEXT + "\n" + line)
        assert note.signed_by(peter) is None


@pytest.mark.parametrize(
    "note",
    [
        TEXT + PETER_LINE,  # no blank line
        TEXT.rstrip("\n") + PETER_LINE,
        TEXT + "\n" + PETER_LINE.rstrip("\n"),  # no final newline
        TEXT + "\n",  # no signature
        TEXT + "\n\n",
        TEXT.replace("answer", "ans\x00wer") + "\n" + PETER_LINE,  # control characters
        TEXT.replace("answer", "ans\rwer") + "\n" + PETER_LINE,
        TEXT.replace("answer", "ans\twer") + "\n" + PETER_LINE,
        TEXT + "\n" + PETER_LINE.replace(EM_DASH, "-"),
        TEXT + "\n" + PETER_LINE.replace(" x08go", "  x08go"),
        TEXT + "\n" + PETER_LINE.replace("x08go/", "x08go!"),  # not base64
        TEXT + "\n" + f"{EM_DASH} PeterNeumann AAAA\n",  # too short for a key id
        TEXT + "\n" + PETER_LINE + "\n",  # a blank line among the signatures
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(NoteError):
        Note.parse(note)


def test_a_note_with_more_signatures_than_allowed_is_refused_unread() -> None:
    with pytest.raises(NoteError, match="tối đa"):
        Note.parse(TEXT + "\n" + PETER_LINE * 101)
    assert len(Note.parse(TEXT + "\n" + PETER_LINE * 100).signatures) == 100


# Cosignatures (c2sp.org/tlog-cosignature) ------------------------------------------


def test_a_cosignature_round_trips_with_its_timestamp() -> None:
    witness = Signer.generate("board.quangtri.example/w1", COSIGNATURE)
    line = witness.sign(SOFA_TEXT, 1_750_000_000)
    signature = parse_signature(line)
    assert signature.by(witness.verifier)
    assert len(signature.signature) == 8 + 64
    assert int.from_bytes(signature.signature[:8], "big") == 1_750_000_000
    assert witness.verifier.verify(SOFA_TEXT, signature.signature) == 1_750_000_000
    note = Note.parse(SOFA_TEXT + "\n" + line)
    assert note.signed_by(witness.verifier) == signature
    with pytest.raises(NoteError):
        witness.verifier.verify(SOFA_TEXT.replace("20852163", "20852164"), signature.signature)


def test_a_cosignature_signs_the_message_that_c2sp_spells_out() -> None:
    witness = Signer.generate("witness.example.com/w1", COSIGNATURE)
    signature = parse_signature(witness.sign(SOFA_TEXT, 1679315147)).signature
    assert signature[:8] == (1679315147).to_bytes(8, "big")
    public = Ed25519PublicKey.from_public_bytes(witness.verifier.public_key)
    public.verify(signature[8:], SOFA_MESSAGE.encode())  # raises if the message differs


def test_a_changed_timestamp_makes_a_cosignature_fail() -> None:
    witness = Signer.generate("w", COSIGNATURE)
    signature = parse_signature(witness.sign(SOFA_TEXT, 1000)).signature
    moved = (1001).to_bytes(8, "big") + signature[8:]
    with pytest.raises(NoteError, match="không khớp"):
        witness.verifier.verify(SOFA_TEXT, moved)
    with pytest.raises(NoteError, match="độ dài sai"):
        witness.verifier.verify(SOFA_TEXT, signature[:-1])


def test_a_cosigner_needs_a_timestamp_and_a_plain_signer_ignores_cosignature_lines() -> None:
    witness = Signer.generate("w", COSIGNATURE)
    with pytest.raises(NoteError, match="thời điểm ký"):
        witness.sign(SOFA_TEXT)
    # The same Ed25519 key as a plain (0x01) signer has another key id.
    plain = Signer("w", witness.seed, ED25519)
    assert plain.verifier.id != witness.verifier.id
    note = Note.parse(SOFA_TEXT + "\n" + witness.sign(SOFA_TEXT, 5))
    assert note.signed_by(plain.verifier) is None


def test_the_cosignatures_of_public_witnesses_verify() -> None:
    note = Note.parse(CT_CHECKPOINT)
    assert note.text.split("\n")[1] == "1432088532"
    for key in WITNESSES:
        witness = Verifier.parse(key)
        signature = note.signed_by(witness)
        assert signature is not None, key
        assert witness.verify(note.text, signature.signature) == 1779573024
        with pytest.raises(NoteError):
            witness.verify(note.text.replace("1432088532", "1432088533"), signature.signature)


def test_the_example_of_c2sp_tlog_cosignature_reads_as_a_timestamped_cosignature() -> None:
    # The specification publishes no key for its example, so only its shape can be checked.
    note = Note.parse(SOFA_NOTE)
    assert note.text == SOFA_TEXT
    log, witness = note.signatures
    assert (log.name, len(log.signature)) == ("example.com/behind-the-sofa", 64)
    assert (witness.name, len(witness.signature)) == ("witness.example.com/w1", 72)
    assert int.from_bytes(witness.signature[:8], "big") == 1679315147
    assert str(note) == SOFA_NOTE
