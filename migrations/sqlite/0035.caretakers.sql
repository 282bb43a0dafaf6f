-- The households each member of a village's self-governing group (tổ tự quản) looks
-- after, usually 5 to 10. Derived by the `caretakers` projection.
CREATE TABLE unit_caretakers (
    unit_id text NOT NULL,
    member text NOT NULL,
    household_id text NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (unit_id, household_id)
);
CREATE INDEX unit_caretakers_member ON unit_caretakers (unit_id, member);
