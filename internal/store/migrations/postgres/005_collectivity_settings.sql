-- "PARAMÈTRES": the collectivity's coordinates. Existing CTs have none:
-- every column is empty (or NULL) until someone of the CT saves the page.
ALTER TABLE collectivities ADD COLUMN siret TEXT NOT NULL DEFAULT '' CHECK (siret = '' OR length(siret) = 14);
ALTER TABLE collectivities ADD COLUMN kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'commune', 'epci', 'departement', 'region',
    'ccas_cias', 'sdis', 'centre_de_gestion', 'etablissement_public_local', 'autre'));
ALTER TABLE collectivities ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE collectivities ADD COLUMN address_complement TEXT NOT NULL DEFAULT '';
ALTER TABLE collectivities ADD COLUMN postcode TEXT NOT NULL DEFAULT '' CHECK (postcode = '' OR length(postcode) = 5);
ALTER TABLE collectivities ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE collectivities ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE collectivities ADD COLUMN headcount INTEGER CHECK (headcount BETWEEN 0 AND 200000);
-- A SIRET names one establishment: two CTs of the portal never share one.
CREATE UNIQUE INDEX collectivities_siret ON collectivities (siret) WHERE siret <> '';
