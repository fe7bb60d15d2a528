-- Kept counts (004), guarded:
--
-- * kept_counts_install locks the source against writers before it fills the
--   counts, until its transaction ends. Before, a write committed by another
--   process after the fill's snapshot and before the trigger existed was never
--   counted: a missed delete left a person counted (a cell of 4 published as 5),
--   a missed insert later drove a total below 0, failing that write for good.
-- * A TRUNCATE of the source (which fires no row trigger) empties its counts,
--   for sources installed before this migration too.
-- * kept_counts_drift(counts) compares kept counts with a recount of the source.
--
-- The fill and trigger of 004 stay as they were, under a new name; the install
-- wraps them with the lock and adds the TRUNCATE trigger.
ALTER FUNCTION kept_counts_install(text, text, text, text, text) RENAME TO kept_counts_fill_and_follow;

-- Every installed kept count: the source the row trigger is on, and that trigger's arguments.
CREATE FUNCTION kept_counts_installed() RETURNS TABLE (source regclass, counts text, group_column text, person_column text, required_column text) AS $$
  SELECT t.tgrelid::regclass, a[1], a[2], a[3], nullif(a[4], '')
  FROM pg_trigger t
  CROSS JOIN LATERAL (SELECT string_to_array(encode(t.tgargs, 'escape'), '\000') AS a) args
  WHERE t.tgfoid = 'kept_counts_follow'::regproc;
$$ LANGUAGE sql STABLE;

-- Argument: the counts table. A TRUNCATE empties the source, so its counts are none.
CREATE FUNCTION kept_counts_truncated() RETURNS trigger AS $$
BEGIN
  EXECUTE format('DELETE FROM %I', TG_ARGV[0]);
  EXECUTE format('DELETE FROM %I', TG_ARGV[0] || '_persons');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION kept_counts_follow_truncate(source regclass, counts text) RETURNS void AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION kept_counts_truncated(%L)',
                 (SELECT relname FROM pg_class WHERE oid = source) || '_' || counts || '_truncate', source, counts);
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION kept_counts_install(source text, counts text, group_column text, person_column text, required_column text DEFAULT NULL) RETURNS void AS $$
BEGIN
  -- The lock only helps if the fill reads the source after it: a snapshot taken earlier in the transaction would not.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'kept_counts_install runs under READ COMMITTED, not %', current_setting('transaction_isolation');
  END IF;
  -- Writers wait (readers do not) until the counts and their trigger are committed with the fill.
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', source);
  PERFORM kept_counts_fill_and_follow(source, counts, group_column, person_column, required_column);
  PERFORM kept_counts_follow_truncate(format('%I', source)::regclass, counts);
END;
$$ LANGUAGE plpgsql;

-- Sources installed before this migration follow a TRUNCATE too.
DO $$
DECLARE
  k record;
BEGIN
  FOR k IN SELECT * FROM kept_counts_installed() LOOP
    PERFORM kept_counts_follow_truncate(k.source, k.counts);
  END LOOP;
END;
$$;

-- Rows where the kept counts differ from a recount of the source (none when they agree):
--   SELECT * FROM kept_counts_drift('referral_counts');
CREATE FUNCTION kept_counts_drift(counts_table text)
  RETURNS TABLE (area_id text, group_value text, kept_total integer, kept_persons integer, counted_total integer, counted_persons integer) AS $$
DECLARE
  k record;
BEGIN
  SELECT * INTO k FROM kept_counts_installed() i WHERE i.counts = counts_table;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no kept counts named %', counts_table;
  END IF;
  RETURN QUERY EXECUTE format(
    'WITH kept AS (SELECT area_id, %2$I AS g, total, persons FROM %1$I WHERE total <> 0 OR persons <> 0),
          counted AS (SELECT area_id::text AS area_id, %2$I::text AS g, count(*)::int AS total, count(DISTINCT %3$I)::int AS persons
                      FROM %4$s%5$s GROUP BY 1, 2)
     SELECT area_id, g, kept.total, kept.persons, counted.total, counted.persons
     FROM kept FULL JOIN counted USING (area_id, g)
     WHERE (kept.total, kept.persons) IS DISTINCT FROM (counted.total, counted.persons)
     ORDER BY 1, 2',
    k.counts, k.group_column, k.person_column, k.source,
    CASE WHEN k.required_column IS NULL THEN '' ELSE format(' WHERE %I IS NOT NULL', k.required_column) END);
END;
$$ LANGUAGE plpgsql;
