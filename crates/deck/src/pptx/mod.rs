//! The deck as an editable PowerPoint file (Office Open XML, written by hand into a zip): a
//! slide per story step with the map as a picture and everything else as text a user can edit
//! (the classification strips, title, date line, the event's card with its claims as a real
//! table, the sources), and speaker notes with every claim and source. On Strikemap's own plain
//! master, or on an organisation's template (its masters, layouts, theme and logo), the title
//! in the layout's title placeholder and the card in its body placeholder.

mod base;
mod geometry;
mod slide;
mod xml;

pub use geometry::{MapFrame, SlideGeometry};

use crate::{DeckError, DeckInfo};
use base::Base;
use slide::Placement;
use std::io::Write as _;
use std::path::Path;
use xml::{
    REL_APP, REL_CORE, REL_IMAGE, REL_NOTES_MASTER, REL_NOTES_SLIDE, REL_OFFICE_DOCUMENT,
    REL_SLIDE, REL_SLIDE_LAYOUT,
};

/// One slide of the PowerPoint deck.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PptxSlide {
    /// The map, as PNG bytes, at the shape of [`PptxLayout::map_frame`] (with a card or not).
    pub picture_png: Vec<u8>,
    /// The picture's alternative text.
    pub picture_description: String,
    pub title: String,
    /// "Map made … · information as of …".
    pub date_stamp: String,
    /// The case's own caveat, under the date line.
    pub case_caveat: Option<String>,
    /// The classification or caveat line, in a strip at the top and the bottom.
    pub caveat: String,
    pub card: Option<SlideCard>,
    /// The speaker notes, a paragraph per line.
    pub notes: Vec<String>,
}

/// The event's (or statement's) card.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SlideCard {
    pub heading: String,
    /// Who struck whom, the place, the border distance, the notes.
    pub lines: Vec<String>,
    /// The claims table's header and rows (empty for a statement).
    pub claim_header: Vec<String>,
    pub claims: Vec<Vec<String>>,
    /// "[A1] Al Jazeera, 2024-01-19".
    pub sources: Vec<String>,
}

/// The deck's shape: its base (template or Strikemap's own) and where things go.
#[derive(Clone, Debug, PartialEq)]
pub struct PptxLayout {
    base: Base,
    geometry: SlideGeometry,
}

impl PptxLayout {
    /// Strikemap's own master for pictures of `size_px` (16:9, 4:3 or any shape), or the
    /// template at `template` (whose slide size wins).
    pub fn new(size_px: [u32; 2], template: Option<&Path>) -> Result<Self, DeckError> {
        let base = match template {
            Some(path) => Base::template(path)?,
            None => Base::own(size_px),
        };
        let (width, height) = base.slide_size;
        let geometry = SlideGeometry::new(width, height, base.title_bottom);
        Ok(Self { base, geometry })
    }

    /// Where the map goes, as fractions of the slide, beside a card or (`with_card` false)
    /// across the slide: render the picture at this shape.
    pub fn map_frame(&self, with_card: bool) -> MapFrame {
        self.geometry.map_frame(with_card)
    }

    /// The layout the slides use ("Title Only", or the template's).
    pub fn layout_name(&self) -> &str {
        &self.base.layout_name
    }
}

/// Writes the deck to `path` atomically (beside it, then renamed over it).
pub fn write_pptx(
    path: &Path,
    info: &DeckInfo,
    layout: &PptxLayout,
    slides: &[PptxSlide],
) -> Result<(), DeckError> {
    let bytes = pptx_bytes(info, layout, slides).map_err(|e| e.at(path))?;
    crate::write_atomically(path, &bytes)
}

