-- The page order's index carries the birth date, so a list for the municipality
-- under SSP_115 (persons under 18) reads decisions newest first, tests the birth
-- date in the index and fetches only the rows it returns, stopping after the
-- page, instead of fetching every under-18 row and sorting them. The cut-off
-- moves every day, so it cannot be a partial index's predicate. The new index
-- has the old one's columns first, so it replaces it for every other list.
DROP INDEX criminal_decisions_decided;
CREATE INDEX criminal_decisions_decided ON criminal_decisions (decided_on DESC, id DESC, person_birth_date);
