//! What a deck is built on: an organisation's template (its masters, layouts, theme, fonts and
//! logo, copied as they are) or Strikemap's own plain master. Either way a [`Base`] holds the
//! parts to copy, the content types and presentation relationships to keep, the
//! `presentation.xml` to add the slides to, the slide size, the layout the slides use and where
//! its title ends.
//!
//! A template's own slides, notes and document properties are left out; the rest is copied
//! byte for byte. The XML is read by looking for the few tags needed (PowerPoint, LibreOffice
//! and python-pptx all write the `p:` and `a:` prefixes).

use super::geometry::{SlideGeometry, slide_size_for};
use super::xml::{
    self, REL_NOTES_MASTER, REL_PRES_PROPS, REL_SLIDE, REL_SLIDE_MASTER, REL_TABLE_STYLES,
    REL_THEME,
};
use crate::DeckError;
use std::io::Read;
use std::path::Path;

/// A template's file may not be larger than this, nor any part inflate past it.
const MAX_TEMPLATE_BYTES: u64 = 200 * 1024 * 1024;

/// A relationship: id, type, target.
pub type Rel = (String, String, String);

#[derive(Clone, Debug, PartialEq)]
pub struct Base {
    /// Parts copied as they are: (name in the zip, bytes).
    pub parts: Vec<(String, Vec<u8>)>,
    pub defaults: Vec<(String, String)>,
    pub overrides: Vec<(String, String)>,
    pub presentation_xml: String,
    pub presentation_rels: Vec<Rel>,
    pub slide_size: (i64, i64),
    /// The layout the slides use, as a target from a slide (`../slideLayouts/…`), its name and
    /// whether it has a body placeholder (`idx="1"`) for the card.
    pub layout_target: String,
    pub layout_name: String,
    pub layout_has_body: bool,
    /// Where the layout's title ends (EMU from the top), when it says.
    pub title_bottom: Option<i64>,
    /// The notes master, as a target from `ppt/` (`notesMasters/…`).
    pub notes_master: String,
    /// Whether this is a template (its title keeps its own place and style).
    pub is_template: bool,
}

impl Base {
    /// Strikemap's own master for slides of pictures `size_px`.
    pub fn own(size_px: [u32; 2]) -> Self {
        let (width, height) = slide_size_for(size_px[0], size_px[1]);
        let geometry = SlideGeometry::new(width, height, None);
        let title = geometry.title;
        let parts = vec![
            (
                "ppt/slideMasters/slideMaster1.xml".to_owned(),
                xml::slide_master((title.x, title.y, title.cx, title.cy)),
            ),
            (
                "ppt/slideMasters/_rels/slideMaster1.xml.rels".to_owned(),
                xml::rels(&[
                    (
                        "rId1".into(),
                        xml::REL_SLIDE_LAYOUT,
                        "../slideLayouts/slideLayout1.xml".into(),
                    ),
                    ("rId2".into(), REL_THEME, "../theme/theme1.xml".into()),
                ]),
            ),
            (
                "ppt/slideLayouts/slideLayout1.xml".to_owned(),
                xml::title_only_layout(),
            ),
            (
                "ppt/slideLayouts/_rels/slideLayout1.xml.rels".to_owned(),
                xml::rels(&[(
                    "rId1".into(),
                    REL_SLIDE_MASTER,
                    "../slideMasters/slideMaster1.xml".into(),
                )]),
            ),
            ("ppt/theme/theme1.xml".to_owned(), xml::theme("Strikemap")),
            (
                "ppt/theme/theme2.xml".to_owned(),
                xml::theme("Strikemap notes"),
            ),
            (
                "ppt/notesMasters/notesMaster1.xml".to_owned(),
                xml::notes_master(),
            ),
            (
                "ppt/notesMasters/_rels/notesMaster1.xml.rels".to_owned(),
                xml::rels(&[("rId1".into(), REL_THEME, "../theme/theme2.xml".into())]),
            ),
            ("ppt/presProps.xml".to_owned(), xml::pres_props()),
            ("ppt/tableStyles.xml".to_owned(), xml::table_styles()),
        ];
        let overrides = [
            ("/ppt/slideMasters/slideMaster1.xml", "slideMaster"),
            ("/ppt/slideLayouts/slideLayout1.xml", "slideLayout"),
            ("/ppt/theme/theme1.xml", "theme"),
            ("/ppt/theme/theme2.xml", "theme"),
            ("/ppt/notesMasters/notesMaster1.xml", "notesMaster"),
            ("/ppt/presProps.xml", "presProps"),
            ("/ppt/tableStyles.xml", "tableStyles"),
        ]
        .map(|(part, kind)| (part.to_owned(), xml::content_type(kind)))
        .to_vec();
        let presentation_xml = format!(
            "{}<p:presentation {} saveSubsetFonts=\"1\"><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" \
             r:id=\"rId1\"/></p:sldMasterIdLst><p:sldSz cx=\"{width}\" cy=\"{height}\"{}/>\
             <p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>",
            xml::XML_HEAD,
            xml::NS,
            match (width, height) {
                (12_192_000, 6_858_000) => "",
                (9_144_000, 6_858_000) => " type=\"screen4x3\"",
                _ => " type=\"custom\"",
            }
        );
        Self {
            parts: parts
                .into_iter()
                .map(|(name, text)| (name, text.into_bytes()))
                .collect(),
            defaults: Vec::new(),
            overrides,
            presentation_xml,
            presentation_rels: vec![
                (
                    "rId1".into(),
                    REL_SLIDE_MASTER.into(),
                    "slideMasters/slideMaster1.xml".into(),
                ),
                ("rId2".into(), REL_THEME.into(), "theme/theme1.xml".into()),
                ("rId3".into(), REL_PRES_PROPS.into(), "presProps.xml".into()),
                (
                    "rId4".into(),
                    REL_TABLE_STYLES.into(),
                    "tableStyles.xml".into(),
                ),
                (
                    "rId5".into(),
                    REL_NOTES_MASTER.into(),
                    "notesMasters/notesMaster1.xml".into(),
                ),
            ],
            slide_size: (width, height),
            layout_target: "../slideLayouts/slideLayout1.xml".into(),
            layout_name: "Title Only".into(),
            layout_has_body: false,
            title_bottom: None,
            notes_master: "notesMasters/notesMaster1.xml".into(),
            is_template: false,
        }
    }

