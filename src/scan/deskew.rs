//! Skew by projection profiles, and the one resampling pass that corrects it.
//!
//! The ink is projected onto the normal of a candidate text-line direction; at the right angle
//! text lines fall into few bins and the gaps between them into empty ones, which the sum of
//! squared differences of neighbouring bins rewards (the measure of Leptonica's
//! `pixFindSkewSweepAndSearch`). Coarse to fine: every 0.5° over the range with 4-pixel bins
//! and an eighth of the ink, then 0.05° and 0.01° steps with 1-pixel bins and all of it; the
//! angle is the centre of the flat top of the score (within 2 % of the best). Lines along the
//! rows and along the columns are both searched, so a page turned by a quarter turn is deskewed
//! too; which axis the lines run along is judged with 8-pixel bins, where letters that line up
//! down a column (one sentence repeated in a grid) no longer look like text lines.
//!
//! How sure the angle is: the best score of the coarse sweep over its worst, Leptonica's
//! confidence ratio, which `pixDeskew` wants at 3 or more before it turns a page. Text lines
//! score tens of times higher across than askew; ink with no lines (a photograph, noise, a page
//! too empty to judge) scores about the same at every angle ([`Skew::confidence`]).

use image::{ImageBuffer, Pixel};

use super::binarize::Ink;

/// Which way the text lines run in the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Along the rows (page upright or upside down).
    Rows,
    /// Along the columns (page turned by a quarter turn).
    Columns,
}

/// The skew found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Skew {
    /// Counter-clockwise rotation (as displayed) of the text lines from `axis`, degrees.
    pub angle_deg: f64,
    /// The direction of the text lines.
    pub axis: Axis,
    /// Best line-scale score along the other axis / along `axis` (0..1; near 1 means the two
    /// axes looked alike, so the axis is a guess).
    pub axis_ambiguity: f64,
    /// 0..1: how much better the angle scored than the worst angle of the coarse sweep along
    /// `axis` (the ratio r of the two, Leptonica's skew confidence): 0 up to r = 2 (no better
    /// than ink without lines: the angle is a guess), 1 from r = 10, logarithmic between
    /// (Leptonica's least ratio for deskewing, 3, is 0.25); 0 with too little ink to measure
    /// (then `angle_deg` is 0, not measured).
    pub confidence: f64,
}

/// The coarse sweep's best-to-worst score ratio of ink without text lines: scattered dots reach
/// about 1.7 over the 81 angles (the best of many noisy scores over the worst; the unit test's
/// 20,000 dots), so up to 2 is confidence 0.
const NOISE_RATIO: f64 = 2.0;
/// The ratio that counts as sure (confidence 1): the 45 pages of the shared set score 17 to 55,
/// synthetic lines hundreds. Between the two the confidence grows with the ratio's logarithm,
/// which puts Leptonica's least ratio for deskewing (`MinAllowedConfidence`, 3) at 0.25, the
/// default [`ScanOptions::min_orientation_confidence`](super::ScanOptions).
const SURE_RATIO: f64 = 10.0;

/// Bin width, in pixels of the working image (about 150 dpi: 1.4 mm), for the axis decision.
const BIN_AXIS: f32 = 8.0;

