-- The tenancy system's own number for each tenancy (lejemålsnummer): what a
-- company's exports name a tenancy by, so imports match on it. Unique within
-- the company. Rows from before get their department's number and their id.
ALTER TABLE tenancies ADD COLUMN tenancy_number text;
UPDATE tenancies t SET tenancy_number = d.number || '-' || substr(t.id, 2) FROM departments d WHERE d.id = t.department_id;
ALTER TABLE tenancies ALTER COLUMN tenancy_number SET NOT NULL;
CREATE UNIQUE INDEX tenancies_company_number ON tenancies (company_id, tenancy_number);

-- Ids for tenancies that imports add, above the seed's range.
CREATE SEQUENCE tenancy_id_number START 5000001;