/// The deck as the bytes of a `.pptx` file.
pub fn pptx_bytes(
    info: &DeckInfo,
    layout: &PptxLayout,
    slides: &[PptxSlide],
) -> Result<Vec<u8>, DeckError> {
    if slides.is_empty() {
        return Err(DeckError::new("the deck has no slides"));
    }
    for (index, slide) in slides.iter().enumerate() {
        if !slide.picture_png.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(DeckError::on_page(index, "the map picture is not a PNG"));
        }
    }
    let base = &layout.base;
    let placement = if base.is_template {
        Placement::TemplateTitle {
            body_placeholder: base.layout_has_body,
        }
    } else {
        Placement::Own
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut overrides = base.overrides.clone();
    overrides.retain(|(part, _)| part != "/ppt/presentation.xml");
    overrides.push((
        "/ppt/presentation.xml".into(),
        xml::content_type("presentation"),
    ));
    overrides.push(("/docProps/core.xml".into(), xml::content_type("core")));
    overrides.push(("/docProps/app.xml".into(), xml::content_type("app")));
    let mut presentation_rels = base.presentation_rels.clone();
    let notes_master_id = "rIdStrikemapNotesMaster".to_owned();
    presentation_rels.push((
        notes_master_id.clone(),
        REL_NOTES_MASTER.into(),
        base.notes_master.clone(),
    ));
    let notes_master_target = format!("../{}", base.notes_master);
    let mut slide_ids = String::new();
    for (index, slide) in slides.iter().enumerate() {
        let n = index + 1;
        let rel_id = format!("rIdStrikemapSlide{n}");
        slide_ids.push_str(&format!("<p:sldId id=\"{}\" r:id=\"{rel_id}\"/>", 255 + n));
        presentation_rels.push((rel_id, REL_SLIDE.into(), format!("slides/slide{n}.xml")));
        files.push((
            format!("ppt/slides/slide{n}.xml"),
            slide::slide_xml(slide, &layout.geometry, placement).into_bytes(),
        ));
        files.push((
            format!("ppt/slides/_rels/slide{n}.xml.rels"),
            xml::rels(&[
                ("rId1".into(), REL_SLIDE_LAYOUT, base.layout_target.clone()),
                (
                    "rId2".into(),
                    REL_IMAGE,
                    format!("../media/strikemap-map{n}.png"),
                ),
                (
                    "rId3".into(),
                    REL_NOTES_SLIDE,
                    format!("../notesSlides/notesSlide{n}.xml"),
                ),
            ])
            .into_bytes(),
        ));
        files.push((
            format!("ppt/media/strikemap-map{n}.png"),
            slide.picture_png.clone(),
        ));
        files.push((
            format!("ppt/notesSlides/notesSlide{n}.xml"),
            slide::notes_xml(&slide.notes).into_bytes(),
        ));
        files.push((
            format!("ppt/notesSlides/_rels/notesSlide{n}.xml.rels"),
            xml::rels(&[
                ("rId1".into(), REL_NOTES_MASTER, notes_master_target.clone()),
                ("rId2".into(), REL_SLIDE, format!("../slides/slide{n}.xml")),
            ])
            .into_bytes(),
        ));
        overrides.push((
            format!("/ppt/slides/slide{n}.xml"),
            xml::content_type("slide"),
        ));
        overrides.push((
            format!("/ppt/notesSlides/notesSlide{n}.xml"),
            xml::content_type("notesSlide"),
        ));
    }
    let mut presentation = base.presentation_xml.clone();
    for element in [
        "p:notesMasterIdLst",
        "p:sldIdLst",
        "p:custShowLst",
        "p14:sectionLst",
    ] {
        base::remove_element(&mut presentation, element);
    }
    let notes_master_list = format!(
        "<p:notesMasterIdLst><p:notesMasterId r:id=\"{notes_master_id}\"/></p:notesMasterIdLst>"
    );
    presentation = presentation.replacen(
        "</p:sldMasterIdLst>",
        &format!("</p:sldMasterIdLst>{notes_master_list}"),
        1,
    );
    let Some(size_at) = presentation.find("<p:sldSz") else {
        return Err(DeckError::new(
            "the template's presentation.xml has no p:sldSz",
        ));
    };
    presentation.insert_str(size_at, &format!("<p:sldIdLst>{slide_ids}</p:sldIdLst>"));
    files.push(("ppt/presentation.xml".into(), presentation.into_bytes()));
    let rels: Vec<(String, &str, String)> = presentation_rels
        .iter()
        .map(|(id, kind, target)| (id.clone(), kind.as_str(), target.clone()))
        .collect();
    files.push((
        "ppt/_rels/presentation.xml.rels".into(),
        xml::rels(&rels).into_bytes(),
    ));
    let when = crate::date::w3c_now();
    files.push((
        "docProps/core.xml".into(),
        xml::core_properties(&info.title, info.subject.as_deref(), &info.creator, &when)
            .into_bytes(),
    ));
    files.push((
        "docProps/app.xml".into(),
        xml::app_properties(&info.creator, slides.len()).into_bytes(),
    ));
    files.push((
        "_rels/.rels".into(),
        xml::rels(&[
            (
                "rId1".into(),
                REL_OFFICE_DOCUMENT,
                "ppt/presentation.xml".into(),
            ),
            ("rId2".into(), REL_CORE, "docProps/core.xml".into()),
            ("rId3".into(), REL_APP, "docProps/app.xml".into()),
        ])
        .into_bytes(),
    ));
    let mut defaults = base.defaults.clone();
    for (extension, kind) in [
        (
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        ),
        ("xml", "application/xml"),
        ("png", "image/png"),
    ] {
        if !defaults
            .iter()
            .any(|(known, _)| known.eq_ignore_ascii_case(extension))
        {
            defaults.push((extension.into(), kind.into()));
        }
    }
    let content_types = xml::content_types(&defaults, &overrides);
    zip_parts(&content_types, base.parts.iter().chain(&files))
}

/// The package: `[Content_Types].xml` first, then every part, deflated.
fn zip_parts<'p>(
    content_types: &str,
    parts: impl Iterator<Item = &'p (String, Vec<u8>)>,
) -> Result<Vec<u8>, DeckError> {
    let failed = |e: &dyn std::fmt::Display| DeckError::new(format!("cannot zip the deck: {e}"));
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    archive
        .start_file("[Content_Types].xml", options)
        .map_err(|e| failed(&e))?;
    archive
        .write_all(content_types.as_bytes())
        .map_err(|e| failed(&e))?;
    for (name, bytes) in parts {
        // PNGs are already compressed.
        let how = if name.ends_with(".png") {
            stored
        } else {
            options
        };
        archive
            .start_file(name.as_str(), how)
            .map_err(|e| failed(&e))?;
        archive.write_all(bytes).map_err(|e| failed(&e))?;
    }
    let cursor = archive.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}
