-- The number of households of a unit in a year (tổng số hộ), as the unit records it: the
-- denominator of its poverty and near-poverty rates, since the registry holds only the
-- households the funds serve. Derived by the `household_counts` projection.
CREATE TABLE unit_household_counts (
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    households bigint NOT NULL,
    recorded_by text NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (unit_id, year)
);
