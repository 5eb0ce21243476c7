//! KML style colours: `Style` (inline or shared by id) and `StyleMap` (its `normal` pair), with
//! the `aabbggrr` colours of `LineStyle`, `PolyStyle` and `IconStyle` turned into the
//! simplestyle properties the app reads: `stroke`, `stroke-opacity`, `fill`, `fill-opacity`,
//! `marker-color` (colours as `#rrggbb`, opacities 0..1).

use crate::formats::xml_tree::Element;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Style maps that point to style maps are followed this far.
const MAX_STYLE_HOPS: usize = 4;

/// The shared styles and style maps of a document, by id.
#[derive(Default)]
pub(super) struct Styles<'e> {
    styles: HashMap<&'e str, &'e Element>,
    /// A style map's `normal` style URL.
    maps: HashMap<&'e str, &'e str>,
}

impl<'e> Styles<'e> {
    /// Collects every `Style` and `StyleMap` with an id, wherever it is in the document.
    pub fn collect(root: &'e Element) -> Self {
        let mut styles = Self::default();
        styles.visit(root);
        styles
    }

    fn visit(&mut self, element: &'e Element) {
        for child in &element.children {
            match child.name.as_str() {
                "Style" => {
                    if let Some(id) = child.attribute("id") {
                        self.styles.entry(id).or_insert(child);
                    }
                }
                "StyleMap" => {
                    let normal = child.children_named("Pair").find_map(|pair| {
                        (pair.child_text("key") == Some("normal"))
                            .then(|| pair.child_text("styleUrl"))
                            .flatten()
                    });
                    if let (Some(id), Some(url)) = (child.attribute("id"), normal) {
                        self.maps.entry(id).or_insert(url);
                    }
                }
                "Placemark" => {}
                _ => self.visit(child),
            }
        }
    }

    /// The style a `styleUrl` names: `#id` of a Style or of a StyleMap's normal style. URLs to
    /// other files (`other.kml#id`) are not followed.
    fn resolve(&self, url: &str) -> Option<&'e Element> {
        let mut url = url.trim();
        for _ in 0..MAX_STYLE_HOPS {
            let id = url.strip_prefix('#')?;
            if let Some(style) = self.styles.get(id) {
                return Some(style);
            }
            url = self.maps.get(id)?.trim();
        }
        None
    }

    /// Adds the colours of a placemark's style (its `styleUrl`, then its inline `Style` or
    /// `StyleMap`, which wins) to its properties.
    pub fn add_colours(&self, placemark: &Element, properties: &mut Map<String, Value>) {
        let mut styles: Vec<&Element> = Vec::new();
        if let Some(shared) = placemark
            .child_text("styleUrl")
            .and_then(|url| self.resolve(url))
        {
            styles.push(shared);
        }
        styles.extend(placemark.child("Style"));
        if let Some(inline_map) = placemark.child("StyleMap") {
            let normal = inline_map.children_named("Pair").find_map(|pair| {
                if pair.child_text("key") != Some("normal") {
                    return None;
                }
                pair.child("Style").or_else(|| {
                    pair.child_text("styleUrl")
                        .and_then(|url| self.resolve(url))
                })
            });
            styles.extend(normal);
        }
        for style in styles {
            let parts = [
                ("LineStyle", "stroke", "stroke-opacity"),
                ("PolyStyle", "fill", "fill-opacity"),
                ("IconStyle", "marker-color", ""),
            ];
            for (element, colour_key, opacity_key) in parts {
                let Some(part) = style.child(element) else {
                    continue;
                };
                if let Some((rgb, alpha)) = part.child_text("color").and_then(kml_colour) {
                    properties.insert(colour_key.into(), Value::String(rgb));
                    if !opacity_key.is_empty() {
                        properties.insert(opacity_key.into(), Value::from(alpha));
                    }
                }
                if element == "PolyStyle" && part.child_text("fill") == Some("0") {
                    properties.insert("fill-opacity".into(), Value::from(0.0));
                }
                if element == "LineStyle"
                    && let Some(width) =
                        part.child_text("width").and_then(|w| w.parse::<f64>().ok())
                    && width.is_finite()
                {
                    properties.insert("stroke-width".into(), Value::from(width));
                }
            }
        }
    }
}

/// A KML colour `aabbggrr` as `#rrggbb` and an opacity 0..1 (rounded to hundredths).
pub(crate) fn kml_colour(text: &str) -> Option<(String, f64)> {
    let text = text.trim().trim_start_matches('#');
    if text.len() != 8 || !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |at: usize| {
        text.get(at..at + 2)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
    };
    let (alpha, blue, green, red) = (byte(0)?, byte(2)?, byte(4)?, byte(6)?);
    let opacity = (f64::from(alpha) / 255.0 * 100.0).round() / 100.0;
    Some((format!("#{red:02x}{green:02x}{blue:02x}"), opacity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_aabbggrr() {
        assert_eq!(kml_colour("ff0000ff"), Some(("#ff0000".into(), 1.0)));
        assert_eq!(kml_colour(" 7fff0000 "), Some(("#0000ff".into(), 0.5)));
        assert_eq!(kml_colour("red"), None);
        assert_eq!(kml_colour("ff00ff"), None);
    }
}
