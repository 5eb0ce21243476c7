//! The fixed parts of a Strikemap deck without a template (a slide master with a "Title Only"
//! layout, a theme, a notes master), and the package's bookkeeping: content types and
//! relationships.

use std::fmt::Write as _;

/// The namespaces every slide part declares.
pub const NS: &str = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
     xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
     xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";

pub const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Relationship types.
pub const REL_OFFICE_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
pub const REL_CORE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
pub const REL_APP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
pub const REL_SLIDE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide";
pub const REL_SLIDE_LAYOUT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout";
pub const REL_SLIDE_MASTER: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster";
pub const REL_NOTES_SLIDE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide";
pub const REL_NOTES_MASTER: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster";
pub const REL_THEME: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";
pub const REL_IMAGE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
pub const REL_PRES_PROPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/presProps";
pub const REL_TABLE_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/tableStyles";

/// Content types.
const CT: &str = "application/vnd.openxmlformats-officedocument.presentationml.";
pub fn content_type(kind: &str) -> String {
    match kind {
        "theme" => "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        "core" => "application/vnd.openxmlformats-package.core-properties+xml".into(),
        "app" => "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        "tableStyles" => format!("{CT}tableStyles+xml"),
        "presentation" => format!("{CT}presentation.main+xml"),
        other => format!("{CT}{other}+xml"),
    }
}

/// Text for XML content and attributes (characters XML 1.0 forbids are dropped): the same
/// escaping the KML export uses.
pub fn escape(text: &str) -> String {
    strikemap_core::export::xml_text::xml_escape(text)
}

/// A relationships part.
pub fn rels(relationships: &[(String, &str, String)]) -> String {
    let mut xml = format!(
        "{XML_HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    for (id, kind, target) in relationships {
        let _ = write!(
            xml,
            "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"/>",
            escape(target)
        );
    }
    xml.push_str("</Relationships>");
    xml
}

