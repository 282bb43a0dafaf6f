-- Supervision: boards' reviews of a fund or a unit's period, their findings and the
-- reviewed unit's responses. Derived by the `supervisions` projection.
CREATE TABLE supervisions (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    board_unit_id uuid NOT NULL,
    subject_kind text NOT NULL,
    subject_id uuid,
    period_from date,
    period_to date,
    title text NOT NULL,
    status text NOT NULL,
    findings_count integer NOT NULL DEFAULT 0,
    responses_count integer NOT NULL DEFAULT 0,
    conclusion text,
    opened_at timestamptz NOT NULL,
    opened_by text NOT NULL,
    concluded_at timestamptz,
    concluded_by text,
    opened_position bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX supervisions_unit_id ON supervisions (unit_id, opened_position);
CREATE INDEX supervisions_subject_id ON supervisions (subject_id);

CREATE TABLE supervision_findings (
    finding_id uuid PRIMARY KEY,
    supervision_id uuid NOT NULL,
    seq bigint NOT NULL,
    severity text NOT NULL,
    description text NOT NULL,
    recommendation text,
    fund_id uuid,
    entry_ids text NOT NULL,
    positions text NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by text NOT NULL,
    response text,
    responded_at timestamptz,
    responded_by text,
    position bigint NOT NULL
);
CREATE UNIQUE INDEX supervision_findings_seq ON supervision_findings (supervision_id, seq);
