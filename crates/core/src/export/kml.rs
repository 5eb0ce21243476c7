//! The events as KML 2.2 (and KMZ, KML zipped) that Google Earth opens: one Placemark per event
//! at its position, named by its title, with a TimeStamp (a TimeSpan for a span of days), a
//! style per attacker colour, an HTML description (who struck whom, the place as reported and
//! how precisely it is known, each claimant's casualty figures and the sources) and the key
//! fields as ExtendedData; and, when given one, a `gx:Tour` of the story
//! ([`super::kml_tour`]). [`crate::formats::kml::parse_kml`] reads the file back.

use super::ExportError;
use super::kml_tour::{GX_NAMESPACE, Tour, tour_kml};
use super::xml_text::xml_escape;
use crate::model::{CasualtyClaim, Count, Source, StrikeEvent};
use std::fmt::Write as _;
use std::io::{Seek, Write};

/// A colour as red, green, blue.
pub type Rgb = [u8; 3];

/// Colours for attackers when the caller gives none: the Okabe–Ito palette (safe for the common
/// forms of colour blindness), in order of first appearance.
const PALETTE: [Rgb; 6] = [
    [0xD5, 0x5E, 0x00], // vermillion
    [0x00, 0x72, 0xB2], // blue
    [0x00, 0x9E, 0x73], // bluish green
    [0xE6, 0x9F, 0x00], // orange
    [0x56, 0xB4, 0xE9], // sky blue
    [0xF0, 0xE4, 0x42], // yellow
];

/// Events that name no attacker (ACLED, UCDP rows) are drawn in this colour.
pub const NO_ATTACKER_COLOUR: Rgb = [0xCC, 0x79, 0xA7];

/// The Google Earth icon that takes a style's colour well (it is white).
const ICON: &str = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png";

/// Writes the events as KML, each attacker in a colour of its own from a colour-blind-safe
/// palette. Returns the output, flushed.
pub fn write_kml<W: Write>(
    out: W,
    title: Option<&str>,
    events: &[StrikeEvent],
) -> std::io::Result<W> {
    let attackers = attackers_of(events);
    let colour = |attacker: Option<&str>| match attacker {
        None => NO_ATTACKER_COLOUR,
        Some(name) => {
            let index = attackers.iter().position(|known| *known == name);
            index
                .and_then(|index| PALETTE.get(index % PALETTE.len()))
                .copied()
                .unwrap_or(NO_ATTACKER_COLOUR)
        }
    };
    write_kml_with_colours(out, title, events, &colour, None)
}

/// [`write_kml`] with the caller's colour for each attacker (`None` for events that name none),
/// so that the file matches the map's colours, and `tour` (the story) after the placemarks.
pub fn write_kml_with_colours<W: Write>(
    mut out: W,
    title: Option<&str>,
    events: &[StrikeEvent],
    colour: &dyn Fn(Option<&str>) -> Rgb,
    tour: Option<&Tour>,
) -> std::io::Result<W> {
    let attackers = attackers_of(events);
    let mut text = String::new();
    let _ = write!(
        text,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <kml xmlns=\"http://www.opengis.net/kml/2.2\" xmlns:gx=\"{GX_NAMESPACE}\">\n<Document>\n",
    );
    let title = title.unwrap_or("Strikemap events");
    let _ = writeln!(text, "  <name>{}</name>", xml_escape(title));
    let styled: Vec<Option<&str>> = attackers
        .iter()
        .map(|name| Some(*name))
        .chain(std::iter::once(None))
        .collect();
    for attacker in &styled {
        let [red, green, blue] = colour(*attacker);
        let _ = write!(
            text,
            "  <Style id=\"{}\">\n    <IconStyle>\n      <color>ff{blue:02x}{green:02x}{red:02x}</color>\n      \
             <scale>1.1</scale>\n      <Icon><href>{ICON}</href></Icon>\n    </IconStyle>\n    \
             <LabelStyle><scale>0.8</scale></LabelStyle>\n  </Style>\n",
            style_id(&attackers, *attacker)
        );
    }
    out.write_all(text.as_bytes())?;
    for event in events {
        text.clear();
        placemark(&mut text, event, &style_id(&attackers, event.attacker()));
        out.write_all(text.as_bytes())?;
    }
    if let Some(tour) = tour {
        out.write_all(tour_kml(tour).as_bytes())?;
    }
    out.write_all(b"</Document>\n</kml>\n")?;
    out.flush()?;
    Ok(out)
}

