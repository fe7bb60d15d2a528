-- The board's referral counts per area (and persons, for suppression) read the
-- referrals alone: each referral carries its decision's area and person, kept
-- in the same transaction as the writes that set or change them. Before, every
-- request joined all referrals with all decisions (a sequential scan of
-- criminal_decisions, growing with the data).
ALTER TABLE referrals ADD COLUMN area_id text, ADD COLUMN person_id text;
UPDATE referrals r SET area_id = d.area_id, person_id = d.person_id FROM criminal_decisions d WHERE d.id = r.decision_id;
ALTER TABLE referrals ALTER COLUMN area_id SET NOT NULL, ALTER COLUMN person_id SET NOT NULL;

CREATE FUNCTION referral_decision_facts() RETURNS trigger AS $$
BEGIN
  SELECT d.area_id, d.person_id INTO NEW.area_id, NEW.person_id FROM criminal_decisions d WHERE d.id = NEW.decision_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_decision_facts BEFORE INSERT OR UPDATE OF decision_id ON referrals
  FOR EACH ROW EXECUTE FUNCTION referral_decision_facts();

-- A decision corrected to another area or person moves its referrals with it (one statement for a bulk import).
CREATE FUNCTION decision_referral_facts() RETURNS trigger AS $$
BEGIN
  UPDATE referrals r SET area_id = n.area_id, person_id = n.person_id
  FROM new_rows n
  WHERE r.decision_id = n.id AND (r.area_id IS DISTINCT FROM n.area_id OR r.person_id IS DISTINCT FROM n.person_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER criminal_decisions_referral_facts AFTER UPDATE ON criminal_decisions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_referral_facts();
