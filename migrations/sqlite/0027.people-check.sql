-- Questions from the people about a published entry or a unit's disclosure, and the
-- unit's answers. Derived by the `questions` projection. `contact` is the asker's
-- contact sealed under the question's own key (personal_data_keys), never plain text.
CREATE TABLE questions (
    id text PRIMARY KEY,
    tracking_code text NOT NULL,
    kind text NOT NULL,
    unit_id text NOT NULL,
    fund_id text,
    entry_id text,
    text text NOT NULL,
    repeat_key text NOT NULL,
    contact text,
    asked_on text NOT NULL,
    asked_at text NOT NULL,
    answer text,
    answered_at text,
    answered_by text,
    answered_role text,
    asked_position integer NOT NULL,
    position integer NOT NULL
);
CREATE UNIQUE INDEX questions_tracking_code ON questions (tracking_code);
CREATE INDEX questions_unit_id ON questions (unit_id, asked_position);
CREATE INDEX questions_entry_id ON questions (entry_id);
CREATE INDEX questions_fund_id ON questions (fund_id);

-- The boards' year plans of supervisions. Derived by the `follow_through` projection.
CREATE TABLE supervision_plans (
    id text PRIMARY KEY,
    board_unit_id text NOT NULL,
    year integer NOT NULL,
    month integer NOT NULL,
    subject text NOT NULL,
    members text NOT NULL,
    planned_at text NOT NULL,
    planned_by text NOT NULL,
    position integer NOT NULL
);
CREATE INDEX supervision_plans_board ON supervision_plans (board_unit_id, year, month);

-- The recommendations made on findings, and how far each is carried out.
CREATE TABLE recommendations (
    id text PRIMARY KEY,
    supervision_id text NOT NULL,
    finding_id text NOT NULL,
    unit_id text NOT NULL,
    board_unit_id text NOT NULL,
    text text NOT NULL,
    owner text NOT NULL,
    deadline text NOT NULL,
    status text NOT NULL,
    note text,
    made_on text NOT NULL,
    made_at text NOT NULL,
    changed_at text,
    changed_by text,
    made_position integer NOT NULL,
    position integer NOT NULL
);
CREATE INDEX recommendations_unit_id ON recommendations (unit_id, made_position);
CREATE INDEX recommendations_board ON recommendations (board_unit_id, deadline);
CREATE INDEX recommendations_finding ON recommendations (finding_id);

-- Thank-you letters and certificates issued to donors. Derived by the `thanks` projection.
CREATE TABLE thanks_letters (
    id text PRIMARY KEY,
    batch_id text NOT NULL,
    fund_id text NOT NULL,
    unit_id text NOT NULL,
    kind text NOT NULL,
    donor_name text NOT NULL,
    donor_key text NOT NULL,
    donor_kind text NOT NULL,
    entry_ids text NOT NULL,
    amount integer NOT NULL,
    first_on text NOT NULL,
    last_on text NOT NULL,
    issued_at text NOT NULL,
    issued_by text NOT NULL,
    position integer NOT NULL
);
CREATE INDEX thanks_letters_batch ON thanks_letters (batch_id, position);
CREATE INDEX thanks_letters_donor ON thanks_letters (donor_key, position);
