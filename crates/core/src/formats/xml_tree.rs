//! A small element tree over quick-xml for the XML formats (KML, GPX): local names (the
//! namespace prefix dropped, so `gx:Track` is `Track`), attributes, text and CDATA, and each
//! element's place (line and column, counted while the document streams in, so it need not be
//! held whole: a KMZ's KML is parsed as it inflates). Nesting is limited
//! to [`MAX_XML_DEPTH`] so that the readers' recursion stays small.

use super::xml_source::Counted;
pub(crate) use super::xml_source::Place;
use crate::error::LoadError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Elements nested deeper than this are refused (real KML and GPX files nest a dozen deep).
pub const MAX_XML_DEPTH: usize = 64;

/// One XML element.
#[derive(Debug, Default)]
pub(crate) struct Element {
    /// The local name: `Track` for `<gx:Track>`.
    pub name: String,
    /// Attributes by local name, values unescaped.
    pub attributes: Vec<(String, String)>,
    /// The element's own text and CDATA, joined, entities resolved.
    pub text: String,
    pub children: Vec<Element>,
    /// Where the element's `<` is.
    pub place: Place,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The children named `name`, in order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The trimmed text of the first child named `name`, when it is not empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|child| child.text.trim())
            .filter(|text| !text.is_empty())
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A problem in a document, at a place (`None` when the document could not be read at all:
/// an I/O error, or an inflating archive entry refused).
#[derive(Debug)]
pub(crate) struct XmlError {
    pub place: Option<Place>,
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.place {
            Some(place) => write!(f, "{place}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    super::text_files::line_column(text.as_bytes(), offset)
}

fn place_in(text: &str, offset: usize) -> Place {
    let (line, column) = line_column(text, offset);
    Place {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

fn local_name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn element_of(start: &BytesStart<'_>, place: Place) -> Result<Element, XmlError> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| XmlError {
            place: Some(place),
            message: format!("not valid XML: {error}"),
        })?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| XmlError {
                place: Some(place),
                message: format!("not valid XML: {error}"),
            })?;
        attributes.push((
            local_name(attribute.key.local_name().as_ref()),
            value.into_owned(),
        ));
    }
    Ok(Element {
        name: local_name(start.local_name().as_ref()),
        attributes,
        text: String::new(),
        children: Vec::new(),
        place,
    })
}

/// The named entities of XML itself.
fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Parses a whole XML document into its root element. Errors carry the place.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Result<Element, XmlError> {
    parse_from(text.as_bytes())
}

/// Parses an XML document read from `source` as a stream (a byte-order mark is ignored): only
/// the tree and one event's bytes are held, never the whole text. Errors carry the place.
pub(crate) fn parse_from(source: impl std::io::Read) -> Result<Element, XmlError> {
    let mut reader = Reader::from_reader(Counted::new(source));
    let mut buf = Vec::new();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        buf.clear();
        let place = reader.get_mut().mark();
        let read = reader.read_event_into(&mut buf);
        if let Some((place, message)) = reader.get_ref().utf8_problem(read.is_ok()) {
            return Err(XmlError {
                place: Some(place),
                message,
            });
        }
        let event = read.map_err(|error| match error {
            quick_xml::Error::Io(error) => XmlError {
                place: None,
                message: error.to_string(),
            },
            other => XmlError {
                place: Some(reader.get_ref().place_of(reader.error_position())),
                message: format!("not valid XML: {other}"),
            },
        })?;
        let problem = |message: String| XmlError {
            place: Some(place),
            message,
        };
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let name = local_name(start.name().as_ref());
                return Err(problem(format!(
                    "not valid XML: a second root element <{name}> after the first one ended"
                )));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(problem(format!(
                        "elements are nested deeper than {MAX_XML_DEPTH}"
                    )));
                }
                stack.push(element_of(&start, place)?);
            }
            Event::Empty(start) => {
                let element = element_of(&start, place)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                // quick-xml checks that the end tag matches the open one.
                let Some(element) = stack.pop() else {
                    return Err(problem(
                        "not valid XML: an end tag with no start tag".into(),
                    ));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(content) => {
                let content = content
                    .decode()
                    .map_err(|error| problem(format!("not valid XML: {error}")))?;
                match stack.last_mut() {
                    Some(element) => element.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => {
                        return Err(problem(
                            "not valid XML: text outside the root element".into(),
                        ));
                    }
                }
            }
            Event::CData(content) => {
                let content = content
                    .decode()
                    .map_err(|error| problem(format!("not valid XML: {error}")))?;
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    reference.resolve_char_ref().ok().flatten()
                } else {
                    reference
                        .decode()
                        .ok()
                        .and_then(|name| predefined_entity(&name))
                };
                let Some(character) = resolved else {
                    let name = String::from_utf8_lossy(&reference);
                    return Err(problem(format!(
                        "not valid XML: unknown entity &{name}; (only &amp; &lt; &gt; &quot; \
                         &apos; and character references are read)"
                    )));
                };
                if let Some(element) = stack.last_mut() {
                    element.text.push(character);
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => {
                let end = Some(reader.get_ref().here());
                if let Some(open) = stack.last() {
                    return Err(XmlError {
                        place: end,
                        message: format!(
                            "not valid XML: the file ends inside <{}> (opened at {}); is it cut \
                             short?",
                            open.name, open.place
                        ),
                    });
                }
                return root.ok_or_else(|| XmlError {
                    place: end,
                    message: "not valid XML: there is no element".into(),
                });
            }
        }
    }
}

