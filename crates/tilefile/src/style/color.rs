//! CSS colours as MapLibre styles write them, and the HCL/Lab spaces `interpolate-hcl` and
//! `interpolate-lab` blend in.

/// A colour with straight (not premultiplied) channels in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    pub r: f64,
    pub g: f64,
    pub b: f64,
    pub a: f64,
}

impl Color {
    pub const BLACK: Color = Color {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 1.0,
    };
    pub const TRANSPARENT: Color = Color {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 0.0,
    };

    pub fn from_rgba8(r: f64, g: f64, b: f64, a: f64) -> Color {
        Color {
            r: r / 255.0,
            g: g / 255.0,
            b: b / 255.0,
            a,
        }
    }

    /// `rgba(r,g,b,a)` with 0..255 channels, as `to-string` writes a colour.
    pub fn to_css(&self) -> String {
        let channel = |x: f64| (x * 255.0).round();
        format!(
            "rgba({},{},{},{})",
            channel(self.r),
            channel(self.g),
            channel(self.b),
            super::text::number_to_string(self.a)
        )
    }

    /// `[r, g, b, a]` with 0..255 channels, as `to-rgba` gives.
    pub fn to_rgba_array(&self) -> [f64; 4] {
        [self.r * 255.0, self.g * 255.0, self.b * 255.0, self.a]
    }

    /// Parses a CSS colour: a name, `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`,
    /// `rgba()`, `hsl()` or `hsla()`.
    pub fn parse(text: &str) -> Option<Color> {
        let text = text.trim().to_ascii_lowercase();
        if let Some(hex) = text.strip_prefix('#') {
            return parse_hex(hex);
        }
        if let Some(open) = text.find('(') {
            let body = text.strip_suffix(')')?;
            let function = text[..open].trim();
            let args: Vec<&str> = body[open + 1..]
                .split([',', ' ', '/'])
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .collect();
            return match function {
                "rgb" | "rgba" => parse_rgb_args(&args),
                "hsl" | "hsla" => parse_hsl_args(&args),
                _ => None,
            };
        }
        if text == "transparent" {
            return Some(Color::TRANSPARENT);
        }
        let index = NAMED_COLORS
            .binary_search_by(|(name, _)| name.cmp(&text.as_str()))
            .ok()?;
        let rgb = NAMED_COLORS[index].1;
        Some(Color::from_rgba8(
            f64::from((rgb >> 16) & 0xFF),
            f64::from((rgb >> 8) & 0xFF),
            f64::from(rgb & 0xFF),
            1.0,
        ))
    }

    /// Linear blend of the straight channels and alpha, as MapLibre's `interpolate` blends.
    pub fn mix(&self, other: &Color, t: f64) -> Color {
        let lerp = |a: f64, b: f64| a + (b - a) * t;
        Color {
            r: lerp(self.r, other.r),
            g: lerp(self.g, other.g),
            b: lerp(self.b, other.b),
            a: lerp(self.a, other.a),
        }
    }

    /// `[r, g, b, a]` with r, g, b multiplied by alpha, as MapLibre reports colours.
    pub fn premultiplied(&self) -> [f64; 4] {
        [self.r * self.a, self.g * self.a, self.b * self.a, self.a]
    }

    pub fn to_lab(&self) -> [f64; 4] {
        let to_linear = |c: f64| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = (to_linear(self.r), to_linear(self.g), to_linear(self.b));
        let xyz_to_lab = |t: f64| if t > T3 { t.cbrt() } else { t / T2 + T0 };
        let y = xyz_to_lab((0.2225045 * r + 0.7168786 * g + 0.0606169 * b) / YN);
        let (x, z) = if r == g && g == b {
            (y, y)
        } else {
            (
                xyz_to_lab((0.4360747 * r + 0.3850649 * g + 0.1430804 * b) / XN),
                xyz_to_lab((0.0139322 * r + 0.0971045 * g + 0.7141733 * b) / ZN),
            )
        };
        let l = 116.0 * y - 16.0;
        [
            if l < 0.0 { 0.0 } else { l },
            500.0 * (x - y),
            200.0 * (y - z),
            self.a,
        ]
    }

