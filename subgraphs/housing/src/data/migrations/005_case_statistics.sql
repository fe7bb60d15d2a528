-- The board's termination-case counts per area (and persons, for suppression)
-- read the cases alone: each case carries its tenancy's area and tenant, kept
-- in the same transaction as the writes that set or change them. Before, every
-- request joined all cases with all tenancies (a sequential scan of tenancies,
-- growing with the data).
ALTER TABLE termination_cases ADD COLUMN area_id text, ADD COLUMN tenant_person_id text;
UPDATE termination_cases c SET area_id = t.area_id, tenant_person_id = t.tenant_person_id FROM tenancies t WHERE t.id = c.tenancy_id;
ALTER TABLE termination_cases ALTER COLUMN area_id SET NOT NULL, ALTER COLUMN tenant_person_id SET NOT NULL;

CREATE FUNCTION case_tenancy_facts() RETURNS trigger AS $$
BEGIN
  SELECT t.area_id, t.tenant_person_id INTO NEW.area_id, NEW.tenant_person_id FROM tenancies t WHERE t.id = NEW.tenancy_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER termination_cases_tenancy_facts BEFORE INSERT OR UPDATE OF tenancy_id ON termination_cases
  FOR EACH ROW EXECUTE FUNCTION case_tenancy_facts();

-- A tenancy moved to another area (a department re-assigned, an import) or another tenant moves its cases with it.
CREATE FUNCTION tenancy_case_facts() RETURNS trigger AS $$
BEGIN
  UPDATE termination_cases c SET area_id = n.area_id, tenant_person_id = n.tenant_person_id
  FROM new_rows n
  WHERE c.tenancy_id = n.id AND (c.area_id IS DISTINCT FROM n.area_id OR c.tenant_person_id IS DISTINCT FROM n.tenant_person_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tenancies_case_facts AFTER UPDATE ON tenancies
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tenancy_case_facts();