    /// An organisation's template (`.pptx` or `.potx`): its parts less its slides, notes and
    /// document properties; the slides use its "Title and Content" layout (the card in its
    /// body placeholder), else its "Title Only", else its first layout.
    pub fn template(path: &Path) -> Result<Self, DeckError> {
        let fail =
            |what: String| DeckError::new(format!("not a PowerPoint template: {what}")).at(path);
        let file = std::fs::File::open(path)
            .map_err(|e| DeckError::io(path, "cannot open the template", e))?;
        let mut archive =
            zip::ZipArchive::new(file).map_err(|e| fail(format!("not a zip archive ({e})")))?;
        let mut parts = Vec::new();
        let mut total = 0u64;
        for index in 0..archive.len() {
            let mut entry = archive
                .by_index(index)
                .map_err(|e| fail(format!("entry {}: {e}", index + 1)))?;
            if entry.is_dir() {
                continue;
            }
            let name = entry
                .name()
                .map_err(|e| fail(format!("entry {}: {e}", index + 1)))?
                .into_owned();
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX_TEMPLATE_BYTES - total + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| fail(format!("{name}: {e}")))?;
            total += bytes.len() as u64;
            if total > MAX_TEMPLATE_BYTES {
                return Err(fail(format!(
                    "it inflates past {} MB",
                    MAX_TEMPLATE_BYTES >> 20
                )));
            }
            parts.push((name, bytes));
        }
        let text = |name: &str| -> Result<String, DeckError> {
            let bytes = parts
                .iter()
                .find(|(part, _)| part == name)
                .map(|(_, bytes)| bytes.clone())
                .ok_or_else(|| fail(format!("it has no {name}")))?;
            String::from_utf8(bytes).map_err(|_| fail(format!("{name} is not UTF-8")))
        };
        let content_types = text("[Content_Types].xml")?;
        let presentation_xml = text("ppt/presentation.xml")?;
        let presentation_rels = parse_rels(&text("ppt/_rels/presentation.xml.rels")?);
        let slide_size = tag(&presentation_xml, "p:sldSz")
            .and_then(|sz| Some((attr(sz, "cx")?.parse().ok()?, attr(sz, "cy")?.parse().ok()?)))
            .ok_or_else(|| fail("ppt/presentation.xml has no p:sldSz".into()))?;
        if !presentation_xml.contains("</p:sldMasterIdLst>") {
            return Err(fail("ppt/presentation.xml has no p:sldMasterIdLst".into()));
        }
        let mut layouts: Vec<(String, String, String)> = Vec::new();
        for (name, bytes) in &parts {
            if let Some(file) = name.strip_prefix("ppt/slideLayouts/")
                && !file.contains('/')
                && file.ends_with(".xml")
            {
                let xml = String::from_utf8_lossy(bytes).into_owned();
                let layout_name = tag(&xml, "p:cSld")
                    .and_then(|c| attr(c, "name"))
                    .unwrap_or_default();
                layouts.push((file.to_owned(), layout_name, xml));
            }
        }
        layouts.sort_by_key(|(file, ..)| (file.len(), file.clone()));
        let chosen = ["Title and Content", "Title Only"]
            .iter()
            .find_map(|wanted| {
                layouts
                    .iter()
                    .find(|(_, name, _)| name.eq_ignore_ascii_case(wanted))
            })
            .or(layouts.first())
            .ok_or_else(|| fail("it has no slide layouts".into()))?;
        let (layout_file, layout_name, layout_xml) = chosen.clone();
        let master_xml = parts
            .iter()
            .find(|(name, _)| {
                name.starts_with("ppt/slideMasters/")
                    && name.ends_with(".xml")
                    && !name.contains("_rels")
            })
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        let title_bottom = title_bottom(&layout_xml).or_else(|| title_bottom(&master_xml));
        let layout_has_body = layout_xml.contains("idx=\"1\"");
        let kept_notes_master = presentation_rels
            .iter()
            .find(|(_, kind, _)| kind == REL_NOTES_MASTER)
            .map(|(_, _, target)| target.clone());
        let dropped = |name: &str| {
            name.starts_with("ppt/slides/")
                || name.starts_with("ppt/notesSlides/")
                || name.starts_with("ppt/comments/")
                || name.starts_with("docProps/")
                || matches!(
                    name,
                    "[Content_Types].xml"
                        | "_rels/.rels"
                        | "ppt/presentation.xml"
                        | "ppt/_rels/presentation.xml.rels"
                )
        };
        let mut defaults = Vec::new();
        let mut overrides = Vec::new();
        for (element, is_default) in tags(&content_types, "Default")
            .map(|t| (t, true))
            .chain(tags(&content_types, "Override").map(|t| (t, false)))
        {
            if is_default {
                if let (Some(extension), Some(kind)) =
                    (attr(element, "Extension"), attr(element, "ContentType"))
                {
                    defaults.push((extension, kind));
                }
            } else if let (Some(part), Some(kind)) =
                (attr(element, "PartName"), attr(element, "ContentType"))
                && !dropped(part.trim_start_matches('/'))
            {
                overrides.push((part, kind));
            }
        }
        let mut base = Self {
            parts: parts
                .into_iter()
                .filter(|(name, _)| !dropped(name))
                .collect(),
            defaults,
            overrides,
            presentation_xml,
            presentation_rels: presentation_rels
                .into_iter()
                .filter(|(_, kind, _)| {
                    kind != REL_SLIDE && kind != REL_NOTES_MASTER && !kind.ends_with("/comments")
                })
                .collect(),
            slide_size,
            layout_target: format!("../slideLayouts/{layout_file}"),
            layout_name,
            layout_has_body,
            title_bottom,
            notes_master: String::new(),
            is_template: true,
        };
        match kept_notes_master {
            Some(target) => base.notes_master = target,
            None => base.add_own_notes_master(),
        }
        Ok(base)
    }

    /// A notes master of Strikemap's (with a theme of its own) for a template that has none.
    fn add_own_notes_master(&mut self) {
        let theme = "ppt/theme/strikemapNotesTheme.xml";
        self.parts
            .push((theme.into(), xml::theme("Strikemap notes").into_bytes()));
        self.parts.push((
            "ppt/notesMasters/strikemapNotesMaster.xml".into(),
            xml::notes_master().into_bytes(),
        ));
        self.parts.push((
            "ppt/notesMasters/_rels/strikemapNotesMaster.xml.rels".into(),
            xml::rels(&[(
                "rId1".into(),
                REL_THEME,
                "../theme/strikemapNotesTheme.xml".into(),
            )])
            .into_bytes(),
        ));
        self.overrides
            .push((format!("/{theme}"), xml::content_type("theme")));
        self.overrides.push((
            "/ppt/notesMasters/strikemapNotesMaster.xml".into(),
            xml::content_type("notesMaster"),
        ));
        self.notes_master = "notesMasters/strikemapNotesMaster.xml".into();
    }
}

