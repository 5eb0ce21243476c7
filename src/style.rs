//! Every colour, size and symbol of the map in one place.
//!
//! Colours come from the Okabe–Ito palette (safe for the common forms of colour blindness), and
//! every country also has its own marker shape, so nothing depends on colour alone.

use egui::Color32;

/// Okabe–Ito palette.
pub mod okabe_ito {
    use egui::Color32;
    pub const ORANGE: Color32 = Color32::from_rgb(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: Color32 = Color32::from_rgb(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: Color32 = Color32::from_rgb(0x00, 0x9E, 0x73);
    pub const YELLOW: Color32 = Color32::from_rgb(0xF0, 0xE4, 0x42);
    pub const BLUE: Color32 = Color32::from_rgb(0x00, 0x72, 0xB2);
    pub const VERMILLION: Color32 = Color32::from_rgb(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: Color32 = Color32::from_rgb(0xCC, 0x79, 0xA7);
    pub const BLACK: Color32 = Color32::from_rgb(0x00, 0x00, 0x00);
}

/// The shape of a strike marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerShape {
    Triangle,
    Square,
    Diamond,
    Circle,
}

impl MarkerShape {
    pub fn name(self) -> &'static str {
        match self {
            Self::Triangle => "triangle",
            Self::Square => "square",
            Self::Diamond => "diamond",
            Self::Circle => "circle",
        }
    }
}

/// How a country is drawn: its colour (province fill, marker) and its marker shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountryStyle {
    pub color: Color32,
    pub marker: MarkerShape,
}

/// One style per country, used for the provinces it owns and the strikes it makes: the
/// countries of the bundled case keep theirs; any other country is drawn as "no attacker" here
/// (its strikes take a style of their own, see [`attacker_style_among`]).
pub fn country_style(country: &str) -> CountryStyle {
    named_country_style(country).unwrap_or(NO_ATTACKER_STYLE)
}

/// The countries with a style of their own in every case (the state lists them as
/// `ATTACKERS_WITH_THEIR_OWN_STYLE`, to know which attackers take a style in turn).
fn named_country_style(country: &str) -> Option<CountryStyle> {
    let style = match country {
        "Iran" => CountryStyle {
            color: okabe_ito::VERMILLION,
            marker: MarkerShape::Triangle,
        },
        "Pakistan" => CountryStyle {
            color: okabe_ito::BLUE,
            marker: MarkerShape::Square,
        },
        "Afghanistan" => CountryStyle {
            color: okabe_ito::BLUISH_GREEN,
            marker: MarkerShape::Diamond,
        },
        _ => return None,
    };
    Some(style)
}

/// Colours for other attackers, in turn: the Okabe–Ito colours no country and no "no attacker"
/// marker has (yellow is left out: it does not stand out on the light map).
const OTHER_ATTACKER_COLORS: [Color32; 3] =
    [okabe_ito::ORANGE, okabe_ito::SKY_BLUE, okabe_ito::BLACK];
const SHAPES: [MarkerShape; 4] = [
    MarkerShape::Triangle,
    MarkerShape::Square,
    MarkerShape::Diamond,
    MarkerShape::Circle,
];

/// How many other attackers are told apart before looks repeat: every colour with every shape.
pub const OTHER_ATTACKER_STYLES: usize = OTHER_ATTACKER_COLORS.len() * SHAPES.len();

/// The look of the `turn`-th other attacker: the first three differ in colour and shape, and
/// no two of the first [`OTHER_ATTACKER_STYLES`] are alike.
pub fn other_attacker_style(turn: usize) -> CountryStyle {
    let turn = turn % OTHER_ATTACKER_STYLES;
    let colour = turn % OTHER_ATTACKER_COLORS.len();
    let round = turn / OTHER_ATTACKER_COLORS.len();
    CountryStyle {
        color: OTHER_ATTACKER_COLORS[colour],
        marker: SHAPES[(colour + round) % SHAPES.len()],
    }
}

/// The style of a strike's attacker: a named country's own, the next style in turn for any
/// other attacker (`others` lists them in the order the data first names them), or a neutral
/// one when no attacker is known (e.g. imported ACLED events, whose actors are not attacker
/// and defender).
pub fn attacker_style_among(attacker: Option<&str>, others: &[String]) -> CountryStyle {
    let Some(attacker) = attacker else {
        return NO_ATTACKER_STYLE;
    };
    named_country_style(attacker).unwrap_or_else(|| {
        let turn = others.iter().position(|other| other == attacker);
        other_attacker_style(turn.unwrap_or(0))
    })
}

/// Events whose data names no attacker (ACLED, UCDP): a plain circle in a colour no country has.
pub const NO_ATTACKER_STYLE: CountryStyle = CountryStyle {
    color: okabe_ito::REDDISH_PURPLE,
    marker: MarkerShape::Circle,
};