/// Writes the events as KMZ: the KML of [`write_kml`] as `doc.kml`, deflated, in a zip archive.
pub fn write_kmz<W: Write + Seek>(
    out: W,
    title: Option<&str>,
    events: &[StrikeEvent],
) -> Result<W, ExportError> {
    in_kmz(out, |archive| write_kml(archive, title, events))
}

/// [`write_kmz`] with the caller's colour for each attacker and the tour, as
/// [`write_kml_with_colours`].
pub fn write_kmz_with_colours<W: Write + Seek>(
    out: W,
    title: Option<&str>,
    events: &[StrikeEvent],
    colour: &dyn Fn(Option<&str>) -> Rgb,
    tour: Option<&Tour>,
) -> Result<W, ExportError> {
    in_kmz(out, |archive| {
        write_kml_with_colours(archive, title, events, colour, tour)
    })
}

/// A zip archive around the `doc.kml` that `write_doc` writes.
pub(crate) fn in_kmz<W: Write + Seek>(
    out: W,
    write_doc: impl FnOnce(zip::ZipWriter<W>) -> std::io::Result<zip::ZipWriter<W>>,
) -> Result<W, ExportError> {
    let mut archive = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    archive
        .start_file("doc.kml", options)
        .map_err(std::io::Error::other)?;
    let archive = write_doc(archive)?;
    Ok(archive.finish().map_err(std::io::Error::other)?)
}

/// The events as KML text.
pub fn events_to_kml(title: Option<&str>, events: &[StrikeEvent]) -> String {
    match write_kml(Vec::new(), title, events).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        // Writing to memory does not fail, and the text is built from `str`s.
        Ok(Err(error)) => format!("<!-- {error} -->\n"),
        Err(error) => format!("<!-- {error} -->\n"),
    }
}

/// The events as KMZ bytes.
pub fn events_to_kmz(title: Option<&str>, events: &[StrikeEvent]) -> Result<Vec<u8>, ExportError> {
    write_kmz(std::io::Cursor::new(Vec::new()), title, events).map(std::io::Cursor::into_inner)
}

/// The attackers, in order of first appearance.
fn attackers_of(events: &[StrikeEvent]) -> Vec<&str> {
    let mut attackers: Vec<&str> = Vec::new();
    for attacker in events.iter().filter_map(StrikeEvent::attacker) {
        if !attackers.contains(&attacker) {
            attackers.push(attacker);
        }
    }
    attackers
}

/// "attacker-1-iran", or "no-attacker".
fn style_id(attackers: &[&str], attacker: Option<&str>) -> String {
    let Some(name) = attacker else {
        return "no-attacker".into();
    };
    let index = attackers
        .iter()
        .position(|known| *known == name)
        .unwrap_or(0);
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("attacker-{}-{}", index + 1, slug.trim_matches('-'))
}

