//! One slide's XML and its speaker notes' XML: editable text frames for the strips, the title,
//! the date line and the card, a real table for the claims, the map as a picture.

use super::geometry::{EmuRect, SlideGeometry};
use super::xml::{NS, escape};
use super::{PptxSlide, SlideCard};
use std::fmt::Write as _;

/// The caveat strips' colours (the app's amber band with dark text).
const STRIP_FILL: &str = "FFD966";
const STRIP_TEXT: &str = "1A1A1A";

/// How the title and the card are placed: in the layout's placeholders (a template), or in
/// Strikemap's own boxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Title in the layout's title placeholder, at its own place and style.
    TemplateTitle { body_placeholder: bool },
    /// Strikemap's own layout: title placeholder at Strikemap's title box.
    Own,
}

/// Shape ids count up from 2 (1 is the slide's shape tree).
struct Shapes {
    xml: String,
    next_id: u32,
}

impl Shapes {
    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }
}

/// The slide's XML; the picture is `rId2`.
pub fn slide_xml(slide: &PptxSlide, geometry: &SlideGeometry, placement: Placement) -> String {
    let mut shapes = Shapes {
        xml: String::new(),
        next_id: 1,
    };
    // The title: a placeholder, so outlines, accessibility checkers and templates see it.
    let title_box = match placement {
        Placement::TemplateTitle { .. } => None,
        Placement::Own => Some(geometry.title),
    };
    let id = shapes.id();
    placeholder(
        &mut shapes.xml,
        id,
        "Title",
        "<p:ph type=\"title\"/>",
        title_box,
        &[paragraph(&slide.title, None, false, None)],
    );
    let stamp_line = match &slide.case_caveat {
        Some(caveat) => vec![
            paragraph(&slide.date_stamp, Some(1400), false, None),
            paragraph(caveat, Some(1200), false, None).replace("<a:rPr ", "<a:rPr i=\"1\" "),
        ],
        None => vec![paragraph(&slide.date_stamp, Some(1400), false, None)],
    };
    let id = shapes.id();
    text_box(
        &mut shapes.xml,
        id,
        "Date stamp",
        geometry.stamp,
        None,
        &stamp_line,
    );
    let id = shapes.id();
    picture(
        &mut shapes.xml,
        id,
        geometry.map_rect(slide.card.is_some()),
        &slide.picture_description,
    );
    if let Some(card) = &slide.card {
        card_shapes(&mut shapes, card, geometry.card, placement);
    }
    if !slide.caveat.trim().is_empty() {
        for (name, rect) in [
            ("Classification (top)", geometry.strip_top),
            ("Classification (bottom)", geometry.strip_bottom),
        ] {
            let id = shapes.id();
            let line = paragraph(&slide.caveat, Some(1400), true, Some(STRIP_TEXT))
                .replace("<a:p>", "<a:p><a:pPr algn=\"ctr\"/>");
            text_box(&mut shapes.xml, id, name, rect, Some(STRIP_FILL), &[line]);
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<p:sld {NS}><p:cSld><p:spTree>\
         <p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>\
         <p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/><a:chOff x=\"0\" y=\"0\"/>\
         <a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>{}</p:spTree></p:cSld>\
         <p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>",
        shapes.xml
    )
}

/// EMU per inch and per point.
const EMU_PER_INCH: f64 = 914_400.0;

/// About how many lines `text` takes at `points` in a frame `width` EMU wide (an average
/// character is about half the type size wide).
fn lines(text: &str, points: f64, width: i64) -> f64 {
    let per_line = ((width as f64 / EMU_PER_INCH - 0.2) * 72.0 / (points * 0.5)).max(8.0);
    text.split('\n')
        .map(|part| (part.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum()
}

/// The height of `count` lines of `points` type, with a frame's insets, in EMU.
fn height(count: f64, points: f64) -> i64 {
    ((count * points * 1.2 / 72.0 + 0.12) * EMU_PER_INCH) as i64
}

/// Type sizes of the card, in points, at `scale`.
struct CardType {
    heading: f64,
    line: f64,
    cell: f64,
    source: f64,
}

impl CardType {
    fn at(scale: f64) -> Self {
        Self {
            heading: 18.0 * scale,
            line: 13.0 * scale,
            cell: 11.0 * scale,
            source: 10.0 * scale,
        }
    }
}

/// Hundredths of a point.
fn centipoints(points: f64) -> u32 {
    (points * 100.0).round() as u32
}

/// The claims table's column widths: the claimant's column wider than the figures'.
fn column_widths(columns: usize, width: i64) -> Vec<i64> {
    if columns <= 1 {
        return vec![width];
    }
    let first = width * 2 / 5;
    let rest = (width - first) / i64::try_from(columns - 1).unwrap_or(1);
    std::iter::once(first)
        .chain(std::iter::repeat_n(rest, columns - 1))
        .collect()
}

/// The card's three blocks' heights at a type size: text, table rows, sources.
fn card_heights(card: &SlideCard, width: i64, size: &CardType) -> (i64, Vec<i64>, i64) {
    let text_lines = lines(&card.heading, size.heading, width) * size.heading / size.line
        + card
            .lines
            .iter()
            .map(|line| lines(line, size.line, width))
            .sum::<f64>();
    let text = height(text_lines, size.line);
    let widths = column_widths(card.claim_header.len(), width);
    let row_height = |row: &[String]| {
        let most = row
            .iter()
            .zip(&widths)
            .map(|(cell, column)| lines(cell, size.cell, *column))
            .fold(1.0, f64::max);
        height(most, size.cell)
    };
    let rows = if card.claims.is_empty() {
        Vec::new()
    } else {
        std::iter::once(row_height(&card.claim_header))
            .chain(card.claims.iter().map(|row| row_height(row)))
            .collect()
    };
    let sources = if card.sources.is_empty() {
        0
    } else {
        let count = 1.2
            + card
                .sources
                .iter()
                .map(|source| lines(source, size.source, width))
                .sum::<f64>();
        height(count, size.source)
    };
    (text, rows, sources)
}

/// The card: heading and lines in a text frame (the layout's body placeholder with a
/// template), the claims as a table below them, the sources at the bottom; the type made
/// smaller, down to 55 %, until the three fit the card's box.
fn card_shapes(shapes: &mut Shapes, card: &SlideCard, area: EmuRect, placement: Placement) {
    let gap = area.cy / 60;
    let fits = |scale: f64| {
        let (text, rows, sources) = card_heights(card, area.cx, &CardType::at(scale));
        text + rows.iter().sum::<i64>() + sources + 2 * gap <= area.cy
    };
    let scale = (0..=9)
        .map(|step| 1.0 - f64::from(step) * 0.05)
        .find(|scale| fits(*scale))
        .unwrap_or(0.55);
    let size = CardType::at(scale);
    let (text_height, rows, sources_height) = card_heights(card, area.cx, &size);
    let mut paragraphs = vec![paragraph(
        &card.heading,
        Some(centipoints(size.heading)),
        true,
        None,
    )];
    paragraphs.extend(
        card.lines
            .iter()
            .map(|line| paragraph(line, Some(centipoints(size.line)), false, None)),
    );
    let text_rect = EmuRect {
        cy: text_height,
        ..area
    };
    let id = shapes.id();
    match placement {
        Placement::TemplateTitle {
            body_placeholder: true,
        } => placeholder(
            &mut shapes.xml,
            id,
            "Card",
            "<p:ph idx=\"1\"/>",
            Some(text_rect),
            &paragraphs,
        ),
        _ => text_box(&mut shapes.xml, id, "Card", text_rect, None, &paragraphs),
    }
    let mut y = text_rect.bottom() + gap;
    if !rows.is_empty() {
        let id = shapes.id();
        let table_height: i64 = rows.iter().sum();
        let rect = EmuRect {
            y,
            cy: table_height,
            ..area
        };
        let claims = Claims {
            header: &card.claim_header,
            rows: &card.claims,
            row_heights: &rows,
            points: size.cell,
        };
        table(&mut shapes.xml, id, rect, &claims);
        y += table_height + gap;
    }
    if !card.sources.is_empty() {
        let mut lines = vec![paragraph(
            "Sources",
            Some(centipoints(size.source * 1.2)),
            true,
            None,
        )];
        lines.extend(
            card.sources
                .iter()
                .map(|source| paragraph(source, Some(centipoints(size.source)), false, None)),
        );
        let rect = EmuRect {
            y,
            cy: sources_height.max(area.bottom() - y),
            ..area
        };
        let id = shapes.id();
        text_box(&mut shapes.xml, id, "Sources", rect, None, &lines);
    }
}

/// `<a:p>` with one run; `size` in hundredths of a point.
fn paragraph(text: &str, size: Option<u32>, bold: bool, colour: Option<&str>) -> String {
    let mut attributes = String::from("lang=\"en-GB\" dirty=\"0\"");
    if let Some(size) = size {
        let _ = write!(attributes, " sz=\"{size}\"");
    }
    if bold {
        attributes.push_str(" b=\"1\"");
    }
    let fill = colour
        .map(|colour| format!("<a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill>"))
        .unwrap_or_default();
    let run_properties = if fill.is_empty() {
        format!("<a:rPr {attributes}/>")
    } else {
        format!("<a:rPr {attributes}>{fill}</a:rPr>")
    };
    format!(
        "<a:p><a:r>{run_properties}<a:t>{}</a:t></a:r></a:p>",
        escape(text)
    )
}

fn xfrm(rect: EmuRect) -> String {
    format!(
        "<a:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{}\"/></a:xfrm>",
        rect.x, rect.y, rect.cx, rect.cy
    )
}

fn text_box(
    out: &mut String,
    id: u32,
    name: &str,
    rect: EmuRect,
    fill: Option<&str>,
    paragraphs: &[String],
) {
    let fill = fill
        .map(|fill| format!("<a:solidFill><a:srgbClr val=\"{fill}\"/></a:solidFill>"))
        .unwrap_or_else(|| "<a:noFill/>".into());
    let _ = write!(
        out,
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"{}\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>\
         <p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>{fill}</p:spPr>\
         <p:txBody><a:bodyPr wrap=\"square\" lIns=\"91440\" tIns=\"45720\" rIns=\"91440\" bIns=\"45720\" \
         anchor=\"t\"><a:normAutofit/></a:bodyPr><a:lstStyle/>{}</p:txBody></p:sp>",
        escape(name),
        xfrm(rect),
        paragraphs.concat()
    );
}

fn placeholder(
    out: &mut String,
    id: u32,
    name: &str,
    ph: &str,
    rect: Option<EmuRect>,
    paragraphs: &[String],
) {
    let properties = rect.map(xfrm).unwrap_or_default();
    let _ = write!(
        out,
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"{}\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>\
         <p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{properties}</p:spPr>\
         <p:txBody><a:bodyPr><a:normAutofit/></a:bodyPr><a:lstStyle/>{}</p:txBody></p:sp>",
        escape(name),
        paragraphs.concat()
    );
}

fn picture(out: &mut String, id: u32, rect: EmuRect, description: &str) {
    let _ = write!(
        out,
        "<p:pic><p:nvPicPr><p:cNvPr id=\"{id}\" name=\"Map\" descr=\"{}\"/><p:cNvPicPr>\
         <a:picLocks noChangeAspect=\"1\"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>\
         <p:blipFill><a:blip r:embed=\"rId2\"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>\
         <p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr></p:pic>",
        escape(description),
        xfrm(rect)
    );
}

/// The claims table's cells and sizes.
struct Claims<'c> {
    header: &'c [String],
    rows: &'c [Vec<String>],
    /// The header's and each row's height, in EMU.
    row_heights: &'c [i64],
    points: f64,
}

/// A table with a header row, thin grey rules and a shaded header.
fn table(out: &mut String, id: u32, rect: EmuRect, claims: &Claims<'_>) {
    let columns = claims.header.len().max(1);
    let widths = column_widths(columns, rect.cx);
    let rule = |side: &str| {
        format!(
            "<a:{side} w=\"6350\"><a:solidFill><a:srgbClr val=\"808080\"/></a:solidFill></a:{side}>"
        )
    };
    let rules = ["lnL", "lnR", "lnT", "lnB"].map(rule).concat();
    let size = centipoints(claims.points);
    let cell = |text: &str, head: bool| {
        let fill = if head {
            "<a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill>"
        } else {
            ""
        };
        format!(
            "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{}</a:txBody><a:tcPr marL=\"45720\" marR=\"45720\" \
             marT=\"22860\" marB=\"22860\">{rules}{fill}</a:tcPr></a:tc>",
            paragraph(text, Some(size), head, Some("000000"))
        )
    };
    let mut grid = String::new();
    for width in &widths {
        let _ = write!(grid, "<a:gridCol w=\"{width}\"/>");
    }
    let row_height = |index: usize| claims.row_heights.get(index).copied().unwrap_or(rect.cy);
    let mut body = format!("<a:tr h=\"{}\">", row_height(0));
    for name in claims.header {
        body.push_str(&cell(name, true));
    }
    body.push_str("</a:tr>");
    for (index, row) in claims.rows.iter().enumerate() {
        let _ = write!(body, "<a:tr h=\"{}\">", row_height(index + 1));
        for column in 0..columns {
            body.push_str(&cell(row.get(column).map_or("", String::as_str), false));
        }
        body.push_str("</a:tr>");
    }
    let _ = write!(
        out,
        "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"{id}\" name=\"Claims\"/>\
         <p:cNvGraphicFramePr><a:graphicFrameLocks noGrp=\"1\"/></p:cNvGraphicFramePr><p:nvPr/>\
         </p:nvGraphicFramePr><p:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{}\"/></p:xfrm>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\">\
         <a:tbl><a:tblPr firstRow=\"1\"/><a:tblGrid>{grid}</a:tblGrid>{body}</a:tbl></a:graphicData>\
         </a:graphic></p:graphicFrame>",
        rect.x,
        rect.y,
        widths.iter().sum::<i64>(),
        rect.cy
    );
}

/// The speaker notes: a paragraph per line.
pub fn notes_xml(lines: &[String]) -> String {
    let paragraphs: String = if lines.is_empty() {
        "<a:p><a:endParaRPr lang=\"en-GB\" dirty=\"0\"/></a:p>".into()
    } else {
        lines
            .iter()
            .map(|line| paragraph(line, None, false, None))
            .collect()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<p:notes {NS}><p:cSld><p:spTree>\
         <p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\
         <p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder 1\"/><p:cNvSpPr>\
         <a:spLocks noGrp=\"1\" noRot=\"1\" noChangeAspect=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"sldImg\"/>\
         </p:nvPr></p:nvSpPr><p:spPr/></p:sp>\
         <p:sp><p:nvSpPr><p:cNvPr id=\"3\" name=\"Notes Placeholder 2\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/>\
         </p:cNvSpPr><p:nvPr><p:ph type=\"body\" idx=\"1\"/></p:nvPr></p:nvSpPr><p:spPr/>\
         <p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>\
         </p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crowded_card(claims: usize, sources: usize) -> SlideCard {
        SlideCard {
            heading: "Iran strikes Panjgur district, Balochistan".into(),
            lines: vec!["16 Jan 2024 · Iran struck Pakistan".into(); 4],
            claim_header: ["Claimant", "Source", "Killed", "Injured"]
                .map(String::from)
                .to_vec(),
            claims: vec![
                ["Makran division commissioner", "[T1]", "≥2", "4"]
                    .map(String::from)
                    .to_vec();
                claims
            ],
            sources: vec!["[A1] Al Jazeera, 2024-01-19".into(); sources],
        }
    }

    #[test]
    fn a_crowded_card_is_set_smaller_until_it_fits_its_box() {
        let area = EmuRect {
            x: 8_000_000,
            y: 1_900_000,
            cx: 4_100_000,
            cy: 4_500_000,
        };
        let fitted = |card: &SlideCard| {
            (0..=9)
                .map(|step| 1.0 - f64::from(step) * 0.05)
                .find(|scale| {
                    let (text, rows, sources) = card_heights(card, area.cx, &CardType::at(*scale));
                    text + rows.iter().sum::<i64>() + sources <= area.cy
                })
        };
        assert_eq!(fitted(&crowded_card(2, 2)), Some(1.0));
        let crowded = fitted(&crowded_card(8, 9)).unwrap_or(0.0);
        assert!((0.55..1.0).contains(&crowded), "{crowded}");
        // A wrapped claimant makes its row taller than a one-line row.
        let (_, rows, _) = card_heights(&crowded_card(1, 0), area.cx, &CardType::at(1.0));
        assert!(rows[1] > rows[0], "{rows:?}");
        let mut shapes = Shapes {
            xml: String::new(),
            next_id: 1,
        };
        card_shapes(&mut shapes, &crowded_card(8, 9), area, Placement::Own);
        assert_eq!(shapes.xml.matches("<a:tr ").count(), 9);
        assert_eq!(shapes.xml.matches("<a:gridCol ").count(), 4);
    }
}