/// Background where no tile is drawn (no network, or tiles still loading).
pub const MAP_BACKGROUND: Color32 = Color32::from_rgb(0xE4, 0xE4, 0xE2);

pub const PROVINCE_FILL_ALPHA: u8 = 46;
pub const PROVINCE_OUTLINE_WIDTH: f32 = 2.0;
pub const PROVINCE_LABEL_SIZE: f32 = 15.0;
pub const COUNTRY_LABEL_SIZE: f32 = 14.0;
pub const COUNTRY_LABEL_TEXT: Color32 = Color32::from_rgb(0x6E, 0x6A, 0x64);
pub const PLACE_LABEL_SIZE: f32 = 12.0;
pub const PLACE_LABEL_TEXT: Color32 = Color32::from_rgb(0x3A, 0x3A, 0x3A);
pub const LABEL_TEXT: Color32 = Color32::from_rgb(0x20, 0x20, 0x20);
pub const LABEL_HALO: Color32 = Color32::from_rgba_premultiplied(0xF4, 0xF4, 0xF4, 0xE0);

/// The veil over a strike's area of uncertainty.
pub const UNCERTAINTY_FILL: Color32 = Color32::from_rgba_premultiplied(0x70, 0x70, 0x70, 0x70);
pub const UNCERTAINTY_OUTLINE_WIDTH: f32 = 2.0;

/// Marker half-size in points.
pub const MARKER_RADIUS: f32 = 9.0;
pub const MARKER_RADIUS_SELECTED: f32 = 12.0;
pub const MARKER_OUTLINE: Color32 = Color32::WHITE;
pub const SELECTION_RING: Color32 = okabe_ito::BLACK;
/// How far outside a marker a click still hits it, in points.
pub const HIT_TOLERANCE: f32 = 4.0;

/// The hint over areas the offline basemap does not cover.
pub const NO_DATA_HINT: Color32 = Color32::from_rgb(0x70, 0x70, 0x70);
/// Map furniture (legend, scale bar, stamps).
pub const FURNITURE_BACKGROUND: Color32 = Color32::from_rgba_premultiplied(0xF2, 0xF2, 0xF2, 0xEB);
pub const FURNITURE_OUTLINE: Color32 = Color32::from_rgb(0xB8, 0xB8, 0xB8);
/// Caveat / classification banners: the text is the user's; the strip is plain and neutral.
pub const CAVEAT_BACKGROUND: Color32 = Color32::from_rgb(0x20, 0x20, 0x20);
pub const CAVEAT_TEXT: Color32 = Color32::WHITE;
/// The Iran–Pakistan border, drawn over the basemap and the province fills.
pub const INTERNATIONAL_BORDER: Color32 = Color32::from_rgb(0x3C, 0x3C, 0x3C);
pub const INTERNATIONAL_BORDER_WIDTH: f32 = 2.5;
/// The dashed line from a selected strike to the nearest border point.
pub const BORDER_DISTANCE_COLOR: Color32 = Color32::from_rgb(0x20, 0x20, 0x20);
pub const BORDER_DISTANCE_WIDTH: f32 = 1.5;

/// The box for the main map's view in the locator inset.
pub const INSET_VIEW_BOX: Color32 = okabe_ito::BLACK;

/// Padding around the framed area when fitting the view, in points.
pub const FIT_PADDING: f32 = 36.0;

/// Colour with an alpha (unmultiplied).
pub fn with_alpha(color: Color32, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countries_the_state_names_have_their_own_style_and_no_other_does() {
        for country in crate::state::ATTACKERS_WITH_THEIR_OWN_STYLE {
            assert!(named_country_style(country).is_some(), "{country}");
        }
        assert!(named_country_style("Russia").is_none());
    }

    #[test]
    fn other_attackers_are_told_apart_from_each_other_and_from_the_named_countries() {
        let looks: Vec<CountryStyle> = (0..OTHER_ATTACKER_STYLES)
            .map(other_attacker_style)
            .collect();
        for (index, look) in looks.iter().enumerate() {
            assert!(
                !looks[..index].contains(look),
                "style {index} repeats an earlier one"
            );
            for country in crate::state::ATTACKERS_WITH_THEIR_OWN_STYLE {
                assert_ne!(Some(*look), named_country_style(country));
            }
            assert_ne!(*look, NO_ATTACKER_STYLE);
        }
        // The first three differ in colour and in shape.
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            assert_ne!(looks[a].color, looks[b].color);
            assert_ne!(looks[a].marker, looks[b].marker);
        }
        let others = ["Russia".to_owned(), "Ukraine".to_owned()];
        assert_eq!(
            attacker_style_among(Some("Ukraine"), &others),
            other_attacker_style(1)
        );
        assert_eq!(
            attacker_style_among(Some("Iran"), &others),
            country_style("Iran")
        );
        assert_eq!(attacker_style_among(None, &others), NO_ATTACKER_STYLE);
    }
}