    pub fn from_lab(lab: [f64; 4]) -> Color {
        let [l, a, b, alpha] = lab;
        let mut y = (l + 16.0) / 116.0;
        let mut x = if a.is_nan() { y } else { y + a / 500.0 };
        let mut z = if b.is_nan() { y } else { y - b / 200.0 };
        let lab_to_xyz = |t: f64| if t > T1 { t * t * t } else { T2 * (t - T0) };
        y = YN * lab_to_xyz(y);
        x = XN * lab_to_xyz(x);
        z = ZN * lab_to_xyz(z);
        let from_linear = |c: f64| {
            if c <= 0.00304 {
                12.92 * c
            } else {
                1.055 * c.powf(1.0 / 2.4) - 0.055
            }
        };
        Color {
            r: from_linear(3.1338561 * x - 1.6168667 * y - 0.4906146 * z).clamp(0.0, 1.0),
            g: from_linear(-0.9787684 * x + 1.9161415 * y + 0.033454 * z).clamp(0.0, 1.0),
            b: from_linear(0.0719453 * x - 0.2289914 * y + 1.4052427 * z).clamp(0.0, 1.0),
            a: alpha,
        }
    }

    pub fn to_hcl(&self) -> [f64; 4] {
        let [l, a, b, alpha] = self.to_lab();
        let c = (a * a + b * b).sqrt();
        let h = if (c * 10000.0).round() == 0.0 {
            f64::NAN
        } else {
            (b.atan2(a).to_degrees() + 360.0) % 360.0
        };
        [h, c, l, alpha]
    }

    pub fn from_hcl(hcl: [f64; 4]) -> Color {
        let [h, c, l, alpha] = hcl;
        let h = if h.is_nan() { 0.0 } else { h.to_radians() };
        Color::from_lab([l, h.cos() * c, h.sin() * c, alpha])
    }
}

const XN: f64 = 0.96422;
const YN: f64 = 1.0;
const ZN: f64 = 0.82521;
const T0: f64 = 4.0 / 29.0;
const T1: f64 = 6.0 / 29.0;
const T2: f64 = 3.0 * T1 * T1;
const T3: f64 = T1 * T1 * T1;

fn parse_hex(hex: &str) -> Option<Color> {
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u32::from_str_radix(&hex[i..i + 1], 16).ok().map(f64::from);
    let pair = |i: usize| u32::from_str_radix(&hex[i..i + 2], 16).ok().map(f64::from);
    match hex.len() {
        3 | 4 => {
            let alpha = if hex.len() == 4 {
                digit(3)? * 17.0 / 255.0
            } else {
                1.0
            };
            Some(Color::from_rgba8(
                digit(0)? * 17.0,
                digit(1)? * 17.0,
                digit(2)? * 17.0,
                alpha,
            ))
        }
        6 | 8 => {
            let alpha = if hex.len() == 8 {
                pair(6)? / 255.0
            } else {
                1.0
            };
            Some(Color::from_rgba8(pair(0)?, pair(2)?, pair(4)?, alpha))
        }
        _ => None,
    }
}

fn parse_alpha(text: Option<&&str>) -> Option<f64> {
    match text {
        None => Some(1.0),
        Some(text) => match text.strip_suffix('%') {
            Some(percent) => percent
                .parse::<f64>()
                .ok()
                .map(|p| (p / 100.0).clamp(0.0, 1.0)),
            None => text.parse::<f64>().ok().map(|a| a.clamp(0.0, 1.0)),
        },
    }
}

fn parse_rgb_args(args: &[&str]) -> Option<Color> {
    if args.len() != 3 && args.len() != 4 {
        return None;
    }
    let channel = |text: &str| -> Option<f64> {
        match text.strip_suffix('%') {
            Some(percent) => percent
                .parse::<f64>()
                .ok()
                .map(|p| (p / 100.0 * 255.0).clamp(0.0, 255.0)),
            None => text.parse::<f64>().ok().map(|c| c.clamp(0.0, 255.0)),
        }
    };
    Some(Color::from_rgba8(
        channel(args[0])?,
        channel(args[1])?,
        channel(args[2])?,
        parse_alpha(args.get(3))?,
    ))
}