fn placemark(out: &mut String, event: &StrikeEvent, style: &str) {
    let p = &event.properties;
    let _ = writeln!(out, "  <Placemark id=\"{}\">", xml_escape(&p.id));
    let _ = writeln!(out, "    <name>{}</name>", xml_escape(&p.title));
    match &p.date_end {
        Some(end) if *end != p.date => {
            let _ = writeln!(
                out,
                "    <TimeSpan><begin>{}</begin><end>{}</end></TimeSpan>",
                xml_escape(&p.date),
                xml_escape(end)
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "    <TimeStamp><when>{}</when></TimeStamp>",
                xml_escape(&p.date)
            );
        }
    }
    let _ = writeln!(out, "    <styleUrl>#{style}</styleUrl>");
    let _ = writeln!(
        out,
        "    <description><![CDATA[{}]]></description>",
        description(event).replace("]]>", "]]]]><![CDATA[>")
    );
    out.push_str("    <ExtendedData>\n");
    let claims = p
        .casualty_claims
        .iter()
        .map(CasualtyClaim::headline)
        .collect::<Vec<_>>()
        .join("; ");
    let fields: [(&str, Option<String>); 15] = [
        ("id", Some(p.id.clone())),
        ("date", Some(p.date.clone())),
        ("date_end", p.date_end.clone()),
        ("attacker", p.attacker.clone()),
        ("actor1", p.actor1.clone()),
        ("actor2", p.actor2.clone()),
        ("target_country", Some(p.target_country.clone())),
        ("province", Some(p.province.clone())),
        ("district", Some(p.district.clone())),
        ("place_as_reported", Some(p.place_as_reported.clone())),
        ("location_level", Some(p.location.level.clone())),
        ("geo_precision", Some(p.location.geo_precision.to_string())),
        ("radius_km", Some(p.location.radius_km.to_string())),
        ("casualty_claims", Some(claims)),
        (
            "origin",
            p.origin.map(|origin| origin.dataset_name().to_owned()),
        ),
    ];
    for (name, value) in fields {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            let _ = writeln!(
                out,
                "      <Data name=\"{name}\"><value>{}</value></Data>",
                xml_escape(&value)
            );
        }
    }
    out.push_str("    </ExtendedData>\n");
    let _ = writeln!(
        out,
        "    <Point><coordinates>{},{}</coordinates></Point>\n  </Placemark>",
        event.position.lon, event.position.lat
    );
}

