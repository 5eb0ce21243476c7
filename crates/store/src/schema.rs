//! The store's schema, as numbered migrations applied in order by `strikemap store init`.
//!
//! Every table lives in the `strikemap` schema. The tables a GIS user opens (`strikes` with its
//! PostGIS point, `casualty_claims`, `sources`, `statements`, `case_layers`) are kept in step by
//! triggers from the fields the app writes, so a field is stored once and SQL readers still get
//! plain columns. `history` is append-only (a trigger refuses UPDATE and DELETE, and the author
//! is the session's database role whatever a client sends).

/// The schema version this code writes and reads.
pub const SCHEMA_VERSION: i32 = 3;

/// The migrations, oldest first: migration `n` (1-based) takes a store from version `n - 1`.
pub const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [MIGRATION_1, MIGRATION_2, MIGRATION_3];

/// Version 1: cases, strikes with their PostGIS point, statements, the tables derived from
/// them, field versions and the history.
const MIGRATION_1: &str = r#"
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS strikemap;

CREATE TABLE strikemap.cases (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    as_of text,
    caveat text NOT NULL DEFAULT '',
    view jsonb,
    layers jsonb NOT NULL DEFAULT '[]',
    statement_sources jsonb NOT NULL DEFAULT '[]',
    created_by text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE strikemap.strikes (
    uid bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES strikemap.cases (id) ON DELETE CASCADE,
    strike_id text NOT NULL,
    sort_order double precision NOT NULL,
    geom geometry(Point, 4326),
    properties jsonb NOT NULL,
    -- Kept from `properties` by a trigger, for SQL and GIS readers.
    title text,
    event_date text,
    attacker text,
    target_country text,
    place_as_reported text,
    radius_km double precision,
    UNIQUE (case_id, strike_id)
);
CREATE INDEX strikes_geom ON strikemap.strikes USING gist (geom);

CREATE TABLE strikemap.statements (
    uid bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES strikemap.cases (id) ON DELETE CASCADE,
    statement_id text NOT NULL,
    sort_order double precision NOT NULL,
    fields jsonb NOT NULL,
    statement_date text,
    made_by text,
    title text,
    UNIQUE (case_id, statement_id)
);

CREATE TABLE strikemap.casualty_claims (
    strike_uid bigint NOT NULL REFERENCES strikemap.strikes (uid) ON DELETE CASCADE,
    case_id bigint NOT NULL,
    strike_id text NOT NULL,
    position integer NOT NULL,
    claimant text,
    killed integer,
    killed_at_least boolean,
    injured integer,
    injured_at_least boolean,
    source_key text,
    note text,
    PRIMARY KEY (strike_uid, position)
);

CREATE TABLE strikemap.sources (
    case_id bigint NOT NULL REFERENCES strikemap.cases (id) ON DELETE CASCADE,
    -- NULL for the sources the statements cite.
    strike_uid bigint REFERENCES strikemap.strikes (uid) ON DELETE CASCADE,
    owner text NOT NULL,
    position integer NOT NULL,
    key text,
    outlet text,
    source_date text,
    title text,
    url text
);
CREATE INDEX sources_case ON strikemap.sources (case_id, owner);

CREATE TABLE strikemap.case_layers (
    case_id bigint NOT NULL REFERENCES strikemap.cases (id) ON DELETE CASCADE,
    position integer NOT NULL,
    path text,
    name text,
    visible boolean,
    colour text,
    opacity double precision,
    PRIMARY KEY (case_id, position)
);

-- The version of each field: the id of the history row that last changed it (none: as published).
CREATE TABLE strikemap.field_versions (
    case_id bigint NOT NULL REFERENCES strikemap.cases (id) ON DELETE CASCADE,
    object text NOT NULL,
    field text NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (case_id, object, field)
);

CREATE TABLE strikemap.history (
    id bigserial PRIMARY KEY,
    case_id bigint NOT NULL,
    object text NOT NULL,
    field text NOT NULL,
    old_value jsonb,
    new_value jsonb,
    author text NOT NULL DEFAULT session_user,
    client text NOT NULL DEFAULT '',
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX history_case ON strikemap.history (case_id, id);
CREATE INDEX history_case_time ON strikemap.history (case_id, at);

CREATE FUNCTION strikemap.strike_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.title := NEW.properties ->> 'title';
    NEW.event_date := NEW.properties ->> 'date';
    NEW.attacker := NEW.properties ->> 'attacker';
    NEW.target_country := NEW.properties ->> 'target_country';
    NEW.place_as_reported := NEW.properties ->> 'place_as_reported';
    NEW.radius_km := CASE WHEN jsonb_typeof(NEW.properties -> 'location' -> 'radius_km') = 'number'
        THEN (NEW.properties -> 'location' ->> 'radius_km')::double precision END;
    RETURN NEW;
END $$;
CREATE TRIGGER strike_columns BEFORE INSERT OR UPDATE ON strikemap.strikes
    FOR EACH ROW EXECUTE FUNCTION strikemap.strike_columns();

CREATE FUNCTION strikemap.count_of(count jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof($1 -> 'count') = 'number' THEN ($1 ->> 'count')::numeric::integer END
$$;

CREATE FUNCTION strikemap.strike_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM strikemap.casualty_claims WHERE strike_uid = NEW.uid;
    DELETE FROM strikemap.sources WHERE strike_uid = NEW.uid;
    INSERT INTO strikemap.casualty_claims (strike_uid, case_id, strike_id, position, claimant,
        killed, killed_at_least, injured, injured_at_least, source_key, note)
    SELECT NEW.uid, NEW.case_id, NEW.strike_id, (c.ordinality - 1)::integer, c.value ->> 'claimant',
        strikemap.count_of(c.value -> 'killed'), (c.value -> 'killed' ->> 'at_least')::boolean,
        strikemap.count_of(c.value -> 'injured'), (c.value -> 'injured' ->> 'at_least')::boolean,
        c.value ->> 'source', c.value ->> 'note'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.properties -> 'casualty_claims') = 'array'
        THEN NEW.properties -> 'casualty_claims' ELSE '[]'::jsonb END) WITH ORDINALITY AS c (value, ordinality);
    INSERT INTO strikemap.sources (case_id, strike_uid, owner, position, key, outlet, source_date, title, url)
    SELECT NEW.case_id, NEW.uid, 'strike:' || NEW.strike_id, (s.ordinality - 1)::integer,
        s.value ->> 'key', s.value ->> 'outlet', s.value ->> 'date', s.value ->> 'title', s.value ->> 'url'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.properties -> 'sources') = 'array'
        THEN NEW.properties -> 'sources' ELSE '[]'::jsonb END) WITH ORDINALITY AS s (value, ordinality);
    RETURN NULL;
