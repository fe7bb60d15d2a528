-- A referral is read only under the purpose it was made under (Almenboligloven
-- § 63 d or almenlejeloven § 90 stk. 1 nr. 10): the decision keeps, per purpose,
-- the housing companies it was referred to (kept by the triggers on referrals),
-- so the access rules read them from the row.
ALTER TABLE criminal_decisions
  ADD COLUMN referred_under_63d text[] NOT NULL DEFAULT '{}',
  ADD COLUMN referred_under_90_10 text[] NOT NULL DEFAULT '{}';

CREATE OR REPLACE FUNCTION criminal_decisions_referred_to_refresh() RETURNS trigger AS $$
BEGIN
  UPDATE criminal_decisions d
  SET referred_under_63d = ARRAY(SELECT r.housing_company FROM referrals r
                                 WHERE r.decision_id = d.id AND r.purpose = 'CRIME_PREVENTION_63D' ORDER BY r.housing_company),
      referred_under_90_10 = ARRAY(SELECT r.housing_company FROM referrals r
                                   WHERE r.decision_id = d.id AND r.purpose = 'TERMINATION_90_10' ORDER BY r.housing_company)
  WHERE d.id IN (SELECT decision_id FROM changed_rows);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

UPDATE criminal_decisions d
SET referred_under_63d = ARRAY(SELECT r.housing_company FROM referrals r
                               WHERE r.decision_id = d.id AND r.purpose = 'CRIME_PREVENTION_63D' ORDER BY r.housing_company),
    referred_under_90_10 = ARRAY(SELECT r.housing_company FROM referrals r
                                 WHERE r.decision_id = d.id AND r.purpose = 'TERMINATION_90_10' ORDER BY r.housing_company)
WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.decision_id = d.id);

DROP INDEX criminal_decisions_referred_to;
ALTER TABLE criminal_decisions DROP COLUMN referred_to;
CREATE INDEX criminal_decisions_referred_under_63d ON criminal_decisions USING gin (referred_under_63d);
CREATE INDEX criminal_decisions_referred_under_90_10 ON criminal_decisions USING gin (referred_under_90_10);

-- Ids handed to housing companies are random from now on (see ids.ts); rows
-- made before keep their numbered ids, which stay valid.
DROP SEQUENCE criminal_decision_number;
DROP SEQUENCE referral_number;
