-- A closed period never changes, in counts as in money: the reports count a livelihood
-- grant +1 on the date it was delivered and, if that delivery is reversed later, -1 on
-- the date of the reversal, in the open period, instead of removing it from the period it
-- was delivered in. Derived by the `grants` projection; the grants delivered now are
-- filled here (a delivery reversed before this migration counts nowhere, as it did; a
-- rebuild of the `grants` projection counts it in both periods).
CREATE TABLE grant_deliveries (
    grant_id text NOT NULL,
    counted_on text NOT NULL,
    change integer NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (grant_id, position)
);
CREATE INDEX grant_deliveries_on ON grant_deliveries (counted_on);
INSERT INTO grant_deliveries (grant_id, counted_on, change, position)
    SELECT id, delivered_on, 1, position FROM livelihood_grants
    WHERE status IN ('delivered', 'closed') AND delivered_on IS NOT NULL;
