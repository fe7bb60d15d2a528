-- Indexes that match the rows the owner's rules let a principal read, so the
-- permitted rows are found by an index and not filtered out of a scan.
--
-- The municipality under SSP_115 reads decisions about persons under 18: the
-- pushed-down rule is a bound on the birth date (an age is a birth date
-- compared with today).
CREATE INDEX criminal_decisions_birth_date ON criminal_decisions (person_birth_date);

-- A housing company reads decisions referred to it under a purpose: the GIN
-- indexes on the referral arrays. With GIN's fast update, inserted entries wait
-- in a pending list that every search reads in full until a vacuum merges it —
-- after a bulk load or import that is the whole table, and the planner then
-- rightly prefers a sequential scan. Decisions and referrals are written one by
-- one (or in bulk by the seed and imports), so entries go straight into the
-- index, and what is pending now is merged.
ALTER INDEX criminal_decisions_referred_under_63d SET (fastupdate = off);
ALTER INDEX criminal_decisions_referred_under_90_10 SET (fastupdate = off);
SELECT gin_clean_pending_list('criminal_decisions_referred_under_63d'::regclass);
SELECT gin_clean_pending_list('criminal_decisions_referred_under_90_10'::regclass);
