-- The number of households of a unit in a year (tổng số hộ), as the unit records it: the
-- denominator of its poverty and near-poverty rates, since the registry holds only the
-- households the funds serve. Derived by the `household_counts` projection.
CREATE TABLE unit_household_counts (
    unit_id text NOT NULL,
    year integer NOT NULL,
    households integer NOT NULL,
    recorded_by text NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (unit_id, year)
);
