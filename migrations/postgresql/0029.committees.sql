-- The committees' own work.
--
-- Campaigns (cuộc vận động): named drives of a unit and the units below it, for a period,
-- with a target. Derived by the `campaigns` projection. The receipts and payments that
-- name a campaign carry its id in the ledger; entries recorded before name none.
CREATE TABLE campaigns (
    id uuid PRIMARY KEY,
    code text NOT NULL,
    name text NOT NULL,
    unit_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    target bigint,
    note text,
    launched_at timestamptz NOT NULL,
    launched_by text NOT NULL,
    position bigint NOT NULL
);
CREATE UNIQUE INDEX campaigns_code ON campaigns (code);
CREATE INDEX campaigns_unit ON campaigns (unit_id);
ALTER TABLE ledger_entries ADD COLUMN campaign_id uuid;
CREATE INDEX ledger_entries_campaign ON ledger_entries (campaign_id) WHERE campaign_id IS NOT NULL;

-- Support counted as the reports count it: each distribution of a unit (đợt trao hỗ
-- trợ) and its gift packages, household-times and people by beneficiary category.
-- Derived by the `distributions` projection.
CREATE TABLE distributions (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    occurred_on date NOT NULL,
    category text NOT NULL,
    title text NOT NULL,
    value bigint,
    campaign_id uuid,
    recorded_by text NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX distributions_unit_on ON distributions (unit_id, occurred_on);
CREATE INDEX distributions_campaign ON distributions (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE TABLE distribution_lines (
    distribution_id uuid NOT NULL,
    beneficiary text NOT NULL,
    packages bigint NOT NULL,
    household_times bigint NOT NULL,
    people bigint NOT NULL,
    PRIMARY KEY (distribution_id, beneficiary)
);

-- House support norms (định mức): what the fund gives for a house of a kind approved in a
-- year, as a unit set it. Derived by the `house_norms` projection.
CREATE TABLE house_norms (
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    least bigint,
    most bigint NOT NULL,
    set_at timestamptz NOT NULL,
    set_by text NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (unit_id, year, kind)
);

-- Bình xét: the meetings that select the households to be supported, and the households
-- put forward with their votes. Derived by the `selection_meetings` projection.
CREATE TABLE selection_meetings (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    held_on date NOT NULL,
    purpose text NOT NULL,
    attendees integer NOT NULL,
    chaired_by text NOT NULL,
    minutes_name text NOT NULL,
    minutes_sha256 text NOT NULL,
    recorded_by text NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX selection_meetings_unit ON selection_meetings (unit_id, held_on);
CREATE TABLE selection_nominees (
    meeting_id uuid NOT NULL,
    household_id uuid NOT NULL,
    votes_for integer NOT NULL,
    votes_against integer NOT NULL,
    selected boolean NOT NULL,
    PRIMARY KEY (meeting_id, household_id)
);

-- Targets that are not money (chỉ tiêu thi đua) per unit and year. Derived by the
-- `emulation_targets` projection.
CREATE TABLE emulation_targets (
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    amount bigint NOT NULL,
    reported bigint,
    set_by text NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (unit_id, year, kind)
);

-- Counterpart contributions received towards a house (money, materials, days of labour)
-- from the sources of its cost sheet other than the fund. Derived by the `houses`
-- projection; houses recorded before have none.
CREATE TABLE house_contributions (
    project_id uuid NOT NULL,
    source text NOT NULL,
    received_on date NOT NULL,
    money bigint NOT NULL,
    materials text,
    materials_value bigint NOT NULL,
    labour_days integer NOT NULL,
    note text,
    position bigint NOT NULL,
    PRIMARY KEY (project_id, position)
);
