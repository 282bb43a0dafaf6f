-- Foreign currency (ngoại tệ) beside đồng. An entry in a currency keeps its ISO 4217 code,
-- its amount in the currency's minor units and the rate entered (an exact decimal, as
-- text; none when the bank converted) with its source; its `amount` stays the đồng value.
-- A posting on a foreign-currency account (1112, 1122) keeps the currency and amount it
-- moves. Filled by the `ledger` and `postings` projections (no earlier entry has any).
ALTER TABLE ledger_entries ADD COLUMN currency text;
ALTER TABLE ledger_entries ADD COLUMN foreign_amount integer;
ALTER TABLE ledger_entries ADD COLUMN rate text;
ALTER TABLE ledger_entries ADD COLUMN rate_source text;
ALTER TABLE postings ADD COLUMN currency text;
ALTER TABLE postings ADD COLUMN foreign_amount integer;
-- What each fund holds of each foreign currency, at the bank (1122) or in the cash box
-- (1112): its minor units and the đồng it is carried at in the books (average cost). Derived by the `funds` projection.
CREATE TABLE fund_holdings (
    fund_id text NOT NULL,
    currency text NOT NULL,
    held_in text NOT NULL,
    amount integer NOT NULL DEFAULT 0,
    carrying_value integer NOT NULL DEFAULT 0,
    position integer NOT NULL,
    PRIMARY KEY (fund_id, currency, held_in)
);
