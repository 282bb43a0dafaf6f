"""Thanks to donors: letters and certificates issued for a gift, for a donor's gifts over
a period, or in bulk for every donor of an appeal above a threshold."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import THANKS_WRITERS
from service.domain.actors import Meta
from service.domain.errors import EntryNotFound, InvalidInput
from service.domain.funds import Fund
from service.domain.text import fold
from service.domain.thanks import MAX_BATCH, Thanks
from service.domain.vocabulary import DonorKind, ThanksKind


class ThanksUseCases(LedgerCore):
    """Issuing thanks."""

    def issue_thanks(
        self, request: Request, fund_id: UUID, kind: ThanksKind, donors: list[list[UUID]]
    ) -> Written:
        """One letter per list of gifts in ``donors``, each list the gifts of one donor,
        issued together as one batch."""
        if not donors:
            raise InvalidInput(
                "threshold", "Không có người ủng hộ nào đạt mức này trong kỳ đã chọn."
            )
        if len(donors) > MAX_BATCH:
            raise InvalidInput("threshold", f"Mỗi lần in tối đa {MAX_BATCH} thư; hãy nâng mức.")

        def issue(meta: Meta, today: date) -> Changes:
            fund = self._named_fund(fund_id, "fund_id")
            request.actor.require(THANKS_WRITERS, fund.unit_path, "gửi thư cảm ơn")
            batch_id = uuid4()
            letters = [self._letter(fund, kind, gifts, batch_id, meta) for gifts in donors]
            return Changes(
                letters,
                {
                    "batch_id": str(batch_id),
                    "thanks_ids": [str(letter.id) for letter in letters],
                    "count": len(letters),
                },
            )

        return self._write(request, issue)

    def _letter(
        self, fund: Fund, kind: ThanksKind, entry_ids: list[UUID], batch_id: UUID, meta: Meta
    ) -> Thanks:
        gifts = []
        names = set()
        donor_name, donor_kind = "", ""
        for entry_id in dict.fromkeys(entry_ids):
            try:
                entry = self._entry(fund, entry_id)
            except EntryNotFound:
                raise InvalidInput(
                    "entry_id", f"Quỹ “{fund.name}” không có khoản thu với mã {entry_id}."
                ) from None
            if not isinstance(entry, Fund.ReceiptRecorded) or entry_id in fund.reversed:
                raise InvalidInput(
                    "entry_id", "Chỉ cảm ơn được khoản thu còn hiệu lực (chưa bị hủy)."
                )
            if not entry.donor_name or entry.donor_kind == DonorKind.ANONYMOUS:
                raise InvalidInput(
                    "entry_id", "Khoản ủng hộ giấu tên không có người nhận thư cảm ơn."
                )
            names.add(fold(entry.donor_name))
            donor_name, donor_kind = entry.donor_name, entry.donor_kind
            gifts.append((entry_id, entry.amount, entry.occurred_on))
        if len(names) > 1:
            raise InvalidInput("entry_id", "Một thư cảm ơn chỉ ghi các khoản của một người ủng hộ.")
        return Thanks.issue(
            kind,
            fund.id,
            fund.unit_id,
            list(fund.unit_path),
            donor_name,
            donor_kind,
            gifts,
            batch_id,
            meta,
        )
