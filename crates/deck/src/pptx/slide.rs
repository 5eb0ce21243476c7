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
        geometry.map,
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

/// The card: heading and lines in a text frame (the layout's body placeholder with a
/// template), the claims as a table below them, the sources at the bottom.
fn card_shapes(shapes: &mut Shapes, card: &SlideCard, area: EmuRect, placement: Placement) {
    let line_height = area.cy / 22;
    let mut paragraphs = vec![paragraph(&card.heading, Some(1800), true, None)];
    paragraphs.extend(
        card.lines
            .iter()
            .map(|line| paragraph(line, Some(1300), false, None)),
    );
    let head_lines = i64::try_from(1 + card.lines.len()).unwrap_or(8);
    let rows = i64::try_from(card.claims.len() + 1).unwrap_or(1);
    let table_height = if card.claims.is_empty() {
        0
    } else {
        line_height * 3 / 2 * rows
    };
    let source_lines = i64::try_from(card.sources.len().min(8) + 1).unwrap_or(9);
    let text_height = (line_height * (head_lines * 3 / 2 + 1)).min(area.cy / 2);
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
    let mut y = text_rect.bottom();
    if !card.claims.is_empty() {
        let id = shapes.id();
        let rect = EmuRect {
            y,
            cy: table_height,
            ..area
        };
        table(&mut shapes.xml, id, rect, &card.claim_header, &card.claims);
        y += table_height + line_height / 2;
    }
    if !card.sources.is_empty() {
        let mut lines = vec![paragraph("Sources", Some(1200), true, None)];
        lines.extend(
            card.sources
                .iter()
                .map(|source| paragraph(source, Some(1000), false, None)),
        );
        let rect = EmuRect {
            y,
            cy: (area.bottom() - y).max(line_height * source_lines.min(3)),
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

/// A table with a header row, thin grey rules and a shaded header.
fn table(out: &mut String, id: u32, rect: EmuRect, header: &[String], rows: &[Vec<String>]) {
    let columns = header.len().max(1);
    let column_width = rect.cx / i64::try_from(columns).unwrap_or(1);
    let row_height = rect.cy / i64::try_from(rows.len() + 1).unwrap_or(1);
    let rule = |side: &str| {
        format!(
            "<a:{side} w=\"6350\"><a:solidFill><a:srgbClr val=\"808080\"/></a:solidFill></a:{side}>"
        )
    };
    let rules = ["lnL", "lnR", "lnT", "lnB"].map(rule).concat();
    let cell = |text: &str, head: bool| {
        let fill = if head {
            "<a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill>"
        } else {
            ""
        };
        format!(
            "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{}</a:txBody><a:tcPr marL=\"45720\" marR=\"45720\" \
             marT=\"22860\" marB=\"22860\">{rules}{fill}</a:tcPr></a:tc>",
            paragraph(text, Some(1100), head, Some("000000"))
        )
    };
    let mut grid = String::new();
    for _ in 0..columns {
        let _ = write!(grid, "<a:gridCol w=\"{column_width}\"/>");
    }
    let mut body = format!("<a:tr h=\"{row_height}\">");
    for name in header {
        body.push_str(&cell(name, true));
    }
    body.push_str("</a:tr>");
    for row in rows {
        let _ = write!(body, "<a:tr h=\"{row_height}\">");
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
        column_width * i64::try_from(columns).unwrap_or(1),
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