/// Estimates the skew of the ink's text lines within `±max_deg` (clamped to 1..=44).
pub fn estimate_skew(ink: &Ink, max_deg: f32) -> Skew {
    let max_deg = f64::from(max_deg.clamp(1.0, 44.0));
    let none = Skew {
        angle_deg: 0.0,
        axis: Axis::Rows,
        axis_ambiguity: 1.0,
        confidence: 0.0,
    };
    if ink.points.len() < 64 {
        return none;
    }
    // An eighth of the ink is plenty for 0.5° steps over 4-pixel bins.
    let coarse: Vec<[f32; 2]> = ink.points.iter().step_by(8).copied().collect();
    let mut profile = Vec::new();
    let steps = (max_deg / 0.5).round() as i32;
    let mut best = [(f64::MIN, 0.0f64); 2];
    let mut worst = [f64::MAX; 2];
    for ((slot, low), axis) in best
        .iter_mut()
        .zip(&mut worst)
        .zip([Axis::Rows, Axis::Columns])
    {
        for i in -steps..=steps {
            let a = f64::from(i) * 0.5;
            let s = score(&coarse, ink.radius, a, axis, 4.0, &mut profile);
            if s > slot.0 {
                *slot = (s, a);
            }
            *low = low.min(s);
        }
    }
    // Along each axis: its best coarse score over its worst.
    let ratio = |k: usize| {
        if worst[k] > 0.0 {
            best[k].0 / worst[k]
        } else if best[k].0 > 0.0 {
            f64::INFINITY
        } else {
            1.0
        }
    };
    let ratios = [ratio(0), ratio(1)];
    // Which axis the lines run along, judged at line scale: with 8-pixel bins the strokes of
    // letters that line up down a column (a sentence repeated in a grid) blur away, the gaps
    // between text lines do not.
    let wide = [Axis::Rows, Axis::Columns].map(|axis| {
        let a = if axis == Axis::Rows {
            best[0].1
        } else {
            best[1].1
        };
        score(&coarse, ink.radius, a, axis, BIN_AXIS, &mut profile)
    });
    let best = [(wide[0], best[0].1), (wide[1], best[1].1)];
    let (axis, coarse_angle, ambiguity, ratio) = if best[0].0 >= best[1].0 {
        (
            Axis::Rows,
            best[0].1,
            best[1].0 / best[0].0.max(f64::MIN_POSITIVE),
            ratios[0],
        )
    } else {
        (
            Axis::Columns,
            best[1].1,
            best[0].0 / best[1].0.max(f64::MIN_POSITIVE),
            ratios[1],
        )
    };
    let mut angle = coarse_angle;
    for (half_width, step) in [(0.5f64, 0.05f64), (0.1, 0.01)] {
        let n = (half_width / step).round() as i32;
        let scores: Vec<(f64, f64)> = (-n..=n)
            .map(|i| {
                let a = angle + f64::from(i) * step;
                (
                    a,
                    score(&ink.points, ink.radius, a, axis, 1.0, &mut profile),
                )
            })
            .collect();
        let (k, top) =
            scores.iter().enumerate().fold(
                (0, f64::MIN),
                |(bk, bs), (k, &(_, s))| {
                    if s > bs { (k, s) } else { (bk, bs) }
                },
            );
        // Below about 1/(line length) radians the profile barely changes: the score has a
        // flat, noisy top. Its centre (the run of scores within 2 % of the best) is the angle.
        let near = |&(_, s): &(f64, f64)| s >= top * 0.98;
        let first = scores[..k]
            .iter()
            .rposition(|e| !near(e))
            .map_or(0, |i| i + 1);
        let last = scores[k..]
            .iter()
            .position(|e| !near(e))
            .map_or(scores.len(), |i| k + i);
        angle = (scores[first].0 + scores[last - 1].0) / 2.0;
    }
    Skew {
        angle_deg: angle.clamp(-max_deg, max_deg),
        axis,
        axis_ambiguity: ambiguity,
        confidence: ((ratio / NOISE_RATIO).ln() / (SURE_RATIO / NOISE_RATIO).ln()).clamp(0.0, 1.0),
    }
}

/// The projection profile of `points` onto the normal of text lines at `angle_deg` from
/// `axis`, in bins of `bin` pixels; bin 0 is the page centre at `profile.len() / 2`.
pub(crate) fn project(
    points: &[[f32; 2]],
    radius: f32,
    angle_deg: f64,
    axis: Axis,
    bin: f32,
    profile: &mut Vec<u32>,
) {
    let (s, c) = angle_deg.to_radians().sin_cos();
    let (s, c) = (s as f32, c as f32);
    // Rows: a line turned counter-clockwise by a keeps y·cos a + x·sin a constant (image y
    // points down); columns: x·cos a − y·sin a.
    let (kx, ky) = match axis {
        Axis::Rows => (s / bin, c / bin),
        Axis::Columns => (c / bin, -s / bin),
    };
    let half = (radius / bin).ceil() as usize + 1;
    profile.clear();
    profile.resize(2 * half + 1, 0);
    let offset = half as f32 + 0.5;
    for p in points {
        let v = p[0] * kx + p[1] * ky + offset;
        // `v` is within [0.5, 2·half + 0.5] for points within `radius`; `as` saturates.
        if let Some(slot) = profile.get_mut(v as usize) {
            *slot += 1;
        }
    }
}

fn score(
    points: &[[f32; 2]],
    radius: f32,
    angle_deg: f64,
    axis: Axis,
    bin: f32,
    profile: &mut Vec<u32>,
) -> f64 {
    project(points, radius, angle_deg, axis, bin, profile);
    profile
        .windows(2)
        .map(|w| {
            let d = f64::from(w[1]) - f64::from(w[0]);
            d * d
        })
        .sum()
}

