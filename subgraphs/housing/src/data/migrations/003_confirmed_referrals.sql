-- A termination case answers a police referral made to the company, confirmed
-- with the police when the case is opened. The case keeps what the police
-- confirmed: the purpose the referral was made under (the case is run, and
-- read, under it), the referred decision's date (the referral stays readable
-- for two years from it) and when the police confirmed it. Cases opened before
-- this check are unconfirmed: they do not count for Almenboligloven § 63 e and
-- the police do not see them as outcomes of their referrals.
ALTER TABLE termination_cases
  ADD COLUMN purpose text,
  ADD COLUMN referral_decided_on date,
  ADD COLUMN referral_confirmed_at timestamptz;

UPDATE termination_cases
SET purpose = CASE basis WHEN 'ALMENLEJELOVEN_90_1_10' THEN 'TERMINATION_90_10' ELSE 'CRIME_PREVENTION_63D' END;

ALTER TABLE termination_cases
  ALTER COLUMN purpose SET NOT NULL,
  ADD CONSTRAINT termination_cases_purpose CHECK (purpose IN ('CRIME_PREVENTION_63D', 'TERMINATION_90_10')),
  -- § 90 stk. 1 nr. 10 is the basis only for a referral made under it.
  ADD CONSTRAINT termination_cases_basis_fits_purpose CHECK (basis <> 'ALMENLEJELOVEN_90_1_10' OR purpose = 'TERMINATION_90_10');

-- Case ids reach the police, so they are random from now on (see ids.ts);
-- cases opened before keep their numbered ids, which stay valid.
DROP SEQUENCE termination_case_number;
