-- Questions from the people about a published entry or a unit's disclosure, and the
-- unit's answers. Derived by the `questions` projection. `contact` is the asker's
-- contact sealed under the question's own key (personal_data_keys), never plain text.
CREATE TABLE questions (
    id uuid PRIMARY KEY,
    tracking_code text NOT NULL,
    kind text NOT NULL,
    unit_id uuid NOT NULL,
    fund_id uuid,
    entry_id uuid,
    text text NOT NULL,
    repeat_key text NOT NULL,
    contact text,
    asked_on date NOT NULL,
    asked_at timestamptz NOT NULL,
    answer text,
    answered_at timestamptz,
    answered_by text,
    answered_role text,
    asked_position bigint NOT NULL,
    position bigint NOT NULL
);
CREATE UNIQUE INDEX questions_tracking_code ON questions (tracking_code);
CREATE INDEX questions_unit_id ON questions (unit_id, asked_position);
CREATE INDEX questions_entry_id ON questions (entry_id);
CREATE INDEX questions_fund_id ON questions (fund_id);

-- The boards' year plans of supervisions. Derived by the `follow_through` projection.
CREATE TABLE supervision_plans (
    id uuid PRIMARY KEY,
    board_unit_id uuid NOT NULL,
    year integer NOT NULL,
    month integer NOT NULL,
    subject text NOT NULL,
    members text NOT NULL,
    planned_at timestamptz NOT NULL,
    planned_by text NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX supervision_plans_board ON supervision_plans (board_unit_id, year, month);

-- The recommendations made on findings, and how far each is carried out.
CREATE TABLE recommendations (
    id uuid PRIMARY KEY,
    supervision_id uuid NOT NULL,
    finding_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    board_unit_id uuid NOT NULL,
    text text NOT NULL,
    owner text NOT NULL,
    deadline date NOT NULL,
    status text NOT NULL,
    note text,
    made_on date NOT NULL,
    made_at timestamptz NOT NULL,
    changed_at timestamptz,
    changed_by text,
    made_position bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX recommendations_unit_id ON recommendations (unit_id, made_position);
CREATE INDEX recommendations_board ON recommendations (board_unit_id, deadline);
CREATE INDEX recommendations_finding ON recommendations (finding_id);

-- Thank-you letters and certificates issued to donors. Derived by the `thanks` projection.
CREATE TABLE thanks_letters (
    id uuid PRIMARY KEY,
    batch_id uuid NOT NULL,
    fund_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    kind text NOT NULL,
    donor_name text NOT NULL,
    donor_key text NOT NULL,
    donor_kind text NOT NULL,
    entry_ids text NOT NULL,
    amount bigint NOT NULL,
    first_on date NOT NULL,
    last_on date NOT NULL,
    issued_at timestamptz NOT NULL,
    issued_by text NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX thanks_letters_batch ON thanks_letters (batch_id, position);
CREATE INDEX thanks_letters_donor ON thanks_letters (donor_key, position);
