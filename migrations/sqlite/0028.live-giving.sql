-- Live giving. The bank account each fund receives gifts into (the one its VietQR code
-- carries), and each credit a bank notification service reported, with what became of
-- it: the pledge it went to, its line in the month's bank file, or its absence from it.
-- Derived by the `giving` projection.
CREATE TABLE giving_accounts (
    fund_id text PRIMARY KEY,
    unit_id text NOT NULL,
    bank_bin text NOT NULL,
    account_number text NOT NULL,
    account_name text NOT NULL,
    position integer NOT NULL
);
CREATE TABLE notified_credits (
    id text PRIMARY KEY,
    fund_id text NOT NULL,
    source text NOT NULL,
    transaction_id text NOT NULL,
    entry_id text NOT NULL,
    amount integer NOT NULL,
    occurred_on text NOT NULL,
    reference text,
    held integer NOT NULL,
    pledge_id text,
    named text,
    line_key text,
    missing_from text,
    missing_to text,
    received_at text NOT NULL,
    position integer NOT NULL
);
CREATE INDEX notified_credits_fund ON notified_credits (fund_id, occurred_on);
