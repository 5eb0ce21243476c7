//! Interpolation curves (linear, exponential, cubic Bézier) and blending numbers, colours and
//! number arrays between two stops.

use super::color::Color;
use super::expr::{ColorSpace, Curve};
use super::value::Value;

/// How far `x` lies between `lower` and `upper` (0..=1) along the curve.
pub fn interpolation_factor(curve: Curve, x: f64, lower: f64, upper: f64) -> f64 {
    match curve {
        Curve::Linear => exponential_factor(x, 1.0, lower, upper),
        Curve::Exponential(base) => exponential_factor(x, base, lower, upper),
        Curve::CubicBezier([x1, y1, x2, y2]) => {
            let t = exponential_factor(x, 1.0, lower, upper);
            UnitBezier::new(x1, y1, x2, y2).solve(t)
        }
    }
}

fn exponential_factor(x: f64, base: f64, lower: f64, upper: f64) -> f64 {
    let difference = upper - lower;
    let progress = x - lower;
    if difference == 0.0 {
        0.0
    } else if base == 1.0 {
        progress / difference
    } else {
        (base.powf(progress) - 1.0) / (base.powf(difference) - 1.0)
    }
}

/// Blends two stop values; values of different kinds give the lower one.
pub fn interpolate_values(lower: &Value, upper: &Value, t: f64, space: ColorSpace) -> Value {
    match (lower, upper) {
        (Value::Number(a), Value::Number(b)) => Value::Number(a + (b - a) * t),
        (Value::Color(a), Value::Color(b)) => Value::Color(interpolate_color(a, b, t, space)),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => Value::Array(
            a.iter()
                .zip(b)
                .map(|(a, b)| interpolate_values(a, b, t, space))
                .collect(),
        ),
        _ => lower.clone(),
    }
}

fn interpolate_color(a: &Color, b: &Color, t: f64, space: ColorSpace) -> Color {
    let lerp = |x: f64, y: f64| x + (y - x) * t;
    match space {
        ColorSpace::Rgb => a.mix(b, t),
        ColorSpace::Lab => {
            let (x, y) = (a.to_lab(), b.to_lab());
            Color::from_lab([
                lerp(x[0], y[0]),
                lerp(x[1], y[1]),
                lerp(x[2], y[2]),
                lerp(x[3], y[3]),
            ])
        }
        ColorSpace::Hcl => {
            let (x, y) = (a.to_hcl(), b.to_hcl());
            let mut chroma = lerp(x[1], y[1]);
            let hue = match (x[0].is_nan(), y[0].is_nan()) {
                (false, false) => {
                    let mut delta = y[0] - x[0];
                    if y[0] > x[0] && delta > 180.0 {
                        delta -= 360.0;
                    } else if y[0] < x[0] && x[0] - y[0] > 180.0 {
                        delta += 360.0;
                    }
                    x[0] + t * delta
                }
                (false, true) => {
                    if y[2] == 1.0 || y[2] == 0.0 {
                        chroma = x[1];
                    }
                    x[0]
                }
                (true, false) => {
                    if x[2] == 1.0 || x[2] == 0.0 {
                        chroma = y[1];
                    }
                    y[0]
                }
                (true, true) => f64::NAN,
            };
            Color::from_hcl([hue, chroma, lerp(x[2], y[2]), lerp(x[3], y[3])])
        }
    }
}

/// The cubic Bézier easing with end points (0,0) and (1,1), solved for x as in WebKit's
/// UnitBezier (Newton's method, then bisection).
struct UnitBezier {
    cx: f64,
    bx: f64,
    ax: f64,
    cy: f64,
    by: f64,
    ay: f64,
}

impl UnitBezier {
    fn new(x1: f64, y1: f64, x2: f64, y2: f64) -> UnitBezier {
        let cx = 3.0 * x1;
        let bx = 3.0 * (x2 - x1) - cx;
        let cy = 3.0 * y1;
        let by = 3.0 * (y2 - y1) - cy;
        UnitBezier {
            cx,
            bx,
            ax: 1.0 - cx - bx,
            cy,
            by,
            ay: 1.0 - cy - by,
        }
    }

    fn sample_x(&self, t: f64) -> f64 {
        ((self.ax * t + self.bx) * t + self.cx) * t
    }

    fn sample_y(&self, t: f64) -> f64 {
        ((self.ay * t + self.by) * t + self.cy) * t
    }

    fn sample_derivative_x(&self, t: f64) -> f64 {
        (3.0 * self.ax * t + 2.0 * self.bx) * t + self.cx
    }

    fn solve_curve_x(&self, x: f64) -> f64 {
        const EPSILON: f64 = 1e-6;
        let mut t = x;
        for _ in 0..8 {
            let error = self.sample_x(t) - x;
            if error.abs() < EPSILON {
                return t;
            }
            let derivative = self.sample_derivative_x(t);
            if derivative.abs() < 1e-6 {
                break;
            }
            t -= error / derivative;
        }
        let (mut low, mut high) = (0.0, 1.0);
        t = x;
        if t < low {
            return low;
        }
        if t > high {
            return high;
        }
        while low < high {
            let sample = self.sample_x(t);
            if (sample - x).abs() < EPSILON {
                return t;
            }
            if x > sample {
                low = t;
            } else {
                high = t;
            }
            t = (high - low) * 0.5 + low;
            if high - low < 1e-12 {
                break;
            }
        }
        t
    }

    fn solve(&self, x: f64) -> f64 {
        self.sample_y(self.solve_curve_x(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_factor_grows_faster_near_the_upper_stop() {
        let linear = interpolation_factor(Curve::Linear, 5.0, 0.0, 10.0);
        let exponential = interpolation_factor(Curve::Exponential(2.0), 5.0, 0.0, 10.0);
        assert!((linear - 0.5).abs() < 1e-12);
        assert!(exponential < 0.1, "{exponential}");
    }

    #[test]
    fn ease_in_out_bezier_is_symmetric() {
        let t = interpolation_factor(Curve::CubicBezier([0.42, 0.0, 0.58, 1.0]), 50.0, 0.0, 100.0);
        assert!((t - 0.5).abs() < 1e-6, "{t}");
    }
}
