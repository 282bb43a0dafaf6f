"""Folding text for searches: the fast path of precomposed letters gives what the
definition (decompose, drop the marks, đ as d) gives, for any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from service.domain.text import fold

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ"
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + " \t.,")) | st.text())
def test_folding_agrees_with_its_definition(text: str) -> None:
    assert fold(text) == reference_fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == reference_fold(text)


def test_folding_a_vietnamese_name() -> None:
    assert fold("  NGUYỄN   Văn An ") == "nguyen van an"
    assert fold("Đỗ Thị Hường") == "do thi huong"
