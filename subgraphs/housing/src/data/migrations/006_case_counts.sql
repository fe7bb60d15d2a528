-- The board's termination-case counts per area and status, with the tenants
-- behind them (for suppression), kept with every write that opens, advances,
-- moves or removes a case opened on a referral (the kit's kept counts). Before,
-- every request counted and sorted all cases (count(DISTINCT tenant)).
SELECT kept_counts_install('termination_cases', 'case_counts', 'status', 'tenant_person_id', 'referral_id');