END $$;
CREATE TRIGGER strike_children AFTER INSERT OR UPDATE OF properties, strike_id ON strikemap.strikes
    FOR EACH ROW EXECUTE FUNCTION strikemap.strike_children();

CREATE FUNCTION strikemap.statement_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.statement_date := NEW.fields ->> 'date';
    NEW.made_by := NEW.fields ->> 'by';
    NEW.title := NEW.fields ->> 'title';
    RETURN NEW;
END $$;
CREATE TRIGGER statement_columns BEFORE INSERT OR UPDATE ON strikemap.statements
    FOR EACH ROW EXECUTE FUNCTION strikemap.statement_columns();

CREATE FUNCTION strikemap.case_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM strikemap.case_layers WHERE case_id = NEW.id;
    INSERT INTO strikemap.case_layers (case_id, position, path, name, visible, colour, opacity)
    SELECT NEW.id, (l.ordinality - 1)::integer, l.value ->> 'path', l.value ->> 'name',
        (l.value ->> 'visible')::boolean, l.value ->> 'colour', (l.value ->> 'opacity')::double precision
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.layers) = 'array' THEN NEW.layers
        ELSE '[]'::jsonb END) WITH ORDINALITY AS l (value, ordinality);
    DELETE FROM strikemap.sources WHERE case_id = NEW.id AND strike_uid IS NULL;
    INSERT INTO strikemap.sources (case_id, strike_uid, owner, position, key, outlet, source_date, title, url)
    SELECT NEW.id, NULL, 'statements', (s.ordinality - 1)::integer, s.value ->> 'key',
        s.value ->> 'outlet', s.value ->> 'date', s.value ->> 'title', s.value ->> 'url'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.statement_sources) = 'array'
        THEN NEW.statement_sources ELSE '[]'::jsonb END) WITH ORDINALITY AS s (value, ordinality);
    RETURN NULL;
END $$;
CREATE TRIGGER case_children AFTER INSERT OR UPDATE OF layers, statement_sources ON strikemap.cases
    FOR EACH ROW EXECUTE FUNCTION strikemap.case_children();

-- The author and time are the server's, whatever a client sends; others are told at once.
CREATE FUNCTION strikemap.history_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.author := session_user;
    NEW.at := now();
    NEW.client := COALESCE(NULLIF(current_setting('application_name', true), ''), 'unknown client');
    PERFORM pg_notify('strikemap_case_' || NEW.case_id, NEW.id::text);
    RETURN NEW;
END $$;
CREATE TRIGGER history_stamp BEFORE INSERT ON strikemap.history
    FOR EACH ROW EXECUTE FUNCTION strikemap.history_stamp();

CREATE FUNCTION strikemap.history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'strikemap.history is append-only: rows are never changed or removed';
END $$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON strikemap.history
    FOR EACH ROW EXECUTE FUNCTION strikemap.history_append_only();
"#;

/// Version 2: roles (viewer, editor, lead) with grants, case membership, and row-level security
/// per case, enforced by the server. Cases already in the store are opened to the whole team.
const MIGRATION_2: &str = r#"
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strikemap_viewer') THEN
        CREATE ROLE strikemap_viewer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strikemap_editor') THEN
        CREATE ROLE strikemap_editor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strikemap_lead') THEN
        CREATE ROLE strikemap_lead NOLOGIN;
    END IF;
