"""The fund's chart of accounts and the one table that turns each money event into its
postings (bút toán), debit = credit, in đồng.

The accounts are those of the administrative and non-business accounting regime
(Thông tư 24/2024/TT-BTC, which replaced Thông tư 107/2017/TT-BTC from 2025) that the
Fatherland Front's committees keep their books under, with the detail accounts a unit
opens for a special fund (353 "Các quỹ đặc thù"): docs/BOOKS.md names the sources.

A posting is one line: a debit account, a credit account and an amount. A reversal
posts the legs of the entry it reverses again, its amount negative (ghi số âm), on the
day it was made; nothing is ever posted into a closed period.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from service.domain.vocabulary import GOODS_CHANNELS, Category, Channel


class Group(StrEnum):
    """Where an account stands in the trial balance."""

    #: Money, goods and claims the fund holds (a debit balance).
    ASSET = "asset"
    #: What the fund owes against its claims, and the fund itself (a credit balance).
    LIABILITY = "liability"
    #: The period's sources, transfers and payments: closed into the fund's balance
    #: (kết chuyển) at the end of every period, so they open each period at zero.
    NOMINAL = "nominal"


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    group: Group


CASH = Account("111", "Tiền mặt", Group.ASSET)
BANK = Account("112", "Tiền gửi ngân hàng, kho bạc", Group.ASSET)
#: Foreign currency (ngoại tệ), carried at its đồng value: 111 and 112 hold the đồng.
FOREIGN_CASH = Account("1112", "Tiền mặt - ngoại tệ", Group.ASSET)
FOREIGN_BANK = Account("1122", "Tiền gửi ngân hàng - ngoại tệ", Group.ASSET)
#: The exchange differences of the fund's currency, realised when it is sold: a gain
#: on the credit side, a loss on the debit side; closed into the fund like a source.
EXCHANGE = Account("413", "Chênh lệch tỷ giá hối đoái", Group.NOMINAL)
PLEDGES_RECEIVABLE = Account("1388", "Phải thu khác - cam kết ủng hộ chưa thu", Group.ASSET)
GOODS = Account("156", "Hàng hóa - hiện vật nhận ủng hộ chưa cấp phát", Group.ASSET)
PLEDGED = Account("3388", "Phải trả khác - cam kết ủng hộ chờ thu", Group.LIABILITY)
FUND = Account("3531", "Quỹ đặc thù - số dư quỹ", Group.LIABILITY)
TRANSFERS = Account("3532", "Quỹ đặc thù - điều tiết giữa các cấp", Group.NOMINAL)

#: Goods received, whichever channel brought them, valued in đồng.
GOODS_RECEIVED = Account("35338", "Nguồn quỹ - ủng hộ bằng hiện vật", Group.NOMINAL)
#: The fund's sources by kind: what comes in, by the channel it came by.
SOURCES = {
    Channel.CASH: Account("35331", "Nguồn quỹ - ủng hộ bằng tiền mặt", Group.NOMINAL),
    Channel.BANK: Account("35332", "Nguồn quỹ - ủng hộ qua ngân hàng", Group.NOMINAL),
    Channel.PAYROLL: Account("35333", "Nguồn quỹ - ủng hộ trích lương", Group.NOMINAL),
    Channel.OTHER: Account("35334", "Nguồn quỹ - ủng hộ khác bằng tiền", Group.NOMINAL),
    **{channel: GOODS_RECEIVED for channel in GOODS_CHANNELS},
}
#: Payments by purpose: money paid out, by the disbursement's category.
PAYMENTS = {
    Category.HOUSE_NEW_BUILD: Account("35341", "Chi xây mới nhà Đại đoàn kết", Group.NOMINAL),
    Category.HOUSE_REPAIR: Account("35342", "Chi sửa chữa nhà Đại đoàn kết", Group.NOMINAL),
    Category.LIVELIHOOD: Account("35343", "Chi hỗ trợ phương tiện sinh kế", Group.NOMINAL),
    Category.SCHOLARSHIP: Account("35344", "Chi học bổng", Group.NOMINAL),
    Category.TET_GIFT: Account("35345", "Chi quà Tết", Group.NOMINAL),
    Category.MEDICAL: Account("35346", "Chi hỗ trợ khám chữa bệnh", Group.NOMINAL),
    Category.EMERGENCY: Account("35347", "Chi hỗ trợ đột xuất", Group.NOMINAL),
    Category.OTHER: Account("35348", "Chi khác", Group.NOMINAL),
}
#: Goods given out of the fund's stock, whatever their purpose (valued in đồng).
GOODS_GIVEN = Account("35349", "Chi hỗ trợ bằng hiện vật", Group.NOMINAL)

#: The whole chart, in the order the trial balance lists it.
CHART: tuple[Account, ...] = tuple(
    sorted(
        (
            CASH,
            BANK,
            FOREIGN_CASH,
            FOREIGN_BANK,
            EXCHANGE,
            PLEDGES_RECEIVABLE,
            GOODS,
            PLEDGED,
            FUND,
            TRANSFERS,
            *dict.fromkeys(SOURCES.values()),
            *PAYMENTS.values(),
            GOODS_GIVEN,
        ),
        key=lambda account: account.code,
    )
)
ACCOUNTS = {account.code: account for account in CHART}
#: Where money is kept: the ledger's ``account`` of an entry (None: goods, in stock).
HOLDINGS = {"cash": CASH, "bank": BANK, None: GOODS}
#: Where foreign currency is kept, by the same rule.
FOREIGN_HOLDINGS = {"cash": FOREIGN_CASH, "bank": FOREIGN_BANK}


class Kind(StrEnum):
    """The events that post, as the mapping names them."""

    RECEIPT = "receipt"
    DISBURSEMENT = "disbursement"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    PLEDGE_MADE = "pledge_made"
    PLEDGE_FULFILLED = "pledge_fulfilled"
    PLEDGE_FULFILMENT_REVERSED = "pledge_fulfilment_reversed"
    PLEDGE_CLOSED = "pledge_closed"
    PLEDGE_MOVED_OUT = "pledge_moved_out"
    PLEDGE_MOVED_IN = "pledge_moved_in"
    #: Currency sold for đồng: the đồng received against the currency's carrying value,
    #: and the exchange gain or loss on its own line.
    CURRENCY_SALE = "currency_sale"
    EXCHANGE_GAIN = "exchange_gain"
    EXCHANGE_LOSS = "exchange_loss"


#: Roles in the mapping, resolved from the entry's facts.
HOLDING = "holding"  # 111, 112 or 156: where the entry's money or goods are kept
SOURCE = "source"  # the source account of the receipt's channel
PURPOSE = "purpose"  # the payment account of the category; goods given out: 35349
FOREIGN = "foreign"  # 1112 or 1122: where the entry's foreign currency is kept

#: Event kind -> (debit, credit): the one place that says what every money event posts.
#: A reversal is no line of its own: it posts the legs of the entry it reverses, its
#: amount negative, on the day it was made.
MAPPING: dict[Kind, tuple[str, str]] = {
    Kind.RECEIPT: (HOLDING, SOURCE),
    Kind.DISBURSEMENT: (PURPOSE, HOLDING),
    Kind.TRANSFER_IN: (HOLDING, TRANSFERS.code),
    Kind.TRANSFER_OUT: (TRANSFERS.code, HOLDING),
    Kind.PLEDGE_MADE: (PLEDGES_RECEIVABLE.code, PLEDGED.code),
    Kind.PLEDGE_FULFILLED: (PLEDGED.code, PLEDGES_RECEIVABLE.code),
    Kind.PLEDGE_FULFILMENT_REVERSED: (PLEDGES_RECEIVABLE.code, PLEDGED.code),
    Kind.PLEDGE_CLOSED: (PLEDGED.code, PLEDGES_RECEIVABLE.code),
    Kind.PLEDGE_MOVED_OUT: (PLEDGED.code, PLEDGES_RECEIVABLE.code),
    Kind.PLEDGE_MOVED_IN: (PLEDGES_RECEIVABLE.code, PLEDGED.code),
    Kind.CURRENCY_SALE: (HOLDING, FOREIGN),
    Kind.EXCHANGE_GAIN: (HOLDING, EXCHANGE.code),
    Kind.EXCHANGE_LOSS: (EXCHANGE.code, FOREIGN),
}


@dataclass(frozen=True)
class Facts:
    """What the mapping needs of an entry: where its money or goods are kept (the
    ledger's ``account``: cash, bank, or None for goods), its channel, its category, and
    the foreign currency a receipt brings in (its holding is then 1112 or 1122)."""

    holding: str | None = None
    channel: str | None = None
    category: str | None = None
    currency: str | None = None


def legs(kind: Kind | str, facts: Facts = Facts()) -> tuple[Account, Account]:
    """The debit and credit accounts an event of ``kind`` posts to."""
    debit, credit = MAPPING[Kind(kind)]
    return _resolve(debit, facts), _resolve(credit, facts)


def _resolve(role: str, facts: Facts) -> Account:
    if role == HOLDING:
        if facts.currency is not None and facts.holding is not None:
            return FOREIGN_HOLDINGS[facts.holding]
        return HOLDINGS[facts.holding]
    if role == FOREIGN:
        return FOREIGN_HOLDINGS[facts.holding or "bank"]
    if role == SOURCE:
        channel = Channel(facts.channel or Channel.OTHER)
        if facts.holding is None:
            return GOODS_RECEIVED  # goods, whether their channel or their description says so
        return SOURCES[channel]
    if role == PURPOSE:
        if facts.holding is None:
            return GOODS_GIVEN
        return PAYMENTS[Category(facts.category or Category.OTHER)]
    return ACCOUNTS[role]


def is_money(account: Account) -> bool:
    """Whether the account holds money (tiền mặt, tiền gửi)."""
    return account in MONEY


#: The accounts that hold money, in đồng and in foreign currency at its đồng value.
MONEY = (CASH, BANK, FOREIGN_CASH, FOREIGN_BANK)