/// Parses a whole document (a byte-order mark is ignored) whose root element must be `root`;
/// errors name the file and the place. `format` names the format in messages ("KML").
pub(crate) fn parse_document(
    file: &str,
    text: &str,
    root: &str,
    format: &str,
) -> Result<Element, LoadError> {
    parse_document_from(file, text.as_bytes(), root, format)
}

/// [`parse_document`] of a document read from `source` as a stream.
pub(crate) fn parse_document_from(
    file: &str,
    source: impl std::io::Read,
    root: &str,
    format: &str,
) -> Result<Element, LoadError> {
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let element = parse_from(source).map_err(|error| document_error(error.to_string()))?;
    if element.name != root {
        return Err(document_error(format!(
            "XML, but not {format}: the root element is <{}>, expected <{root}>",
            element.name
        )));
    }
    Ok(element)
}

/// The local name of a document's root element (after any XML declaration, comments or
/// doctype), read no further than it: for telling KML from GPX. Errors name the file and place.
pub(crate) fn root_element_name(file: &str, text: &str) -> Result<String, LoadError> {
    root_name(text).map_err(|error| LoadError::Document {
        file: file.to_owned(),
        message: error.to_string(),
    })
}

/// Why a document whose root element is `name` is not read.
pub(crate) fn unknown_root_message(name: &str) -> String {
    if name.eq_ignore_ascii_case("html") {
        "an HTML page, not data (a download that returned a web page instead of the file?)".into()
    } else {
        format!(
            "XML, but not a recognised format: the root element is <{name}>; KML (<kml>) and GPX \
             (<gpx>) are read"
        )
    }
}

