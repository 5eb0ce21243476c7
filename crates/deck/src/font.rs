//! The embedded font of the deck's searchable text: egui's own Ubuntu Light, subset to the
//! characters used, as one CID-keyed (Type0, Identity-H) font with a ToUnicode map.
//!
//! Every distinct character of the deck gets its own CID, in character order, so text
//! extraction gives back exactly the characters given, whether or not the font has a glyph for
//! them (Arabic-script names, say: the text is invisible, so a missing glyph is never seen).

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};

/// Ubuntu Light, egui's default proportional font (Ubuntu Font Licence 1.0, which allows
/// embedding fonts and subsets of them in documents).
const FONT_DATA: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;
const FONT_NAME: &str = "Ubuntu-Light";
/// Advance, in thousandths of an em, of a character the font has no glyph for.
const MISSING_WIDTH: f32 = 500.0;

/// The characters of one line of text as they go into the PDF: tabs as spaces, other control
/// characters dropped.
pub(crate) fn clean_chars(line: &str) -> impl Iterator<Item = char> + '_ {
    line.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
}

/// The deck's font: which CID each character has, and its glyph and width.
pub(crate) struct DeckFont {
    cid_of: BTreeMap<char, u16>,
    /// Per CID from 1: the glyph in the full font (0 when missing) and the advance (1/1000 em).
    glyphs: Vec<(u16, f32)>,
    /// Ascender and descender (descender negative), in 1/1000 em.
    pub ascent: f32,
    pub descent: f32,
}

impl DeckFont {
    /// A font covering every character of `texts`.
    pub(crate) fn covering<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let face = face()?;
        let em = f32::from(face.units_per_em().max(1));
        let mut cid_of: BTreeMap<char, u16> = BTreeMap::new();
        for text in texts {
            for c in clean_chars(text) {
                cid_of.insert(c, 0);
            }
        }
        if cid_of.len() >= usize::from(u16::MAX) {
            return Err(format!(
                "the deck's text has {} distinct characters, too many for one font",
                cid_of.len()
            ));
        }
        let mut glyphs = Vec::with_capacity(cid_of.len());
        for (next, (c, cid)) in (1u16..).zip(cid_of.iter_mut()) {
            *cid = next;
            glyphs.push(match face.glyph_index(*c) {
                Some(g) => (
                    g.0,
                    face.glyph_hor_advance(g)
                        .map_or(MISSING_WIDTH, |a| f32::from(a) * 1000.0 / em),
                ),
                None => (0, MISSING_WIDTH),
            });
        }
        Ok(Self {
            cid_of,
            glyphs,
            ascent: f32::from(face.ascender()) * 1000.0 / em,
            descent: f32::from(face.descender()) * 1000.0 / em,
        })
    }

    /// A line's CIDs as the bytes of a PDF string (2 bytes each, big-endian), and its natural
    /// width in 1/1000 em.
    pub(crate) fn encode(&self, line: &str) -> (Vec<u8>, f32) {
        let mut bytes = Vec::with_capacity(line.len() * 2);
        let mut width = 0.0;
        for c in clean_chars(line) {
            if let Some(&cid) = self.cid_of.get(&c) {
                bytes.extend_from_slice(&cid.to_be_bytes());
                width += self
                    .glyphs
                    .get(usize::from(cid) - 1)
                    .map_or(MISSING_WIDTH, |g| g.1);
            }
        }
        (bytes, width)
    }

    /// Writes the Type0 font as `type0` and its parts with ids from `next_id`.
    pub(crate) fn write(
        &self,
        pdf: &mut Pdf,
        type0: Ref,
        next_id: &mut impl FnMut() -> Ref,
    ) -> Result<(), String> {
        let face = face()?;
        let em = f32::from(face.units_per_em().max(1));
        let to_milli = |v: i16| f32::from(v) * 1000.0 / em;

        // Subset to the used glyphs (.notdef first); the full font if subsetting fails.
        let mut remapper = subsetter::GlyphRemapper::new();
        remapper.remap(0);
        let new_gids: Vec<u16> = self
            .glyphs
            .iter()
            .map(|&(g, _)| remapper.remap(g))
            .collect();
        let (font_program, gids) = match subsetter::subset(FONT_DATA, 0, &remapper) {
            Ok(subset) => (subset, new_gids),
            Err(_) => (
                FONT_DATA.to_vec(),
                self.glyphs.iter().map(|&(g, _)| g).collect(),
            ),
        };
        let base_font = format!("{}+{FONT_NAME}", subset_tag(&self.cid_of));
        let base_font = Name(base_font.as_bytes());

        let (cid_font, descriptor, font_file, cid_to_gid, to_unicode) =
            (next_id(), next_id(), next_id(), next_id(), next_id());
        pdf.type0_font(type0)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(to_unicode);

        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            })
            .font_descriptor(descriptor)
            .default_width(MISSING_WIDTH)
            .cid_to_gid_map_stream(cid_to_gid);
        cid.widths()
            .consecutive(1, self.glyphs.iter().map(|g| g.1.round()));
        cid.finish();

        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(base_font)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                to_milli(bbox.x_min),
                to_milli(bbox.y_min),
                to_milli(bbox.x_max),
                to_milli(bbox.y_max),
            ))
            .italic_angle(0.0)
            .ascent(self.ascent)
            .descent(self.descent)
            .cap_height(face.capital_height().map_or(self.ascent, to_milli))
            .stem_v(60.0)
            .font_file2(font_file);

        let program_len =
            i32::try_from(font_program.len()).map_err(|_| "the font is too large".to_string())?;
        pdf.stream(font_file, &deflate(&font_program))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program_len);

        let map: Vec<u8> = std::iter::once(0u16)
            .chain(gids)
            .flat_map(u16::to_be_bytes)
            .collect();
        pdf.stream(cid_to_gid, &deflate(&map))
            .filter(Filter::FlateDecode);

        let mut cmap = UnicodeCmap::new(
            Name(b"Strikemap-UCS"),
            SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"UCS"),
                supplement: 0,
            },
        );
        for (&c, &cid) in &self.cid_of {
            cmap.pair(cid, c);
        }
        pdf.cmap(to_unicode, &deflate(&cmap.finish()))
            .filter(Filter::FlateDecode);
        Ok(())
    }
}