fn parse_hsl_args(args: &[&str]) -> Option<Color> {
    if args.len() != 3 && args.len() != 4 {
        return None;
    }
    let hue = args[0]
        .trim_end_matches("deg")
        .parse::<f64>()
        .ok()?
        .rem_euclid(360.0)
        / 360.0;
    let percent = |text: &str| {
        text.strip_suffix('%')?
            .parse::<f64>()
            .ok()
            .map(|p| (p / 100.0).clamp(0.0, 1.0))
    };
    let (s, l) = (percent(args[1])?, percent(args[2])?);
    let m2 = if l <= 0.5 {
        l * (s + 1.0)
    } else {
        l + s - l * s
    };
    let m1 = l * 2.0 - m2;
    let hue_channel = |h: f64| {
        let h = h.rem_euclid(1.0);
        if h * 6.0 < 1.0 {
            m1 + (m2 - m1) * h * 6.0
        } else if h * 2.0 < 1.0 {
            m2
        } else if h * 3.0 < 2.0 {
            m1 + (m2 - m1) * (2.0 / 3.0 - h) * 6.0
        } else {
            m1
        }
    };
    Some(Color {
        r: hue_channel(hue + 1.0 / 3.0),
        g: hue_channel(hue),
        b: hue_channel(hue - 1.0 / 3.0),
        a: parse_alpha(args.get(3))?,
    })
}

