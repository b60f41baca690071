//! Phone photos: a page seen at an angle is a general quadrilateral, not a turned rectangle.
//! The plane projective transform (homography, Hartley & Zisserman §4.1, the direct linear
//! transform with `h33 = 1`) that maps an upright rectangle onto the page's four corners undoes
//! the perspective in one bilinear pass.

use image::{ImageBuffer, Pixel};

/// A plane projective transform: `[x, y] -> [(h0 x + h1 y + h2) / w, (h3 x + h4 y + h5) / w]`
/// with `w = h6 x + h7 y + 1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Homography([f64; 8]);

impl Homography {
    /// The homography that maps the corners of the rectangle `[0, width] × [0, height]` (TL, TR,
    /// BR, BL) onto `quad` (same order); `None` when the quad is not a convex quadrilateral (three
    /// corners in a line, sides crossing) or not finite.
    pub fn rectangle_to_quad(width: f64, height: f64, quad: &[[f32; 2]; 4]) -> Option<Self> {
        // A rectangle's image under a regular homography is a convex quadrilateral: every turn
        // from one side to the next goes the same way, and none is flat.
        let turns: Vec<f64> = (0..4)
            .map(|i| {
                let [a, b, c] = [quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]]
                    .map(|[x, y]| [f64::from(x), f64::from(y)]);
                (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
            })
            .collect();
        let scale = turns.iter().map(|t| t.abs()).fold(0.0, f64::max);
        let convex =
            turns.iter().all(|&t| t > 1e-9 * scale) || turns.iter().all(|&t| t < -1e-9 * scale);
        if !(convex && scale.is_finite() && scale > 0.0) {
            return None;
        }
        let from = [[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]];
        // Two equations per correspondence: 8 unknowns, augmented with the right-hand side.
        let mut m = [[0.0f64; 9]; 8];
        for (i, (&[x, y], q)) in from.iter().zip(quad).enumerate() {
            let (u, v) = (f64::from(q[0]), f64::from(q[1]));
            m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        solve(&mut m).map(Self)
    }

    /// Where `[x, y]` goes; `None` on the line the transform sends to infinity.
    pub fn apply(&self, [x, y]: [f64; 2]) -> Option<[f64; 2]> {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + 1.0;
        if w.abs() < 1e-12 {
            return None;
        }
        Some([
            (h[0] * x + h[1] * y + h[2]) / w,
            (h[3] * x + h[4] * y + h[5]) / w,
        ])
    }
}

/// Whether a page quadrilateral (TL, TR, BR, BL) is seen in perspective rather than merely
/// turned: its opposite sides differ in direction by more than `max_deg` degrees, or in length
/// by more than `max_deg` % (a turned rectangle has parallel opposite sides of equal length).
pub fn is_perspective(quad: &[[f32; 2]; 4], max_deg: f32) -> bool {
    let side = |a: [f32; 2], b: [f32; 2]| [b[0] - a[0], b[1] - a[1]];
    let angle = |v: [f32; 2]| v[1].atan2(v[0]);
    let len = |v: [f32; 2]| v[0].hypot(v[1]);
    // Top runs TL→TR, bottom BL→BR; left TL→BL, right TR→BR: each pair points the same way.
    let pairs = [
        (side(quad[0], quad[1]), side(quad[3], quad[2])),
        (side(quad[0], quad[3]), side(quad[1], quad[2])),
    ];
    pairs.iter().any(|&(a, b)| {
        let mut d = (angle(a) - angle(b)).abs().to_degrees();
        if d > 180.0 {
            d = 360.0 - d;
        }
        let (la, lb) = (len(a), len(b));
        d > max_deg || (la - lb).abs() > la.max(lb) * max_deg / 100.0
    })
}

/// The page inside `quad` (TL, TR, BR, BL in `src` pixels, edges not centres) resampled onto an
/// upright `width` × `height` rectangle by the homography between them, bilinear; white where
/// the map leaves `src`.
pub fn warp<P>(
    src: &ImageBuffer<P, Vec<u8>>,
    quad: &[[f32; 2]; 4],
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8>,
{
    let channels = usize::from(P::CHANNEL_COUNT);
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let raw = src.as_raw();
    let mut out = vec![255u8; width as usize * height as usize * channels];
    let row_len = width as usize * channels;
    let map = Homography::rectangle_to_quad(f64::from(width), f64::from(height), quad);
    if let Some(map) = map
        && sw >= 2
        && sh >= 2
        && row_len > 0
    {
        let (max_x, max_y) = ((sw - 1) as f64, (sh - 1) as f64);
        for (v, row) in out.chunks_exact_mut(row_len).enumerate() {
            for (u, px) in row.chunks_exact_mut(channels).enumerate() {
                let Some([x, y]) = map.apply([u as f64 + 0.5, v as f64 + 0.5]) else {
                    continue;
                };
                // Pixel-index coordinates: pixel centres at +0.5.
                let (x, y) = (x - 0.5, y - 0.5);
                if !(x >= 0.0 && y >= 0.0 && x < max_x && y < max_y) {
                    continue;
                }
                let (x0, y0) = (x as usize, y as usize);
                let (fx, fy) = (x - x0 as f64, y - y0 as f64);
                let i = (y0 * sw + x0) * channels;
                let j = i + sw * channels;
                for (k, out) in px.iter_mut().enumerate() {
                    let (a, b) = (f64::from(raw[i + k]), f64::from(raw[i + channels + k]));
                    let (d, e) = (f64::from(raw[j + k]), f64::from(raw[j + channels + k]));
                    let top = a + (b - a) * fx;
                    let bottom = d + (e - d) * fx;
                    *out = (top + (bottom - top) * fy).round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
    ImageBuffer::from_raw(width, height, out).unwrap_or_else(|| ImageBuffer::new(width, height))
}

/// Gaussian elimination with partial pivoting of an 8 × 8 system (augmented); `None` when
/// singular or not finite.
fn solve(m: &mut [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        let size = m[pivot][col].abs();
        if size.is_nan() || size <= 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let pivot_row = m[col];
        for (row, r) in m.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                for (a, b) in r.iter_mut().zip(pivot_row).skip(col) {
                    *a -= f * b;
                }
            }
        }
    }
    let mut h = [0.0; 8];
    for (i, h) in h.iter_mut().enumerate() {
        *h = m[i][8] / m[i][i];
        if !h.is_finite() {
            return None;
        }
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma};

    use super::*;

    const QUAD: [[f32; 2]; 4] = [[120.0, 80.0], [610.0, 130.0], [680.0, 900.0], [60.0, 860.0]];

    #[test]
    fn homography_maps_the_rectangle_onto_the_quad() {
        let h = Homography::rectangle_to_quad(400.0, 600.0, &QUAD).expect("regular");
        for (p, q) in [[0.0, 0.0], [400.0, 0.0], [400.0, 600.0], [0.0, 600.0]]
            .iter()
            .zip(QUAD)
        {
            let got = h.apply(*p).expect("finite");
            assert!(
                (got[0] - f64::from(q[0])).abs() < 1e-6 && (got[1] - f64::from(q[1])).abs() < 1e-6,
                "{p:?} -> {got:?}, want {q:?}"
            );
        }
        // Three corners in a line, or sides crossing: no homography.
        let flat = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]];
        assert!(Homography::rectangle_to_quad(1.0, 1.0, &flat).is_none());
        let crossed = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]];
        assert!(Homography::rectangle_to_quad(1.0, 1.0, &crossed).is_none());
    }