/// Where a part's title placeholder ends, from its `a:off` y and `a:ext` cy.
fn title_bottom(xml: &str) -> Option<i64> {
    let at = xml
        .find("type=\"title\"")
        .or_else(|| xml.find("type=\"ctrTitle\""))?;
    let shape = &xml[at..];
    let shape = &shape[..shape.find("</p:sp>").unwrap_or(shape.len())];
    let y: i64 = attr(tag(shape, "a:off")?, "y")?.parse().ok()?;
    let cy: i64 = attr(tag(shape, "a:ext")?, "cy")?.parse().ok()?;
    Some(y + cy)
}

/// The relationships of a `.rels` part.
pub fn parse_rels(xml: &str) -> Vec<Rel> {
    tags(xml, "Relationship")
        .filter_map(|element| {
            Some((
                attr(element, "Id")?,
                attr(element, "Type")?,
                attr(element, "Target")?,
            ))
        })
        .collect()
}

/// The first start tag `<name …>` (its text up to `>`).
fn tag<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
    tags(xml, name).next()
}

/// Every start tag `<name …>` in `xml`.
fn tags<'x>(xml: &'x str, name: &str) -> impl Iterator<Item = &'x str> {
    let open = format!("<{name}");
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let at = from + xml.get(from..)?.find(&open)?;
            let rest = &xml[at + open.len()..];
            from = at + open.len();
            if rest.starts_with([' ', '/', '>', '\n', '\r', '\t']) {
                let end = rest.find('>')?;
                return Some(&xml[at..at + open.len() + end + 1]);
            }
        }
    })
}

