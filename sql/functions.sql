-- SQL macros shared by the schema, the migrations and researchers' own queries. Applied first
-- by load.db.apply_schema() (and before any migration); safe to run again.

-- normalise_area(name): the key areas are joined on across report frameworks and spellings, so
-- "Stoke on Trent", "Stoke-on-Trent" and "STOKE-ON-TRENT" meet, as do "City of York" and
-- "York". Lower case; '&' -> 'and'; every run of other characters (hyphens, commas, full stops,
-- apostrophes, spaces) -> one space; local-government wrappers dropped ("City of …",
-- "…, City of", "… City", "County …", "Royal Borough of …", "London Borough of …"); a few known
-- other names mapped to one ("Hull" -> "kingston upon hull", "Cheshire West" -> "cheshire west
-- and chester"). NULL or blank -> NULL. reports.area_key holds it; `area` keeps the printed form.
CREATE OR REPLACE MACRO normalise_area_basic(name) AS
    trim(regexp_replace(replace(lower(name), '&', ' and '), '[^a-z0-9]+', ' ', 'g'));

CREATE OR REPLACE MACRO normalise_area_core(k) AS
    trim(regexp_replace(regexp_replace(
        k,
        '^(city of|county|royal borough of|london borough of|metropolitan borough of|borough of) ',
        ''),
        ' (city of|city)$', ''));

CREATE OR REPLACE MACRO normalise_area(name) AS (
    CASE
        WHEN name IS NULL OR normalise_area_basic(name) = '' THEN NULL
        WHEN normalise_area_core(normalise_area_basic(name)) IN ('hull', 'kingston upon hull')
            THEN 'kingston upon hull'
        WHEN normalise_area_core(normalise_area_basic(name)) = 'cheshire west'
            THEN 'cheshire west and chester'
        ELSE normalise_area_core(normalise_area_basic(name))
    END
);