    #[test]
    fn a_turned_rectangle_is_not_perspective() {
        let (s, c) = 12f32.to_radians().sin_cos();
        let turn = |[x, y]: [f32; 2]| [500.0 + x * c + y * s, 500.0 - x * s + y * c];
        let rect = [
            [-200.0, -300.0],
            [200.0, -300.0],
            [200.0, 300.0],
            [-200.0, 300.0],
        ]
        .map(turn);
        assert!(!is_perspective(&rect, 1.0));
        assert!(is_perspective(&QUAD, 1.0));
    }

    #[test]
    fn warp_straightens_a_grid_drawn_in_perspective() {
        // Draw the image of a 4 × 6 checkerboard through the homography, then warp it back:
        // every cell's centre comes out the colour it had.
        let h = Homography::rectangle_to_quad(400.0, 600.0, &QUAD).expect("regular");
        let cell = |u: f64, v: f64| ((u / 100.0) as i32 + (v / 100.0) as i32) % 2 == 0;
        // Inverse by search is slow; instead map output points forward and paint small discs.
        let mut src = GrayImage::from_pixel(760, 960, Luma([128]));
        for v in 0..1200 {
            for u in 0..800 {
                let (uu, vv) = (f64::from(u) * 0.5, f64::from(v) * 0.5);
                let [x, y] = h.apply([uu, vv]).expect("finite");
                let colour = if cell(uu, vv) { 0 } else { 255 };
                src.put_pixel(x as u32, y as u32, Luma([colour]));
            }
        }
        let back = warp(&src, &QUAD, 400, 600);
        for cv in 0..6 {
            for cu in 0..4 {
                let (u, v) = (cu * 100 + 50, cv * 100 + 50);
                let want = if cell(f64::from(u), f64::from(v)) {
                    0
                } else {
                    255
                };
                assert_eq!(back.get_pixel(u, v).0[0], want, "cell ({cu}, {cv})");
            }
        }
    }
}
