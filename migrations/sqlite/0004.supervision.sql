-- Supervision: boards' reviews of a fund or a unit's period, their findings and the
-- reviewed unit's responses. Derived by the `supervisions` projection.
CREATE TABLE supervisions (
    id text PRIMARY KEY,
    unit_id text NOT NULL,
    board_unit_id text NOT NULL,
    subject_kind text NOT NULL,
    subject_id text,
    period_from text,
    period_to text,
    title text NOT NULL,
    status text NOT NULL,
    findings_count integer NOT NULL DEFAULT 0,
    responses_count integer NOT NULL DEFAULT 0,
    conclusion text,
    opened_at text NOT NULL,
    opened_by text NOT NULL,
    concluded_at text,
    concluded_by text,
    opened_position integer NOT NULL,
    position integer NOT NULL
);
CREATE INDEX supervisions_unit_id ON supervisions (unit_id, opened_position);
CREATE INDEX supervisions_subject_id ON supervisions (subject_id);

CREATE TABLE supervision_findings (
    finding_id text PRIMARY KEY,
    supervision_id text NOT NULL,
    seq integer NOT NULL,
    severity text NOT NULL,
    description text NOT NULL,
    recommendation text,
    fund_id text,
    entry_ids text NOT NULL,
    positions text NOT NULL,
    recorded_at text NOT NULL,
    recorded_by text NOT NULL,
    response text,
    responded_at text,
    responded_by text,
    position integer NOT NULL
);
CREATE UNIQUE INDEX supervision_findings_seq ON supervision_findings (supervision_id, seq);