/// Resamples `src` into a `width` × `height` page centred on `centre` (in `src` pixels): the
/// content, turned by `angle_deg` in `src` (counter-clockwise as displayed), comes out upright,
/// `zoom` output pixels per `src` pixel, read by bilinear interpolation; outside `src` is white.
pub fn render<P>(
    src: &ImageBuffer<P, Vec<u8>>,
    centre: [f32; 2],
    angle_deg: f64,
    zoom: f32,
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8>,
{
    let channels = usize::from(P::CHANNEL_COUNT);
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let raw = src.as_raw();
    let (s, c) = angle_deg.to_radians().sin_cos();
    // One output pixel is 1/zoom source pixels.
    let unit = 1.0 / f64::from(zoom.max(1e-3));
    let (s, c) = (s * unit, c * unit);
    let mut out = vec![255u8; width as usize * height as usize * channels];
    let row_len = width as usize * channels;
    if sw >= 2 && sh >= 2 && row_len > 0 {
        let (hw, hh) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
        let (cx, cy) = (f64::from(centre[0]), f64::from(centre[1]));
        // Fixed point, 16 fractional bits: positions stay exact to 1/65536 px across a row.
        const ONE: f64 = 65536.0;
        let (step_x, step_y) = ((c * ONE).round() as i64, (-s * ONE).round() as i64);
        let (max_x, max_y) = (((sw - 1) as i64) << 16, ((sh - 1) as i64) << 16);
        for (v, row) in out.chunks_exact_mut(row_len).enumerate() {
            let dy = v as f64 + 0.5 - hh;
            // Source position of output (u, v), as a pixel-index coordinate (centre at +0.5):
            // x = cx + dx·cos + dy·sin − 0.5, y = cy − dx·sin + dy·cos − 0.5, dx = u + 0.5 − hw.
            let dx0 = 0.5 - hw;
            let mut x = ((cx + dx0 * c + dy * s - 0.5) * ONE).round() as i64;
            let mut y = ((cy - dx0 * s + dy * c - 0.5) * ONE).round() as i64;
            for px in row.chunks_exact_mut(channels) {
                if x >= 0 && y >= 0 && x < max_x && y < max_y {
                    let (x0, y0) = ((x >> 16) as usize, (y >> 16) as usize);
                    // 8-bit weights: 16 bits of products per tap, rounding once at the end.
                    let (fx, fy) = (((x >> 8) & 0xFF) as u32, ((y >> 8) & 0xFF) as u32);
                    let i = (y0 * sw + x0) * channels;
                    let j = i + sw * channels;
                    for (k, out) in px.iter_mut().enumerate() {
                        let (a, b) = (u32::from(raw[i + k]), u32::from(raw[i + channels + k]));
                        let (d, e) = (u32::from(raw[j + k]), u32::from(raw[j + channels + k]));
                        let top = a * (256 - fx) + b * fx;
                        let bottom = d * (256 - fx) + e * fx;
                        *out = ((top * (256 - fy) + bottom * fy + 32768) >> 16) as u8;
                    }
                }
                x += step_x;
                y += step_y;
            }
        }
    }
    ImageBuffer::from_raw(width, height, out).unwrap_or_else(|| ImageBuffer::new(width, height))
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma};

    use super::*;

    /// Ink of dashed "text lines" turned counter-clockwise by `deg`, rasterized on the pixel
    /// grid as a scan would be; with `Axis::Columns` also turned by a quarter turn.
    fn lines(deg: f64, axis: Axis) -> Ink {
        let (s, c) = deg.to_radians().sin_cos();
        let mut points = Vec::new();
        for y in -500..500 {
            for x in -500..500 {
                let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                // Undo the quarter turn (x, y) -> (y, −x), then the skew.
                let (qx, qy) = match axis {
                    Axis::Rows => (px, py),
                    Axis::Columns => (-py, px),
                };
                let (u, v) = (qx * c - qy * s, qx * s + qy * c);
                // Dashes start at a different phase on every line, as words do.
                let phase = (v / 30.0).floor() * 3.7;
                if u.abs() < 400.0 && v.rem_euclid(30.0) < 6.0 && (u + phase).rem_euclid(9.0) < 6.0
                {
                    points.push([px as f32, py as f32]);
                }
            }
        }
        Ink {
            points,
            radius: 710.0,
            fraction: 0.1,
        }
    }

    #[test]
    fn finds_the_angle_on_both_axes() {
        for (deg, axis) in [
            (0.3, Axis::Rows),
            (-7.25, Axis::Rows),
            (12.4, Axis::Columns),
        ] {
            let skew = estimate_skew(&lines(deg, axis), 20.0);
            assert_eq!(skew.axis, axis, "{deg}: {skew:?}");
            assert!((skew.angle_deg - deg).abs() < 0.03, "{deg}: {skew:?}");
            assert_eq!(skew.confidence, 1.0, "{deg}: {skew:?}");
        }
    }

    #[test]
    fn ink_without_lines_is_a_guess() {
        // Scattered dots, each coordinate a SplitMix64 hash of its index (an LCG's successive
        // pairs lie on lines, which is just what this must not have): every angle alike.
        let hash = |i: u64| {
            let mut z = i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % 1000) as f32 - 500.0
        };
        let points = (0..20_000u64)
            .map(|i| [hash(2 * i), hash(2 * i + 1)])
            .collect();
        let ink = Ink {
            points,
            radius: 710.0,
            fraction: 0.02,
        };
        let skew = estimate_skew(&ink, 20.0);
        assert_eq!(skew.confidence, 0.0, "{skew:?}");
        let empty = Ink {
            points: Vec::new(),
            radius: 10.0,
            fraction: 0.0,
        };
        assert_eq!(estimate_skew(&empty, 20.0).confidence, 0.0);
    }

    #[test]
    fn render_turns_content_back() {
        // A dark dot right of centre, content turned 90° counter-clockwise: it sits above the
        // centre in the source, and must come back right of centre.
        let src = GrayImage::from_fn(41, 41, |x, y| {
            Luma([if x == 20 && y == 10 { 0 } else { 255 }])
        });
        let out = render(&src, [20.5, 20.5], 90.0, 1.0, 41, 41);
        assert_eq!(out.get_pixel(30, 20).0[0], 0);
        assert_eq!(out.get_pixel(20, 10).0[0], 255);
    }
}