/// `[Content_Types].xml` from (extension, type) defaults and (part, type) overrides.
pub fn content_types(defaults: &[(String, String)], overrides: &[(String, String)]) -> String {
    let mut xml = format!(
        "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    );
    for (extension, kind) in defaults {
        let _ = write!(
            xml,
            "<Default Extension=\"{}\" ContentType=\"{}\"/>",
            escape(extension),
            escape(kind)
        );
    }
    for (part, kind) in overrides {
        let _ = write!(
            xml,
            "<Override PartName=\"{}\" ContentType=\"{}\"/>",
            escape(part),
            escape(kind)
        );
    }
    xml.push_str("</Types>");
    xml
}

const CLR_MAP: &str = "<p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" \
     accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" \
     hlink=\"hlink\" folHlink=\"folHlink\"/>";

const GROUP: &str = "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>\
     <p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/><a:chOff x=\"0\" y=\"0\"/>\
     <a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>";

/// Strikemap's slide master: a title placeholder at `title` (x, y, cx, cy), body text in the
/// theme's minor font; its one layout is `rId1`, its theme `rId2`.
pub fn slide_master(title: (i64, i64, i64, i64)) -> String {
    let (x, y, cx, cy) = title;
    let level = |size: u32, bold: bool| {
        format!(
            "<a:defRPr sz=\"{size}\"{}><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill>\
             <a:latin typeface=\"+mn-lt\"/><a:ea typeface=\"+mn-ea\"/><a:cs typeface=\"+mn-cs\"/></a:defRPr>",
            if bold { " b=\"1\"" } else { "" }
        )
    };
    format!(
        "{XML_HEAD}<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>\
         <p:spTree>{GROUP}<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title Placeholder 1\"/><p:cNvSpPr>\
         <a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr><p:spPr>\
         <a:xfrm><a:off x=\"{x}\" y=\"{y}\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\">\
         <a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr anchor=\"b\"><a:normAutofit/></a:bodyPr><a:lstStyle/>\
         <a:p><a:r><a:rPr lang=\"en-GB\"/><a:t>Title</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld>{CLR_MAP}\
         <p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>\
         <p:txStyles><p:titleStyle><a:lvl1pPr algn=\"l\">{title_run}</a:lvl1pPr></p:titleStyle>\
         <p:bodyStyle><a:lvl1pPr>{body}</a:lvl1pPr></p:bodyStyle>\
         <p:otherStyle><a:lvl1pPr>{body}</a:lvl1pPr></p:otherStyle></p:txStyles></p:sldMaster>",
        title_run = level(3600, true).replace("+mn-", "+mj-"),
        body = level(1400, false),
    )
}

/// The "Title Only" layout; its master is `rId1`.
pub fn title_only_layout() -> String {
    format!(
        "{XML_HEAD}<p:sldLayout {NS} type=\"titleOnly\" preserve=\"1\"><p:cSld name=\"Title Only\"><p:spTree>{GROUP}\
         <p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title 1\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>\
         <p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>\
         <a:p><a:r><a:rPr lang=\"en-GB\"/><a:t>Title</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld>\
         <p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )
}

/// The notes master (a slide picture above the notes); its theme is `rId1`.
pub fn notes_master() -> String {
    format!(
        "{XML_HEAD}<p:notesMaster {NS}><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>\
         <p:spTree>{GROUP}\
         <p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder 1\"/><p:cNvSpPr><a:spLocks noGrp=\"1\" \
         noRot=\"1\" noChangeAspect=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"sldImg\" idx=\"2\"/></p:nvPr></p:nvSpPr>\
         <p:spPr><a:xfrm><a:off x=\"381000\" y=\"685800\"/><a:ext cx=\"6096000\" cy=\"3429000\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/><a:ln w=\"12700\"><a:solidFill>\
         <a:prstClr val=\"black\"/></a:solidFill></a:ln></p:spPr></p:sp>\
         <p:sp><p:nvSpPr><p:cNvPr id=\"3\" name=\"Notes Placeholder 2\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/>\
         </p:cNvSpPr><p:nvPr><p:ph type=\"body\" sz=\"quarter\" idx=\"3\"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>\
         <a:off x=\"685800\" y=\"4400550\"/><a:ext cx=\"5486400\" cy=\"3600450\"/></a:xfrm><a:prstGeom prst=\"rect\">\
         <a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang=\"en-GB\"/>\
         <a:t>Notes</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld>{CLR_MAP}\
         <p:notesStyle><a:lvl1pPr marL=\"0\" algn=\"l\"><a:defRPr sz=\"1200\"><a:solidFill><a:schemeClr val=\"tx1\"/>\
         </a:solidFill><a:latin typeface=\"+mn-lt\"/><a:ea typeface=\"+mn-ea\"/><a:cs typeface=\"+mn-cs\"/></a:defRPr>\
         </a:lvl1pPr></p:notesStyle></p:notesMaster>"
    )
}

/// A plain theme: Okabe–Ito accents, Calibri-like fonts named generically.
pub fn theme(name: &str) -> String {
    let colour =
        |name: &str, value: &str| format!("<a:{name}><a:srgbClr val=\"{value}\"/></a:{name}>");
    let colours = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "1F2A36"),
        ("lt2", "E7E6E6"),
        ("accent1", "0072B2"),
        ("accent2", "D55E00"),
        ("accent3", "009E73"),
        ("accent4", "E69F00"),
        ("accent5", "56B4E9"),
        ("accent6", "CC79A7"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ]
    .map(|(name, value)| colour(name, value))
    .concat();
    let font = |typeface: &str| {
        format!("<a:latin typeface=\"{typeface}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>")
    };
    let solid = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let line = |width: u32| {
        format!(
            "<a:ln w=\"{width}\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>"
        )
    };
    format!(
        "{XML_HEAD}<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"{}\">\
         <a:themeElements><a:clrScheme name=\"Strikemap\">{colours}</a:clrScheme>\
         <a:fontScheme name=\"Strikemap\"><a:majorFont>{}</a:majorFont><a:minorFont>{}</a:minorFont></a:fontScheme>\
         <a:fmtScheme name=\"Strikemap\"><a:fillStyleLst>{solid}{solid}{solid}</a:fillStyleLst>\
         <a:lnStyleLst>{}{}{}</a:lnStyleLst>\
         <a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>\
         <a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>\
         <a:bgFillStyleLst>{solid}{solid}{solid}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>\
         <a:objectDefaults/><a:extraClrSchemeLst/></a:theme>",
        escape(name),
        font("Calibri Light"),
        font("Calibri"),
        line(6350),
        line(12700),
        line(19050),
    )
}

/// An empty table style list (PowerPoint's default style named).
pub fn table_styles() -> String {
    format!(
        "{XML_HEAD}<a:tblStyleLst xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         def=\"{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}\"/>"
    )
}

pub fn pres_props() -> String {
    format!("{XML_HEAD}<p:presentationPr {NS}/>")
}

/// `docProps/core.xml`: title, subject and creator, created `when` (W3CDTF).
pub fn core_properties(title: &str, subject: Option<&str>, creator: &str, when: &str) -> String {
    format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:subject>{}</dc:subject>\
         <dc:creator>{}</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>",
        escape(title),
        escape(subject.unwrap_or("")),
        escape(creator)
    )
}

/// `docProps/app.xml`.
pub fn app_properties(creator: &str, slides: usize) -> String {
    format!(
        "{XML_HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>{}</Application><Slides>{slides}</Slides><Notes>{slides}</Notes></Properties>",
        escape(creator)
    )
}