END $$;
GRANT strikemap_viewer TO strikemap_editor;
GRANT strikemap_editor TO strikemap_lead;

-- Who may do what in a case: a role (a person's, or a group such as strikemap_editor) and a level.
CREATE TABLE strikemap.case_members (
    case_id bigint NOT NULL REFERENCES strikemap.cases (id) ON DELETE CASCADE,
    member text NOT NULL,
    level text NOT NULL CHECK (level IN ('viewer', 'editor', 'lead')),
    PRIMARY KEY (case_id, member)
);
INSERT INTO strikemap.case_members (case_id, member, level)
SELECT id, 'strikemap_viewer', 'viewer' FROM strikemap.cases
UNION ALL SELECT id, 'strikemap_editor', 'editor' FROM strikemap.cases;

-- 0 none, 1 read, 2 edit, 3 lead. A member of strikemap_lead leads every case; the role that
-- published a case leads it.
CREATE FUNCTION strikemap.access_level(p_case bigint) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT GREATEST(
        CASE WHEN pg_has_role(session_user, 'strikemap_lead', 'MEMBER') THEN 3 ELSE 0 END,
        (SELECT CASE WHEN c.created_by = session_user THEN 3 ELSE 0 END
           FROM strikemap.cases c WHERE c.id = p_case),
        (SELECT max(CASE m.level WHEN 'lead' THEN 3 WHEN 'editor' THEN 2 ELSE 1 END)
           FROM strikemap.case_members m
          WHERE m.case_id = p_case
            AND CASE WHEN EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = m.member)
                     THEN pg_has_role(session_user, m.member, 'MEMBER') ELSE false END),
        0)
$$;

GRANT USAGE ON SCHEMA strikemap TO strikemap_viewer;
GRANT SELECT ON ALL TABLES IN SCHEMA strikemap TO strikemap_viewer;
GRANT EXECUTE ON FUNCTION strikemap.access_level(bigint) TO strikemap_viewer;
GRANT INSERT, UPDATE, DELETE ON strikemap.strikes, strikemap.statements, strikemap.casualty_claims,
    strikemap.sources, strikemap.case_layers, strikemap.field_versions TO strikemap_editor;
GRANT UPDATE ON strikemap.cases TO strikemap_editor;
GRANT INSERT ON strikemap.history TO strikemap_editor;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA strikemap TO strikemap_editor;
GRANT INSERT, DELETE ON strikemap.cases TO strikemap_lead;
GRANT INSERT, UPDATE, DELETE ON strikemap.case_members TO strikemap_lead;

ALTER TABLE strikemap.cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON strikemap.cases FOR SELECT USING (strikemap.access_level(id) >= 1);
CREATE POLICY publish ON strikemap.cases FOR INSERT WITH CHECK (created_by = session_user);
CREATE POLICY edit ON strikemap.cases FOR UPDATE
    USING (strikemap.access_level(id) >= 2) WITH CHECK (strikemap.access_level(id) >= 2);
CREATE POLICY remove ON strikemap.cases FOR DELETE USING (strikemap.access_level(id) >= 3);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['strikes', 'statements', 'casualty_claims', 'sources',
                                'case_layers', 'field_versions']
    LOOP
        EXECUTE format('ALTER TABLE strikemap.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY read ON strikemap.%I FOR SELECT
            USING (strikemap.access_level(case_id) >= 1)', name);
        EXECUTE format('CREATE POLICY write ON strikemap.%I FOR INSERT
            WITH CHECK (strikemap.access_level(case_id) >= 2)', name);
        EXECUTE format('CREATE POLICY edit ON strikemap.%I FOR UPDATE
            USING (strikemap.access_level(case_id) >= 2)
            WITH CHECK (strikemap.access_level(case_id) >= 2)', name);
        EXECUTE format('CREATE POLICY remove ON strikemap.%I FOR DELETE
            USING (strikemap.access_level(case_id) >= 2)', name);
    END LOOP;
END $$;

ALTER TABLE strikemap.history ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON strikemap.history FOR SELECT USING (strikemap.access_level(case_id) >= 1);
CREATE POLICY write ON strikemap.history FOR INSERT WITH CHECK (strikemap.access_level(case_id) >= 2);

ALTER TABLE strikemap.case_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON strikemap.case_members FOR SELECT USING (strikemap.access_level(case_id) >= 1);
CREATE POLICY manage ON strikemap.case_members FOR ALL
    USING (strikemap.access_level(case_id) >= 3) WITH CHECK (strikemap.access_level(case_id) >= 3);
"#;

/// Version 3: a case's annotations (arrows, callouts, range rings, areas, lines: case version
/// 2), one field of the case like its layers.
const MIGRATION_3: &str = r#"
ALTER TABLE strikemap.cases ADD COLUMN annotations jsonb NOT NULL DEFAULT '[]';
"#;

/// The table of applied migrations, made before the first one runs.
pub const MIGRATIONS_TABLE: &str = r#"
CREATE SCHEMA IF NOT EXISTS strikemap;
CREATE TABLE IF NOT EXISTS strikemap.schema_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);
"#;
