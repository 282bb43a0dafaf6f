-- Every line of a statement that an import (started over the API) did not record, with
-- its outcome and reason: the job's line-by-line report, read a page at a time and
-- downloaded as CSV. Written once, when the job finishes, by the process that ran it.
CREATE TABLE import_lines (
    job_id text NOT NULL,
    row_no bigint NOT NULL,
    outcome text NOT NULL,
    reason text NOT NULL,
    occurred_on text,
    reference text,
    amount bigint,
    PRIMARY KEY (job_id, row_no)
);
