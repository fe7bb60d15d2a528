-- Counts an owner publishes per area and group (e.g. referrals per area and
-- legal basis), with the distinct persons behind them for small-cell
-- suppression, kept by a trigger in the same transaction as every write that
-- changes them: a request reads a handful of rows instead of counting and
-- sorting a table that grows with the data.
--
--   SELECT kept_counts_install('referrals', 'referral_counts', 'purpose', 'person_id');
--
-- creates <counts>(area_id, <group>, total, persons) and
-- <counts>_persons(area_id, <group>, <person>, total), fills them from the
-- table, and keeps them. A fifth argument names a column that must be set for
-- a row to count (e.g. cases opened on a referral).

-- One counted row more (+1) or fewer (-1) for a person in an area and group.
-- A person is counted while they have a row there: the first adds them, the last removes them.
CREATE FUNCTION kept_count_change(counts text, group_column text, person_column text, area text, grp text, person text, delta integer) RETURNS void AS $$
DECLARE
  now_for_person integer;
BEGIN
  IF delta > 0 THEN
    EXECUTE format('INSERT INTO %1$I AS c (area_id, %2$I, %3$I, total) VALUES ($1, $2, $3, 1)
                    ON CONFLICT (area_id, %2$I, %3$I) DO UPDATE SET total = c.total + 1 RETURNING total', counts || '_persons', group_column, person_column)
      INTO now_for_person USING area, grp, person;
    EXECUTE format('INSERT INTO %1$I AS t (area_id, %2$I, total, persons) VALUES ($1, $2, 1, $3)
                    ON CONFLICT (area_id, %2$I) DO UPDATE SET total = t.total + 1, persons = t.persons + excluded.persons', counts, group_column)
      USING area, grp, CASE WHEN now_for_person = 1 THEN 1 ELSE 0 END;
  ELSE
    EXECUTE format('UPDATE %1$I SET total = total - 1 WHERE area_id = $1 AND %2$I = $2 AND %3$I = $3 RETURNING total', counts || '_persons', group_column, person_column)
      INTO now_for_person USING area, grp, person;
    IF now_for_person = 0 THEN
      EXECUTE format('DELETE FROM %1$I WHERE area_id = $1 AND %2$I = $2 AND %3$I = $3', counts || '_persons', group_column, person_column) USING area, grp, person;
    END IF;
    EXECUTE format('UPDATE %1$I SET total = total - 1, persons = persons - $3 WHERE area_id = $1 AND %2$I = $2', counts, group_column)
      USING area, grp, CASE WHEN now_for_person = 0 THEN 1 ELSE 0 END;
  END IF;
END;
$$ LANGUAGE plpgsql;

-- Arguments: counts table, group column, person column[, column that must be set].
-- Fires on any update, not only of the counted columns: a BEFORE trigger may set them from another.
CREATE FUNCTION kept_counts_follow() RETURNS trigger AS $$
DECLARE
  counts text := TG_ARGV[0];
  grp text := TG_ARGV[1];
  person text := TG_ARGV[2];
  required text := CASE WHEN TG_NARGS > 3 THEN TG_ARGV[3] END;
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'INSERT') THEN to_jsonb(NEW) END;
  counted_old boolean;
  counted_new boolean;
BEGIN
  counted_old := old_row IS NOT NULL AND (required IS NULL OR old_row ->> required IS NOT NULL);
  counted_new := new_row IS NOT NULL AND (required IS NULL OR new_row ->> required IS NOT NULL);
  IF counted_old AND counted_new
     AND (old_row ->> 'area_id', old_row ->> grp, old_row ->> person) IS NOT DISTINCT FROM (new_row ->> 'area_id', new_row ->> grp, new_row ->> person) THEN
    RETURN NULL;
  END IF;
  IF counted_old THEN
    PERFORM kept_count_change(counts, grp, person, old_row ->> 'area_id', old_row ->> grp, old_row ->> person, -1);
  END IF;
  IF counted_new THEN
    PERFORM kept_count_change(counts, grp, person, new_row ->> 'area_id', new_row ->> grp, new_row ->> person, 1);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION kept_counts_install(source text, counts text, group_column text, person_column text, required_column text DEFAULT NULL) RETURNS void AS $$
DECLARE
  counted text := CASE WHEN required_column IS NULL THEN '' ELSE format(' WHERE %I IS NOT NULL', required_column) END;
BEGIN
  EXECUTE format('CREATE TABLE %1$I (area_id text NOT NULL, %2$I text NOT NULL, %3$I text NOT NULL, total integer NOT NULL CHECK (total >= 0),
                  PRIMARY KEY (area_id, %2$I, %3$I))', counts || '_persons', group_column, person_column);
  EXECUTE format('CREATE TABLE %1$I (area_id text NOT NULL, %2$I text NOT NULL, total integer NOT NULL CHECK (total >= 0),
                  persons integer NOT NULL CHECK (persons >= 0), PRIMARY KEY (area_id, %2$I))', counts, group_column);
  EXECUTE format('INSERT INTO %1$I (area_id, %2$I, %3$I, total) SELECT area_id, %2$I, %3$I, count(*) FROM %4$I%5$s GROUP BY area_id, %2$I, %3$I',
                 counts || '_persons', group_column, person_column, source, counted);
  EXECUTE format('INSERT INTO %1$I (area_id, %2$I, total, persons) SELECT area_id, %2$I, sum(total), count(*) FROM %3$I GROUP BY area_id, %2$I',
                 counts, group_column, counts || '_persons');
  EXECUTE format('CREATE TRIGGER %1$I AFTER INSERT OR DELETE OR UPDATE ON %2$I FOR EACH ROW EXECUTE FUNCTION kept_counts_follow(%3$L, %4$L, %5$L%6$s)',
                 source || '_' || counts, source, counts, group_column, person_column,
                 CASE WHEN required_column IS NULL THEN '' ELSE format(', %L', required_column) END);
END;
$$ LANGUAGE plpgsql;