/// The placemark's balloon: who struck whom, where and how precisely, the claims, the sources.
fn description(event: &StrikeEvent) -> String {
    let p = &event.properties;
    let h = html_escape;
    let mut html = String::new();
    let date = match &p.date_end {
        Some(end) if *end != p.date => format!("{} to {}", p.date, end),
        _ => p.date.clone(),
    };
    let _ = write!(html, "<p><b>{}</b></p>", h(&date));
    let struck = match (&p.attacker, &p.actor1) {
        (Some(attacker), _) => {
            let detail = p
                .attacker_detail
                .as_deref()
                .map(|detail| format!(" ({})", h(detail)))
                .unwrap_or_default();
            format!("{}{detail} struck {}", h(attacker), h(&p.target_country))
        }
        (None, Some(actor1)) => format!(
            "Actors: {} and {} (the dataset does not say who struck); in {}",
            h(actor1),
            h(p.actor2.as_deref().unwrap_or("none named")),
            h(&p.target_country)
        ),
        (None, None) => format!("Attacker not stated; in {}", h(&p.target_country)),
    };
    let _ = write!(html, "<p><b>Who struck whom:</b> {struck}</p>");
    let region: Vec<&str> = [
        p.district.as_str(),
        p.province.as_str(),
        p.target_country.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let _ = write!(
        html,
        "<p><b>Place as reported:</b> {}<br/>{}<br/><b>Precision:</b> {} (geo_precision {}); {}</p>",
        h(&p.place_as_reported),
        h(&region.join(", ")),
        h(&p.location.in_words()),
        p.location.geo_precision,
        h(&p.location.basis)
    );
    for (label, value) in [
        ("Weapons", &p.weapons),
        ("Claimed target", &p.claimed_target),
        ("Operation", &p.operation),
        ("Event type", &p.event_type),
    ] {
        if let Some(value) = value {
            let _ = write!(html, "<p><b>{label}:</b> {}</p>", h(value));
        }
    }
    if p.casualty_claims.is_empty() {
        html.push_str("<p><b>Casualties:</b> no claim recorded</p>");
    } else {
        html.push_str(
            "<table border=\"1\" cellpadding=\"3\" cellspacing=\"0\"><tr><th>Claimant</th>\
             <th>Killed</th><th>Injured</th><th>Source</th></tr>",
        );
        for claim in &p.casualty_claims {
            let note = claim
                .note
                .as_deref()
                .map(|note| format!("<br/><i>{}</i>", h(note)))
                .unwrap_or_default();
            let _ = write!(
                html,
                "<tr><td>{}{note}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                h(&claim.claimant),
                count_cell(claim.killed.as_ref()),
                count_cell(claim.injured.as_ref()),
                h(&claim.source)
            );
        }
        html.push_str("</table>");
    }
    if let Some(notes) = &p.notes {
        let _ = write!(html, "<p><b>Notes:</b> {}</p>", h(notes));
    }
    if !p.sources.is_empty() {
        html.push_str("<p><b>Sources</b></p><ul>");
        for source in &p.sources {
            let _ = write!(html, "<li>{}</li>", source_item(source));
        }
        html.push_str("</ul>");
    }
    html
}

/// "at least 2 (children 1)", "12 (range 10–15)", or "—" when the claimant gave no figure.
fn count_cell(count: Option<&Count>) -> String {
    let Some(count) = count else {
        return "—".into();
    };
    let mut cell = if count.at_least {
        format!("at least {}", count.count)
    } else {
        count.count.to_string()
    };
    if count.low.is_some() || count.high.is_some() {
        let end = |value: Option<u32>| value.map_or_else(|| "?".to_owned(), |v| v.to_string());
        let _ = write!(cell, " (range {}–{})", end(count.low), end(count.high));
    }
    let parts: Vec<String> = count
        .breakdown()
        .map(|(label, value)| format!("{label} {value}"))
        .collect();
    if !parts.is_empty() {
        let _ = write!(cell, " ({})", parts.join(", "));
    }
    cell
}

/// "[A1] Al Jazeera, 2024-01-17, “Title”, <a href=…>link</a>".
fn source_item(source: &Source) -> String {
    let h = html_escape;
    let mut parts = vec![h(&source.outlet), h(source.date_text())];
    match (&source.title, &source.note) {
        (Some(title), _) => parts.push(format!("“{}”", h(title))),
        (None, Some(note)) => parts.push(h(note)),
        (None, None) => {}
    }
    if let Some(url) = source.browsable_url() {
        parts.push(format!("<a href=\"{}\">{}</a>", h(url), h(url)));
    } else if let Some(url) = &source.url {
        parts.push(h(url));
    }
    format!("[{}] {}", h(&source.key), parts.join(", "))
}

/// Text inside the description's HTML (which is inside CDATA): `&#39;` for the apostrophe,
/// which old HTML renderers read where they may not know `&apos;`.
fn html_escape(text: &str) -> String {
    xml_escape(text).replace("&apos;", "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::bundled::bundled_events;
    use crate::formats::kml::parse_kml;

    #[test]
    fn escaping_and_style_ids() {
        assert_eq!(
            xml_escape("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
        let attackers = ["Iran", "Pakistan's army"];
        assert_eq!(
            style_id(&attackers, Some("Pakistan's army")),
            "attacker-2-pakistan-s-army"
        );
        assert_eq!(style_id(&attackers, None), "no-attacker");
        let count = Count {
            count: 2,
            at_least: true,
            children: Some(1),
            ..Count::default()
        };
        assert_eq!(count_cell(Some(&count)), "at least 2 (children 1)");
        assert_eq!(count_cell(None), "—");
    }

    #[test]
    fn a_description_that_holds_the_cdata_end_stays_one_description() {
        let mut events = bundled_events().unwrap().events;
        events.truncate(1);
        events[0].properties.notes = Some("odd ]]> text & more".into());
        let text = events_to_kml(None, &events);
        let (layer, skips) = parse_kml("x.kml", &text).unwrap();
        assert_eq!(skips.total, 0);
        let description = layer.features[0].properties["description"]
            .as_str()
            .unwrap();
        assert!(
            description.contains("odd ]]&gt; text &amp; more"),
            "{description}"
        );
    }

    #[test]
    fn kmz_holds_doc_kml() {
        let events = bundled_events().unwrap().events;
        let bytes = events_to_kmz(Some("T"), &events).unwrap();
        let (layer, _) = crate::formats::kml::parse_kmz("x.kmz", &bytes).unwrap();
        assert_eq!(layer.name, "T");
        assert_eq!(layer.features.len(), events.len());
    }
}
