//! A case as a GeoPackage (OGC 12-128r18, version 1.3), for the rest of the GIS world: QGIS,
//! ArcGIS and GDAL open `strikes` as a point layer in EPSG:4326 with its properties, and
//! `casualty_claims`, `sources` and `statements` as attribute tables related by `strike_id`.
//! The whole case file is kept in `strikemap_case`, so a GeoPackage written here reads back as
//! the same case ([`read_case`]). A GeoPackage of a whole store holds every case in the same
//! tables, told apart by `case_id` (the store's id), and reads back as all of them
//! ([`read_cases`]).

use crate::image::{Image, image_of};
use rusqlite::{Connection, params};
use serde_json::Value;
use std::path::Path;
use strikemap_core::case::{Case, LoadedCase, parse_case, write_case};

const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#;

const SCHEMA: &str = r#"
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (
    srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE strikes (
    fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, case_id INTEGER, strike_id TEXT NOT NULL, title TEXT,
    event_date TEXT, attacker TEXT, target_country TEXT, province TEXT, district TEXT,
    place_as_reported TEXT, precision_level TEXT, radius_km REAL, weapons TEXT,
    claimed_target TEXT, operation TEXT, properties TEXT NOT NULL);
CREATE TABLE casualty_claims (
    fid INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER, strike_id TEXT NOT NULL, position INTEGER NOT NULL,
    claimant TEXT, killed INTEGER, killed_at_least INTEGER, injured INTEGER,
    injured_at_least INTEGER, source_key TEXT, note TEXT);
CREATE TABLE sources (
    fid INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER, owner TEXT NOT NULL, position INTEGER NOT NULL,
    key TEXT, outlet TEXT, source_date TEXT, title TEXT, url TEXT);
CREATE TABLE statements (
    fid INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER, statement_id TEXT NOT NULL, statement_date TEXT,
    made_by TEXT, title TEXT, detail TEXT, source_keys TEXT);
CREATE TABLE strikemap_case (fid INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER, title TEXT, case_file TEXT NOT NULL);
"#;

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// The GeoPackage geometry of a point: the `GP` header (version 0, little-endian, no envelope,
/// the SRS id) and the WKB point.
fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let mut blob = Vec::with_capacity(29);
    blob.extend_from_slice(b"GP");
    blob.push(0); // version 1.0 of the binary format
    blob.push(0b0000_0001); // little-endian, no envelope, not empty
    blob.extend_from_slice(&4326_i32.to_le_bytes());
    blob.push(1); // WKB little-endian
    blob.extend_from_slice(&1_u32.to_le_bytes()); // Point
    blob.extend_from_slice(&lon.to_le_bytes());
    blob.extend_from_slice(&lat.to_le_bytes());
    blob
}

/// Writes the case as a new GeoPackage at `path` (an existing file is replaced).
pub fn write_case_geopackage(path: &Path, case: &Case) -> Result<(), String> {
    write_cases_geopackage(path, &[(None, case.clone())])
}

/// Writes cases (each with its store id, if any) as one new GeoPackage at `path` (an existing
/// file is replaced): the same tables as for one case, with `case_id` telling them apart.
pub fn write_cases_geopackage(path: &Path, cases: &[(Option<i64>, Case)]) -> Result<(), String> {
    let fail = |error: rusqlite::Error| {
        format!("{}: cannot write the GeoPackage: {error}", path.display())
    };
    if path.exists() {
        std::fs::remove_file(path)
            .map_err(|error| format!("{}: cannot replace it: {error}", path.display()))?;
    }
    let mut connection = Connection::open(path).map_err(fail)?;
    let transaction = connection.transaction().map_err(fail)?;
    transaction.execute_batch(SCHEMA).map_err(fail)?;
    transaction
        .execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES
             ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
             ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
             ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
            params![WGS84_WKT],
        )
        .map_err(fail)?;
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for event in cases.iter().flat_map(|(_, case)| &case.events) {
        min_x = min_x.min(event.position.lon);
        max_x = max_x.max(event.position.lon);
        min_y = min_y.min(event.position.lat);
        max_y = max_y.max(event.position.lat);
    }
    let any = cases.iter().any(|(_, case)| !case.events.is_empty());
    let bounds = any.then_some((min_x, min_y, max_x, max_y));
    let description = match cases {
        [(_, case)] => format!("Strikes of {}", case.meta.title),
        _ => format!("Strikes of {} cases (told apart by case_id)", cases.len()),
    };
    transaction
        .execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
             VALUES ('strikes', 'features', 'strikes', ?1, ?2, ?3, ?4, ?5, 4326)",
            params![
                description,
                bounds.map(|b| b.0),
                bounds.map(|b| b.1),
                bounds.map(|b| b.2),
                bounds.map(|b| b.3)
            ],
        )
        .map_err(fail)?;
    for (table, description) in [
        (
            "casualty_claims",
            "Casualty claims per claimant, by strike_id (never merged)",
        ),
        ("sources", "Sources, by owner (strike:ID or statements)"),
        ("statements", "Dated statements of the timeline"),
        ("strikemap_case", "The whole Strikemap case file"),
    ] {
        transaction
            .execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                 VALUES (?1, 'attributes', ?1, ?2)",
                params![table, description],
            )
            .map_err(fail)?;
    }
    transaction
        .execute(
            "INSERT INTO gpkg_geometry_columns VALUES ('strikes', 'geom', 'POINT', 4326, 0, 0)",
            [],
        )
        .map_err(fail)?;
    for (case_id, case) in cases {
        let image = image_of(case, None);
        write_rows(&transaction, *case_id, case, &image).map_err(fail)?;
        transaction
            .execute(
                "INSERT INTO strikemap_case (case_id, title, case_file) VALUES (?1, ?2, ?3)",
                params![case_id, case.meta.title, write_case(case)],
            )
            .map_err(fail)?;
    }
    transaction.commit().map_err(fail)
}