/// An attribute's value in a start tag, unescaped for the five entities.
fn attr(element: &str, name: &str) -> Option<String> {
    let pattern = format!(" {name}=\"");
    let start = element.find(&pattern)? + pattern.len();
    let end = start + element[start..].find('"')?;
    Some(
        element[start..end]
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Removes every `<name …>…</name>` and `<name …/>` element.
pub fn remove_element(xml: &mut String, name: &str) {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut from = 0;
    while let Some(found) = xml.get(from..).and_then(|rest| rest.find(&open)) {
        let at = from + found;
        let rest = &xml[at + open.len()..];
        if !rest.starts_with([' ', '/', '>']) {
            from = at + open.len();
            continue;
        }
        let Some(tag_end) = rest.find('>') else {
            return;
        };
        let end = if rest[..tag_end].ends_with('/') {
            at + open.len() + tag_end + 1
        } else if let Some(close_at) = xml[at..].find(&close) {
            at + close_at + close.len()
        } else {
            return;
        };
        xml.replace_range(at..end, "");
        from = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_removal() {
        let xml = "<a><p:sldSz cx=\"12\" cy=\"3\"/><p:sldIdLst><p:sldId id=\"256\"/></p:sldIdLst><p:sldIdLstX/></a>";
        let sz = tag(xml, "p:sldSz").unwrap_or_default();
        assert_eq!(attr(sz, "cx").as_deref(), Some("12"));
        assert_eq!(tags(xml, "p:sldId").count(), 1);
        let mut edited = xml.to_owned();
        remove_element(&mut edited, "p:sldIdLst");
        assert_eq!(edited, "<a><p:sldSz cx=\"12\" cy=\"3\"/><p:sldIdLstX/></a>");
        let shape = "<p:sp><p:ph type=\"title\"/><a:off x=\"1\" y=\"100\"/><a:ext cx=\"5\" cy=\"50\"/></p:sp>";
        assert_eq!(title_bottom(shape), Some(150));
        assert_eq!(attr("<x a=\"&amp;&quot;\">", "a").as_deref(), Some("&\""));
    }
}
