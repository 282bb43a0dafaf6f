"""Campaigns (cuộc vận động): named drives that a committee launches for a period, with a
target, and in which the units below it take part: "Tết vì người nghèo", a month of the
poor, a disaster appeal.

A campaign's id is derived from its code, so two campaigns can never share one: the code
is short and stable, what a donor may write in a transfer's memo and what a campaign's
page and report are found by. Receipts and payments name the campaign they belong to;
its figures are theirs, over every unit that took part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.entries import EARLIEST_VOUCHER_DATE
from service.domain.errors import InvalidInput
from service.domain.money import Money
from service.domain.text import fold, required_name

_NAMESPACE = uuid5(NAMESPACE_URL, "https://sovang.vn/campaigns")
#: A code is one word of capital letters and digits, as a memo carries it.
CODE_PATTERN = "^[A-Z0-9]{2,20}$"
#: The longest a campaign may run: a year-long movement and its closing month.
MAX_DAYS = 800


def campaign_code(text: str) -> str:
    """A code as it is kept and compared: capital letters and digits, without
    diacritics ("tết 2026" is refused for its space; "TET2026" is a code)."""
    code = fold(text).upper()
    if not re.fullmatch(CODE_PATTERN, code):
        raise InvalidInput(
            "code",
            "Mã cuộc vận động là một từ viết liền từ 2 đến 20 chữ cái không dấu hoặc chữ số "
            "(ví dụ TET2026). Hãy nhập lại mã.",
        )
    return code


def campaign_id_for(code: str) -> UUID:
    """The id of the campaign with this code (as ``campaign_code`` gives it)."""
    return uuid5(_NAMESPACE, code)


class Campaign(Aggregate):
    """A named drive of one unit and the units below it, from ``starts_on`` to ``ends_on``."""

    class Launched(AggregateCreated):
        name: str
        code: str
        unit_id: UUID
        unit_name: str
        unit_path: list[UUID]
        starts_on: date
        ends_on: date
        target: int | None
        note: str | None
        meta: Meta

    def __init__(
        self,
        name: str,
        code: str,
        unit_id: UUID,
        unit_name: str,
        unit_path: list[UUID],
        starts_on: date,
        ends_on: date,
        target: int | None,
        note: str | None,
        meta: Meta,
    ) -> None:
        self.name = name
        self.code = code
        self.unit_id = unit_id
        self.unit_name = unit_name
        self.unit_path = unit_path
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.target = target

    @classmethod
    def launch(
        cls,
        unit_id: UUID,
        unit_name: str,
        unit_path: Sequence[UUID],
        name: str,
        code: str,
        period: tuple[date, date],
        target: Money | None,
        note: str | None,
        meta: Meta,
    ) -> Campaign:
        """Launches the campaign of the unit; ``code`` as ``campaign_code`` gives it."""
        starts_on, ends_on = period
        if starts_on < EARLIEST_VOUCHER_DATE:
            raise InvalidInput("starts_on", "Ngày bắt đầu quá xa trong quá khứ. Hãy nhập lại.")
        if ends_on < starts_on:
            raise InvalidInput(
                "ends_on", "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu. Hãy nhập lại."
            )
        if (ends_on - starts_on).days > MAX_DAYS:
            raise InvalidInput(
                "ends_on",
                f"Một cuộc vận động kéo dài tối đa {MAX_DAYS} ngày. Hãy kiểm tra lại ngày "
                "kết thúc, hoặc mở cuộc vận động mới cho năm sau.",
            )
        return cls._create(
            cls.Launched,
            id=campaign_id_for(code),
            name=required_name("name", name),
            code=code,
            unit_id=unit_id,
            unit_name=unit_name,
            unit_path=list(unit_path),
            starts_on=starts_on,
            ends_on=ends_on,
            target=target.dong if target else None,
            note=note,
            meta=meta,
        )

    def check_entry(self, unit_path: Sequence[UUID], occurred_on: date, *, receipt: bool) -> None:
        """Refuses to count an entry of a fund outside the campaign's units, dated before
        it starts, or (a receipt) after it ends; support it raised may be paid later."""
        if self.unit_id not in unit_path:
            raise InvalidInput(
                "campaign_id",
                f"Cuộc vận động “{self.name}” của {self.unit_name} chỉ nhận các khoản của quỹ "
                f"thuộc {self.unit_name} hoặc đơn vị cấp dưới. Hãy chọn đúng cuộc vận động "
                "hoặc bỏ trống.",
            )
        if occurred_on < self.starts_on:
            raise InvalidInput(
                "campaign_id",
                f"Cuộc vận động “{self.name}” bắt đầu ngày {self.starts_on:%d/%m/%Y}; khoản "
                "ghi ngày trước đó không thuộc cuộc vận động. Hãy kiểm tra lại ngày.",
            )
        if receipt and occurred_on > self.ends_on:
            raise InvalidInput(
                "campaign_id",
                f"Cuộc vận động “{self.name}” đã kết thúc ngày {self.ends_on:%d/%m/%Y}; khoản "
                "thu sau ngày đó không tính vào nó. Hãy kiểm tra lại ngày hoặc bỏ trống.",
            )
