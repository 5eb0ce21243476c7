//! Location and time precision codes of ACLED and UCDP GED, and the radius Strikemap draws for
//! each. The datasets give codes, not distances: the radii are Strikemap's documented defaults
//! (`docs/data-format.md`), chosen to cover the area a code describes in the Iran–Pakistan border
//! region, and the `basis` of every imported location says so.

/// What a location precision code means on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrecisionArea {
    /// The code as the dataset gives it.
    pub code: u8,
    /// The administrative level or kind of place the code describes ("town", "province").
    pub level: &'static str,
    /// The dataset's meaning of the code, in words.
    pub meaning: &'static str,
    /// The radius drawn around the point, in km.
    pub radius_km: f64,
    /// The nearest ACLED geo_precision (1 to 3), stored beside UCDP's own code.
    pub acled_equivalent: u8,
}

/// ACLED `geo_precision` 1 to 3.
pub const ACLED_GEO_PRECISION: [PrecisionArea; 3] = [
    PrecisionArea {
        code: 1,
        level: "town",
        meaning: "the named town or its outskirts",
        radius_km: 5.0,
        acled_equivalent: 1,
    },
    PrecisionArea {
        code: 2,
        level: "near a town",
        meaning: "near a town, or a small part of a region",
        radius_km: 25.0,
        acled_equivalent: 2,
    },
    PrecisionArea {
        code: 3,
        level: "region",
        meaning: "only a larger region is known",
        radius_km: 100.0,
        acled_equivalent: 3,
    },
];

/// UCDP GED `where_prec` 1 to 7.
pub const UCDP_WHERE_PREC: [PrecisionArea; 7] = [
    PrecisionArea {
        code: 1,
        level: "place",
        meaning: "the exact place",
        radius_km: 5.0,
        acled_equivalent: 1,
    },
    PrecisionArea {
        code: 2,
        level: "near a place",
        meaning: "near a named place",
        radius_km: 25.0,
        acled_equivalent: 2,
    },
    PrecisionArea {
        code: 3,
        level: "district",
        meaning: "a second-order administrative unit; the point is its centroid",
        radius_km: 50.0,
        acled_equivalent: 3,
    },
    PrecisionArea {
        code: 4,
        level: "province",
        meaning: "a first-order administrative unit; the point is its centroid",
        radius_km: 150.0,
        acled_equivalent: 3,
    },
    PrecisionArea {
        code: 5,
        level: "region",
        meaning: "an area larger than a province, or between places",
        radius_km: 300.0,
        acled_equivalent: 3,
    },
    PrecisionArea {
        code: 6,
        level: "country",
        meaning: "only the country; the point is its centroid",
        radius_km: 500.0,
        acled_equivalent: 3,
    },
    PrecisionArea {
        code: 7,
        level: "water or airspace",
        meaning: "international waters or airspace",
        radius_km: 250.0,
        acled_equivalent: 3,
    },
];

/// The area for an ACLED `geo_precision` code, or `None` for a code outside 1 to 3.
pub fn acled_geo_precision(code: u8) -> Option<&'static PrecisionArea> {
    ACLED_GEO_PRECISION.iter().find(|area| area.code == code)
}

/// The area for a UCDP `where_prec` code, or `None` for a code outside 1 to 7.
pub fn ucdp_where_prec(code: u8) -> Option<&'static PrecisionArea> {
    UCDP_WHERE_PREC.iter().find(|area| area.code == code)
}

/// ACLED `time_precision` in words.
pub fn acled_time_precision_meaning(code: u8) -> Option<&'static str> {
    match code {
        1 => Some("the exact day"),
        2 => Some("a known week or weekend"),
        3 => Some("only the month"),
        _ => None,
    }
}

/// UCDP `date_prec` in words.
pub fn ucdp_date_prec_meaning(code: u8) -> Option<&'static str> {
    match code {
        1 => Some("the exact day"),
        2 => Some("within 2 to 6 days"),
        3 => Some("a week"),
        4 => Some("a month"),
        5 => Some("a year"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_acled_code_has_a_growing_radius() {
        let radii: Vec<f64> = (1..=3)
            .map(|code| acled_geo_precision(code).map(|area| area.radius_km))
            .collect::<Option<_>>()
            .unwrap();
        assert_eq!(radii, [5.0, 25.0, 100.0]);
        assert!(acled_geo_precision(0).is_none());
        assert!(acled_geo_precision(4).is_none());
    }

    #[test]
    fn every_ucdp_code_maps_to_a_radius_and_an_acled_code() {
        for code in 1..=7 {
            let area = ucdp_where_prec(code).unwrap();
            assert!(area.radius_km > 0.0);
            assert!((1..=3).contains(&area.acled_equivalent));
        }
        assert_eq!(ucdp_where_prec(4).unwrap().level, "province");
        assert_eq!(ucdp_where_prec(4).unwrap().radius_km, 150.0);
        assert!(ucdp_where_prec(8).is_none());
        assert!(ucdp_where_prec(0).is_none());
    }

    #[test]
    fn precision_words() {
        assert_eq!(acled_time_precision_meaning(3), Some("only the month"));
        assert_eq!(ucdp_date_prec_meaning(5), Some("a year"));
        assert_eq!(ucdp_date_prec_meaning(6), None);
    }
}
