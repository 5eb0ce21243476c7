//! The one table of column names: for each column the ACLED and UCDP GED readers look up, the
//! names exports of every era have used for it. Names are matched trimmed and case-insensitively
//! (ACLED's exports before 2019 wrote them in capitals), so only names that differ in more than
//! case are listed. `docs/data-format.md` ("Column names of every era") shows this table; a test
//! keeps the two in step.

/// A column the readers know, the other names it has had, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnAlias {
    /// The name the readers look the column up by (lower case).
    pub canonical: &'static str,
    /// Other names accepted for it (lower case; matched in any case).
    pub accepted: &'static [&'static str],
    /// The dataset and the era of the other names.
    pub era: &'static str,
}

/// Every alias, ACLED's first, then UCDP GED's. No accepted name is another entry's canonical
/// name or listed twice (a test checks).
pub const COLUMN_ALIASES: [ColumnAlias; 13] = [
    ColumnAlias {
        canonical: "geo_precision",
        accepted: &["geo_precis"],
        era: "ACLED version 5 (2015) exports, and shapefile (.dbf) exports, which cut names to \
              10 characters",
    },
    ColumnAlias {
        canonical: "assoc_actor_1",
        accepted: &["ally_actor_1"],
        era: "ACLED before 2019 (versions 5 to 8)",
    },
    ColumnAlias {
        canonical: "assoc_actor_2",
        accepted: &["ally_actor_2"],
        era: "ACLED before 2019 (versions 5 to 8)",
    },
    ColumnAlias {
        canonical: "event_id_cnty",
        accepted: &["event_id_c"],
        era: "ACLED shapefile (.dbf) exports",
    },
    ColumnAlias {
        canonical: "event_id_no_cnty",
        accepted: &["event_id_n"],
        era: "ACLED shapefile (.dbf) exports",
    },
    ColumnAlias {
        canonical: "time_precision",
        accepted: &["time_preci"],
        era: "ACLED shapefile (.dbf) exports",
    },
    ColumnAlias {
        canonical: "sub_event_type",
        accepted: &["sub_event_"],
        era: "ACLED shapefile (.dbf) exports",
    },
    ColumnAlias {
        canonical: "source_scale",
        accepted: &["source_sca"],
        era: "ACLED shapefile (.dbf) exports",
    },
    ColumnAlias {
        canonical: "best",
        accepted: &["best_est"],
        era: "UCDP GED 1.0 to 2.0 (2010–2014); `best` from GED 5.0 (2016) on",
    },
    ColumnAlias {
        canonical: "low",
        accepted: &["low_est"],
        era: "UCDP GED 1.0 to 2.0 (2010–2014)",
    },
    ColumnAlias {
        canonical: "high",
        accepted: &["high_est"],
        era: "UCDP GED 1.0 to 2.0 (2010–2014)",
    },
    ColumnAlias {
        canonical: "type_of_violence",
        accepted: &["type_of_vi"],
        era: "UCDP GED shapefile (.dbf) exports",
    },
    ColumnAlias {
        canonical: "where_description",
        accepted: &["where_desc"],
        era: "UCDP GED shapefile (.dbf) exports",
    },
];

/// The key a header name is looked up by: trimmed, lower case, an old name replaced by the
/// current one.
pub(crate) fn column_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    COLUMN_ALIASES
        .iter()
        .find(|alias| alias.accepted.contains(&lower.as_str()))
        .map_or(lower, |alias| alias.canonical.to_owned())
}

/// Why a header's ambiguous dates (03/04/1997) are read day first, when its column set tells:
/// `GWNO` and `ALLY_ACTOR_1` without `SUB_EVENT_TYPE` are the columns of ACLED's version 5–7
/// exports, which wrote dates day/month/year. `None` when nothing tells (they are refused).
pub(crate) fn day_first_dates_era(names: &[String]) -> Option<&'static str> {
    let has = |wanted: &str| {
        names
            .iter()
            .any(|name| name.trim().eq_ignore_ascii_case(wanted))
    };
    (has("gwno") && has("ally_actor_1") && !has("sub_event_type") && !has("sub_event_")).then_some(
        "the columns (GWNO and ALLY_ACTOR_1, no SUB_EVENT_TYPE) are those of ACLED's version 5–7 \
         exports, which wrote dates day/month/year",
    )
}

/// The other names of a column, for messages: `["geo_precis"]` for `geo_precision`.
pub(crate) fn other_names(canonical: &str) -> &'static [&'static str] {
    COLUMN_ALIASES
        .iter()
        .find(|alias| alias.canonical == canonical)
        .map_or(&[], |alias| alias.accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_era_maps_to_the_current_name_in_any_case() {
        for (name, key) in [
            ("GEO_PRECIS", "geo_precision"),
            ("geo_precis", "geo_precision"),
            (" Geo_Precision ", "geo_precision"),
            ("ALLY_ACTOR_1", "assoc_actor_1"),
            ("EVENT_ID_C", "event_id_cnty"),
            ("EVENT_ID_CNTY", "event_id_cnty"),
            ("best_est", "best"),
            ("LOW_EST", "low"),
            ("High_Est", "high"),
            ("where_prec", "where_prec"),
            ("latitude", "latitude"),
        ] {
            assert_eq!(column_key(name), key, "{name}");
        }
        assert_eq!(other_names("geo_precision"), ["geo_precis"]);
        assert!(other_names("latitude").is_empty());
    }

    #[test]
    fn the_table_is_consistent() {
        let canonical: Vec<&str> = COLUMN_ALIASES.iter().map(|alias| alias.canonical).collect();
        let mut accepted: Vec<&str> = Vec::new();
        for alias in &COLUMN_ALIASES {
            assert_eq!(alias.canonical, alias.canonical.to_lowercase());
            for name in alias.accepted {
                assert_eq!(*name, name.to_lowercase(), "{name}");
                assert!(!canonical.contains(name), "{name} is also a canonical name");
                assert!(!accepted.contains(name), "{name} is listed twice");
                accepted.push(name);
            }
        }
        let mut sorted = canonical.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            canonical.len(),
            "a canonical name is listed twice"
        );
    }

    #[test]
    fn the_documented_table_lists_every_alias() {
        let docs = include_str!("../../../../docs/data-format.md");
        for alias in &COLUMN_ALIASES {
            let accepted = alias
                .accepted
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let row = format!("| `{}` | {accepted} | {} |", alias.canonical, alias.era);
            assert!(
                docs.contains(&row),
                "docs/data-format.md lacks the row\n{row}"
            );
        }
    }
}