/// The local name of the root element, read no further than it: for telling KML from GPX.
fn root_name(text: &str) -> Result<String, XmlError> {
    let mut reader = Reader::from_str(text);
    loop {
        let event = reader.read_event().map_err(|error| XmlError {
            place: Some(place_in(
                text,
                usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
            )),
            message: format!("not valid XML: {error}"),
        })?;
        match event {
            Event::Start(start) | Event::Empty(start) => {
                return Ok(local_name(start.local_name().as_ref()));
            }
            Event::Eof => {
                return Err(XmlError {
                    place: Some(place_in(text, text.len())),
                    message: "not valid XML: there is no element".into(),
                });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_with_text_entities_cdata_and_places() {
        let text = "<?xml version=\"1.0\"?>\n<!-- c -->\n<a x=\"1 &amp; 2\">\n  <gx:b>t&lt;&#65;<![CDATA[<i>]]></gx:b><c/>\n</a>\n";
        let root = parse(text).unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        assert_eq!(root.child_text("b"), Some("t<A<i>"));
        assert_eq!(root.children[0].place, Place { line: 4, column: 3 });
        assert!(root.child("c").is_some());
        assert_eq!(root_name(text).unwrap(), "a");
    }

    #[test]
    fn xml_formats_are_told_by_their_root() {
        use crate::formats::detect::{DetectedFormat, detect_format};
        let detect = |text: &str| detect_format("f", text).map_err(|error| error.to_string());
        let kml = "\u{feff}<?xml version=\"1.0\"?>\n<!-- Google Earth -->\n<kml xmlns=\"x\"/>";
        assert_eq!(detect(kml), Ok(DetectedFormat::Kml));
        assert_eq!(detect("<gpx:gpx version=\"1.0\">"), Ok(DetectedFormat::Gpx));
        let page = "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>404</title>";
        assert_eq!(
            detect(page),
            // Told apart before any XML format (formats::not_data), with the page's title.
            Err(
                "f: the file is an HTML page (titled \"404\"), not the data: a download that \
                 saved an error or sign-in page under the data's name? Download the file again"
                    .into()
            )
        );
        assert!(
            detect("<osm/>")
                .unwrap_err()
                .contains("the root element is <osm>")
        );
        assert!(
            detect("<!-- only a comment -->")
                .unwrap_err()
                .contains("there is no element")
        );
    }

    #[test]
    fn broken_documents_are_placed() {
        let text = "<a>\n<b>\n";
        let error = parse(text).unwrap_err();
        assert!(
            error
                .message
                .contains("ends inside <b> (opened at line 2, column 1)"),
            "{}",
            error.message
        );
        let error = parse("<a>\n</b>").unwrap_err();
        assert!(
            error.message.starts_with("not valid XML"),
            "{}",
            error.message
        );
        assert_eq!(error.place.map(|place| place.line), Some(2));
        let deep = "<a>".repeat(MAX_XML_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        assert!(
            parse("<a>&nbsp;</a>")
                .unwrap_err()
                .message
                .contains("&nbsp;")
        );
        assert!(
            parse("<a/><b/>")
                .unwrap_err()
                .message
                .contains("second root")
        );
    }

    /// A source that gives one byte per read: every character and tag is split between reads.
    struct OneByte<'a>(&'a [u8]);

    impl std::io::Read for OneByte<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((&byte, rest)), Some(to)) => {
                    *to = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_streamed_document_places_its_elements_as_the_whole_text_does() {
        let text = "\u{feff}<?xml version=\"1.0\"?>\n<a>\n  <b n=\"é\nü\">ĀĀ<!-- →\n --></b><b/>\n\t\
                    <![CDATA[x\ny]]>日本<b>&amp;</b>\n</a>\n";
        let stripped = text.strip_prefix('\u{feff}').unwrap();
        let expected: Vec<Place> = stripped
            .match_indices("<b")
            .map(|(offset, _)| place_in(stripped, offset))
            .collect();
        for root in [
            parse(text).unwrap(),
            parse_from(OneByte(text.as_bytes())).unwrap(),
        ] {
            let places: Vec<Place> = root.children.iter().map(|child| child.place).collect();
            assert_eq!(places, expected);
            assert_eq!(root.children[0].attribute("n"), Some("é ü"));
        }
        assert_eq!(expected[2], Place { line: 7, column: 7 });

        // Not UTF-8 (a Latin-1 é on line 3): placed as the whole-text decoder places it.
        let latin1 = b"<a>\n<b>ok</b>\n <b>caf\xE9</b></a>";
        for error in [
            parse_from(&latin1[..]).unwrap_err(),
            parse_from(OneByte(latin1)).unwrap_err(),
        ] {
            let whole = crate::formats::text_files::decode_text("f", latin1).unwrap_err();
            assert_eq!(
                format!("f: cannot read the file: {error}"),
                whole.to_string()
            );
            assert!(
                error
                    .to_string()
                    .starts_with("line 3, column 8: not UTF-8 text (byte 0xE9")
            );
        }
        // A document that ends inside an element says where it was opened.
        let error = parse_from(OneByte(b"<a>\n  <b>text")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2, column 10: not valid XML: the file ends inside <b> (opened at line 2, \
             column 3); is it cut short?"
        );
    }
}
