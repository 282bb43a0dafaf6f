-- The books as an accountant reads them: every entry counts where and when it was made.
-- A reversal counts, with its amount negative, under the kind of entry it reverses
-- (`counts_as`) and in the account it reverses (cash or bank); the facts of the reversed
-- entry that the totals group by are copied onto the reversal. Derived by the `ledger`
-- projection; filled here for the entries already projected.
ALTER TABLE ledger_entries ADD COLUMN counts_as text;
ALTER TABLE ledger_entries ADD COLUMN signed_amount integer;
ALTER TABLE ledger_entries ADD COLUMN account text;
UPDATE ledger_entries SET counts_as = kind, signed_amount = amount,
    account = CASE WHEN kind IN ('transfer_in', 'transfer_out') OR channel = 'bank' THEN 'bank'
                   WHEN channel = 'in_kind' OR in_kind_description IS NOT NULL THEN NULL
                   ELSE 'cash' END
    WHERE kind <> 'reversal';
UPDATE ledger_entries SET
    counts_as = (SELECT r.kind FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    signed_amount = -amount,
    account = (SELECT r.account FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    channel = (SELECT r.channel FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    category = (SELECT r.category FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    in_kind_description = (SELECT r.in_kind_description FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    in_kind_quantity = (SELECT r.in_kind_quantity FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    in_kind_unit = (SELECT r.in_kind_unit FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id),
    counterparty_fund_id = (SELECT r.counterparty_fund_id FROM ledger_entries r WHERE r.entry_id = ledger_entries.reverses_entry_id)
    WHERE kind = 'reversal';
CREATE INDEX ledger_entries_fund_account ON ledger_entries (fund_id, account, occurred_on);

-- The public statement's search compares only what it shows: a person's name shortened,
-- the memo with account numbers masked (and none for an anonymous gift). Derived by the
-- `ledger` projection; the entries already projected keep only their references here
-- until `sovang projections rebuild ledger` fills it in full.
ALTER TABLE ledger_entries ADD COLUMN public_search_text text;
UPDATE ledger_entries SET public_search_text =
    LOWER(COALESCE(bank_ref, '') || ' ' || COALESCE(slip_ref, ''))
    WHERE kind = 'receipt';