fn write_rows(
    transaction: &rusqlite::Transaction<'_>,
    case_id: Option<i64>,
    case: &Case,
    image: &Image,
) -> rusqlite::Result<()> {
    for (event, strike) in case.events.iter().zip(&image.strikes) {
        let field = |name: &str| text(strike.fields.get(name));
        let location = strike.fields.get("location");
        let mut properties = strike.fields.clone();
        properties.remove("geometry");
        transaction.execute(
            "INSERT INTO strikes (geom, strike_id, title, event_date, attacker, target_country, province,
                 district, place_as_reported, precision_level, radius_km, weapons, claimed_target, operation, properties, case_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                point_blob(event.position.lon, event.position.lat),
                event.id(),
                field("title"),
                field("date"),
                field("attacker"),
                field("target_country"),
                field("province"),
                field("district"),
                field("place_as_reported"),
                text(location.and_then(|l| l.get("level"))),
                location.and_then(|l| l.get("radius_km")).and_then(Value::as_f64),
                field("weapons"),
                field("claimed_target"),
                field("operation"),
                Value::Object(properties).to_string(),
                case_id,
            ],
        )?;
        for (position, claim) in event.properties.casualty_claims.iter().enumerate() {
            transaction.execute(
                "INSERT INTO casualty_claims (strike_id, position, claimant, killed, killed_at_least,
                     injured, injured_at_least, source_key, note, case_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    event.id(),
                    position as i64,
                    claim.claimant,
                    claim.killed.as_ref().map(|count| count.count),
                    claim.killed.as_ref().map(|count| count.at_least),
                    claim.injured.as_ref().map(|count| count.count),
                    claim.injured.as_ref().map(|count| count.at_least),
                    claim.source,
                    claim.note,
                    case_id,
                ],
            )?;
        }
        write_sources(
            transaction,
            case_id,
            &format!("strike:{}", event.id()),
            &event.properties.sources,
        )?;
    }
    write_sources(transaction, case_id, "statements", &case.statement_sources)?;
    for statement in &case.statements {
        transaction.execute(
            "INSERT INTO statements (statement_id, statement_date, made_by, title, detail, source_keys, case_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                statement.id,
                statement.date.to_iso(),
                statement.by,
                statement.title,
                statement.detail,
                statement.source_keys.join(", "),
                case_id,
            ],
        )?;
    }
    Ok(())
}

fn write_sources(
    transaction: &rusqlite::Transaction<'_>,
    case_id: Option<i64>,
    owner: &str,
    sources: &[strikemap_core::model::Source],
) -> rusqlite::Result<()> {
    for (position, source) in sources.iter().enumerate() {
        transaction.execute(
            "INSERT INTO sources (owner, position, key, outlet, source_date, title, url, case_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                owner,
                position as i64,
                source.key,
                source.outlet,
                source.date,
                source.title,
                source.url,
                case_id
            ],
        )?;
    }
    Ok(())
}

/// Reads back a case from a GeoPackage this module wrote (its `strikemap_case` table, the
/// first case of a whole store's), read only. Another GeoPackage is refused with a message
/// saying why.
pub fn read_case(path: &Path) -> Result<LoadedCase, String> {
    read_cases(path)?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{}: the GeoPackage holds no case", path.display()))
}

/// Reads back every case of a GeoPackage this module wrote, in the order written.
pub fn read_cases(path: &Path) -> Result<Vec<LoadedCase>, String> {
    let name = path.display().to_string();
    let connection = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|error| format!("{name}: cannot open it as a GeoPackage: {error}"))?;
    let not_ours = |error: rusqlite::Error| {
        format!(
            "{name}: not a GeoPackage written by Strikemap (no strikemap_case table: {error}); \
             open it as a layer instead"
        )
    };
    let mut statement = connection
        .prepare("SELECT case_file FROM strikemap_case ORDER BY fid")
        .map_err(not_ours)?;
    let texts = statement
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(Iterator::collect::<rusqlite::Result<Vec<String>>>)
        .map_err(not_ours)?;
    texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            parse_case(&format!("{name} (case {} in it)", index + 1), text)
                .map_err(|error| error.to_string())
        })
        .collect()
}