/// The CSS named colours, sorted by name.
const NAMED_COLORS: &[(&str, u32)] = &[
    ("aliceblue", 0xF0F8FF),
    ("antiquewhite", 0xFAEBD7),
    ("aqua", 0x00FFFF),
    ("aquamarine", 0x7FFFD4),
    ("azure", 0xF0FFFF),
    ("beige", 0xF5F5DC),
    ("bisque", 0xFFE4C4),
    ("black", 0x000000),
    ("blanchedalmond", 0xFFEBCD),
    ("blue", 0x0000FF),
    ("blueviolet", 0x8A2BE2),
    ("brown", 0xA52A2A),
    ("burlywood", 0xDEB887),
    ("cadetblue", 0x5F9EA0),
    ("chartreuse", 0x7FFF00),
    ("chocolate", 0xD2691E),
    ("coral", 0xFF7F50),
    ("cornflowerblue", 0x6495ED),
    ("cornsilk", 0xFFF8DC),
    ("crimson", 0xDC143C),
    ("cyan", 0x00FFFF),
    ("darkblue", 0x00008B),
    ("darkcyan", 0x008B8B),
    ("darkgoldenrod", 0xB8860B),
    ("darkgray", 0xA9A9A9),
    ("darkgreen", 0x006400),
    ("darkgrey", 0xA9A9A9),
    ("darkkhaki", 0xBDB76B),
    ("darkmagenta", 0x8B008B),
    ("darkolivegreen", 0x556B2F),
    ("darkorange", 0xFF8C00),
    ("darkorchid", 0x9932CC),
    ("darkred", 0x8B0000),
    ("darksalmon", 0xE9967A),
    ("darkseagreen", 0x8FBC8F),
    ("darkslateblue", 0x483D8B),
    ("darkslategray", 0x2F4F4F),
    ("darkslategrey", 0x2F4F4F),
    ("darkturquoise", 0x00CED1),
    ("darkviolet", 0x9400D3),
    ("deeppink", 0xFF1493),
    ("deepskyblue", 0x00BFFF),
    ("dimgray", 0x696969),
    ("dimgrey", 0x696969),
    ("dodgerblue", 0x1E90FF),
    ("firebrick", 0xB22222),
    ("floralwhite", 0xFFFAF0),
    ("forestgreen", 0x228B22),
    ("fuchsia", 0xFF00FF),
    ("gainsboro", 0xDCDCDC),
    ("ghostwhite", 0xF8F8FF),
    ("gold", 0xFFD700),
    ("goldenrod", 0xDAA520),
    ("gray", 0x808080),
    ("green", 0x008000),
    ("greenyellow", 0xADFF2F),
    ("grey", 0x808080),
    ("honeydew", 0xF0FFF0),
    ("hotpink", 0xFF69B4),
    ("indianred", 0xCD5C5C),
    ("indigo", 0x4B0082),
    ("ivory", 0xFFFFF0),
    ("khaki", 0xF0E68C),
    ("lavender", 0xE6E6FA),
    ("lavenderblush", 0xFFF0F5),
    ("lawngreen", 0x7CFC00),
    ("lemonchiffon", 0xFFFACD),
    ("lightblue", 0xADD8E6),
    ("lightcoral", 0xF08080),
    ("lightcyan", 0xE0FFFF),
    ("lightgoldenrodyellow", 0xFAFAD2),
    ("lightgray", 0xD3D3D3),
    ("lightgreen", 0x90EE90),
    ("lightgrey", 0xD3D3D3),
    ("lightpink", 0xFFB6C1),
    ("lightsalmon", 0xFFA07A),
    ("lightseagreen", 0x20B2AA),
    ("lightskyblue", 0x87CEFA),
    ("lightslategray", 0x778899),
    ("lightslategrey", 0x778899),
    ("lightsteelblue", 0xB0C4DE),
    ("lightyellow", 0xFFFFE0),
    ("lime", 0x00FF00),
    ("limegreen", 0x32CD32),
    ("linen", 0xFAF0E6),
    ("magenta", 0xFF00FF),
    ("maroon", 0x800000),
    ("mediumaquamarine", 0x66CDAA),
    ("mediumblue", 0x0000CD),
    ("mediumorchid", 0xBA55D3),
    ("mediumpurple", 0x9370DB),
    ("mediumseagreen", 0x3CB371),
    ("mediumslateblue", 0x7B68EE),
    ("mediumspringgreen", 0x00FA9A),
    ("mediumturquoise", 0x48D1CC),
    ("mediumvioletred", 0xC71585),
    ("midnightblue", 0x191970),
    ("mintcream", 0xF5FFFA),
    ("mistyrose", 0xFFE4E1),
    ("moccasin", 0xFFE4B5),
    ("navajowhite", 0xFFDEAD),
    ("navy", 0x000080),
    ("oldlace", 0xFDF5E6),
    ("olive", 0x808000),
    ("olivedrab", 0x6B8E23),
    ("orange", 0xFFA500),
    ("orangered", 0xFF4500),
    ("orchid", 0xDA70D6),
    ("palegoldenrod", 0xEEE8AA),
    ("palegreen", 0x98FB98),
    ("paleturquoise", 0xAFEEEE),
    ("palevioletred", 0xDB7093),
    ("papayawhip", 0xFFEFD5),
    ("peachpuff", 0xFFDAB9),
    ("peru", 0xCD853F),
    ("pink", 0xFFC0CB),
    ("plum", 0xDDA0DD),
    ("powderblue", 0xB0E0E6),
    ("purple", 0x800080),
    ("rebeccapurple", 0x663399),
    ("red", 0xFF0000),
    ("rosybrown", 0xBC8F8F),
    ("royalblue", 0x4169E1),
    ("saddlebrown", 0x8B4513),
    ("salmon", 0xFA8072),
    ("sandybrown", 0xF4A460),
    ("seagreen", 0x2E8B57),
    ("seashell", 0xFFF5EE),
    ("sienna", 0xA0522D),
    ("silver", 0xC0C0C0),
    ("skyblue", 0x87CEEB),
    ("slateblue", 0x6A5ACD),
    ("slategray", 0x708090),
    ("slategrey", 0x708090),
    ("snow", 0xFFFAFA),
    ("springgreen", 0x00FF7F),
    ("steelblue", 0x4682B4),
    ("tan", 0xD2B48C),
    ("teal", 0x008080),
    ("thistle", 0xD8BFD8),
    ("tomato", 0xFF6347),
    ("turquoise", 0x40E0D0),
    ("violet", 0xEE82EE),
    ("wheat", 0xF5DEB3),
    ("white", 0xFFFFFF),
    ("whitesmoke", 0xF5F5F5),
    ("yellow", 0xFFFF00),
    ("yellowgreen", 0x9ACD32),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_colours_are_sorted_for_binary_search() {
        assert!(NAMED_COLORS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn parses_the_common_css_forms() {
        assert_eq!(
            Color::parse("red"),
            Some(Color::from_rgba8(255.0, 0.0, 0.0, 1.0))
        );
        assert_eq!(
            Color::parse("#0f0"),
            Some(Color::from_rgba8(0.0, 255.0, 0.0, 1.0))
        );
        assert_eq!(
            Color::parse("rgba(0, 0, 255, 0.5)"),
            Some(Color::from_rgba8(0.0, 0.0, 255.0, 0.5))
        );
        assert_eq!(
            Color::parse("hsl(120, 100%, 50%)"),
            Some(Color::from_rgba8(0.0, 255.0, 0.0, 1.0))
        );
        assert_eq!(Color::parse("nonsense"), None);
    }

    #[test]
    fn lab_round_trips() {
        let color = Color::from_rgba8(200.0, 100.0, 50.0, 1.0);
        let back = Color::from_lab(color.to_lab());
        assert!(
            (back.r - color.r).abs() < 1e-3 && (back.b - color.b).abs() < 1e-3,
            "{back:?}"
        );
    }
}
