-- Which housing companies a decision was referred to, kept on the decision
-- itself (by triggers on referrals): the access rules test it on every row, and
-- reading it from the row is much cheaper than a subquery per row.
ALTER TABLE criminal_decisions ADD COLUMN referred_to text[] NOT NULL DEFAULT '{}';

UPDATE criminal_decisions d
SET referred_to = ARRAY(SELECT r.housing_company FROM referrals r WHERE r.decision_id = d.id ORDER BY r.housing_company)
WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.decision_id = d.id);

CREATE FUNCTION criminal_decisions_referred_to_refresh() RETURNS trigger AS $$
BEGIN
  UPDATE criminal_decisions d
  SET referred_to = ARRAY(SELECT r.housing_company FROM referrals r WHERE r.decision_id = d.id ORDER BY r.housing_company)
  WHERE d.id IN (SELECT decision_id FROM changed_rows);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER referrals_refresh_on_insert AFTER INSERT ON referrals
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION criminal_decisions_referred_to_refresh();
CREATE TRIGGER referrals_refresh_on_delete AFTER DELETE ON referrals
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION criminal_decisions_referred_to_refresh();

-- A company's referred decisions, found without walking all decisions.
CREATE INDEX criminal_decisions_referred_to ON criminal_decisions USING gin (referred_to);
