-- Live giving. The bank account each fund receives gifts into (the one its VietQR code
-- carries), and each credit a bank notification service reported, with what became of
-- it: the pledge it went to, its line in the month's bank file, or its absence from it.
-- Derived by the `giving` projection.
CREATE TABLE giving_accounts (
    fund_id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    bank_bin text NOT NULL,
    account_number text NOT NULL,
    account_name text NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE notified_credits (
    id uuid PRIMARY KEY,
    fund_id uuid NOT NULL,
    source text NOT NULL,
    transaction_id text NOT NULL,
    entry_id uuid NOT NULL,
    amount bigint NOT NULL,
    occurred_on date NOT NULL,
    reference text,
    held integer NOT NULL,
    pledge_id uuid,
    named text,
    line_key text,
    missing_from date,
    missing_to date,
    received_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX notified_credits_fund ON notified_credits (fund_id, occurred_on);
