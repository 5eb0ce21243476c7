#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn wkt_is_parsed_into_nodes_with_quotes_and_parentheses() {
    let node =
        parse_wkt(r#"GEOGCS["a ""b""",DATUM("D_X",SPHEROID["s",1,2]),AXIS["E",EAST]]"#).unwrap();
    assert_eq!(node.keyword, "GEOGCS");
    assert_eq!(node.name(), "a \"b\"");
    let datum = node.child(&["datum"]).unwrap();
    assert_eq!(datum.child(&["SPHEROID"]).unwrap().numbers(), [1.0, 2.0]);
    let axis = node.child(&["AXIS"]).unwrap();
    assert_eq!(axis.items[1], Item::Word("EAST".into()));
    for broken in ["GEOGCS[", "GEOGCS[\"a", "[1]", "GEOGCS[1] x", "GEOGCS[1e]"] {
        assert!(parse_wkt(broken).is_err(), "{broken}");
    }
}

#[test]
fn wgs84_and_epsg_authorities_need_no_parameters() {
    let wgs84 = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    let system = read_wkt_system(wgs84).unwrap();
    assert!(system.reprojection.is_none() && system.warning.is_none());
    let with_authority =
        r#"PROJCS["anything",GEOGCS["x"],PROJECTION["nothing known"],AUTHORITY["EPSG","32642"]]"#;
    let system = read_wkt_system(with_authority).unwrap();
    assert_eq!(system.reprojection.unwrap().label, "EPSG:32642");
    let wkt2 = r#"PROJCRS["WGS 84 / UTM zone 42N",BASEGEOGCRS["WGS 84"],CONVERSION["x",METHOD["y"]],ID["EPSG",32642]]"#;
    assert_eq!(
        read_wkt_system(wkt2).unwrap().reprojection.unwrap().label,
        "EPSG:32642"
    );
}

#[test]
fn projections_and_units_become_proj4() {
    let lambert = r#"PROJCS["x",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",2000000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-100.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",60.0],PARAMETER["Latitude_Of_Origin",40.0],UNIT["Foot_US",0.3048006096012192]]"#;
    let root = parse_wkt(lambert).unwrap();
    let (datum, _, warning) = datum_part(root.child(&["GEOGCS"]).unwrap());
    assert!(warning.is_none());
    let proj4 = projected_proj4(&root, &datum, "").unwrap();
    for part in [
        "+proj=lcc",
        "+x_0=2000000",
        "+lon_0=-100",
        "+lat_1=30",
        "+lat_2=60",
        "+lat_0=40",
        "+to_meter=0.3048006096012192",
    ] {
        assert!(proj4.contains(part), "{part} in {proj4}");
    }
    // The origin of the projection lands at its latitude and central meridian.
    let system = read_wkt_system(lambert).unwrap().reprojection.unwrap();
    let (lon, lat) = system
        .to_wgs84(2_000_000.0 / 0.3048006096012192, 0.0)
        .unwrap();
    assert!(
        (lon + 100.0).abs() < 1e-6 && (lat - 40.0).abs() < 1e-6,
        "{lon} {lat}"
    );
    let unknown = lambert.replace("Lambert_Conformal_Conic", "Van_der_Grinten_I");
    let error = read_wkt_system(&unknown).err().unwrap();
    assert!(
        error.contains("\"Van_der_Grinten_I\" is not one this version reprojects"),
        "{error}"
    );
}

#[test]
fn an_unknown_datum_is_said() {
    let wkt = r#"GEOGCS["GCS_Somewhere",DATUM["D_Somewhere",SPHEROID["Clarke_1866",6378206.4,294.9786982]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    let system = read_wkt_system(wkt).unwrap();
    assert!(system.reprojection.is_some());
    assert!(
        system
            .warning
            .unwrap()
            .contains("\"D_Somewhere\" is not one whose shift")
    );
    let shifted = wkt.replace("294.9786982]]", "294.9786982],TOWGS84[-8,160,176,0,0,0,0]]");
    let system = read_wkt_system(&shifted).unwrap();
    assert!(system.warning.is_none());
    let (lon, _) = system.reprojection.unwrap().to_wgs84(-100.0, 40.0).unwrap();
    assert!(
        (lon + 100.0).abs() > 1e-5,
        "the shift moved the point: {lon}"
    );
}
