-- The board's referral counts per area and legal basis, with the persons behind
-- them (for suppression), kept with every write that changes a referral's area,
-- purpose or person (the kit's kept counts). Before, every request counted and
-- sorted all referrals (count(DISTINCT person)), growing with the data.
SELECT kept_counts_install('referrals', 'referral_counts', 'purpose', 'person_id');