fn face() -> Result<ttf_parser::Face<'static>, String> {
    ttf_parser::Face::parse(FONT_DATA, 0)
        .map_err(|e| format!("the embedded font cannot be read: {e}"))
}

/// The six capital letters that mark a subset font's name, derived from the characters it
/// covers (FNV-1a), so the same text gives the same file.
fn subset_tag(chars: &BTreeMap<char, u16>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars.keys() {
        hash = (hash ^ u64::from(u32::from(c))).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + u8::try_from((hash >> (i * 5)) % 26).unwrap_or(0)))
        .collect()
}

/// zlib-compressed `data`, for a `/FlateDecode` stream.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_gets_its_own_cid_even_without_a_glyph() {
        let font = DeckFont::covering(["Panjgur · 16 Jan", "پنجگور", "é–"]).unwrap();
        let (a, _) = font.encode("پ");
        let (b, _) = font.encode("ن");
        assert_eq!(a.len(), 2);
        assert_ne!(a, b);
        let (bytes, width) = font.encode("Panjgur\t·");
        assert_eq!(bytes.len(), 9 * 2);
        assert!(width > 2000.0 && width < 9000.0, "{width}");
        assert!(font.ascent > 500.0 && font.descent < 0.0);
    }

    #[test]
    fn the_font_has_the_latin_glyphs_the_deck_needs() {
        let face = face().unwrap();
        for c in "Panjgur · 16 Jan – é Sistan and Baluchestan".chars() {
            assert!(face.glyph_index(c).is_some(), "no glyph for {c:?}");
        }
    }

    #[test]
    fn subset_tag_is_six_capitals() {
        let font = DeckFont::covering(["abc"]).unwrap();
        let tag = subset_tag(&font.cid_of);
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
    }
}
