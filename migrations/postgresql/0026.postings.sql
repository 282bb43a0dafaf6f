-- The postings (bút toán) of the fund's double-entry books: every money event projected
-- to balanced lines, a debit account and a credit account for one amount in đồng, on the
-- chart of service/domain/chart.py. A reversal posts the legs of the entry it reverses,
-- its amount negative, on its own date. Rows are only ever added: the postings of a
-- closed period never change. The projection fills the table from the start of the log
-- (`sovang projections rebuild postings` does it at once).
CREATE TABLE postings (
    position bigint NOT NULL,
    line integer NOT NULL,
    fund_id uuid NOT NULL,
    entry_id uuid,
    reverses_entry_id uuid,
    pledge_id uuid,
    posted_on date NOT NULL,
    kind text NOT NULL,
    counts_as text NOT NULL,
    counterparty_fund_id uuid,
    debit text NOT NULL,
    credit text NOT NULL,
    amount bigint NOT NULL,
    PRIMARY KEY (position, line)
);
CREATE INDEX postings_fund_posted_on ON postings (fund_id, posted_on, position);
CREATE INDEX postings_entry ON postings (entry_id);
CREATE INDEX postings_pledge ON postings (pledge_id);
