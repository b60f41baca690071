//! Ink: the dark pixels inside the page, by a local-mean threshold over an integral image
//! (Bradley & Roth 2007), so paper under uneven light or a shadow stays paper.

use image::GrayImage;

use super::crop::PageQuad;

/// Ink pixels of a page, as coordinates relative to the page centre (pixel centres), in the
/// image they were found in.
#[derive(Clone, Debug, Default)]
pub struct Ink {
    /// `[x, y]` of every ink pixel, minus the page centre, in raster order.
    pub points: Vec<[f32; 2]>,
    /// Largest distance of any page point from the centre (bounds every projection).
    pub radius: f32,
    /// Ink pixels / page pixels examined.
    pub fraction: f32,
}

/// Ink inside `page` (a few pixels in from its edges, where the border's shadow is): a pixel is
/// ink when it is at least 20 % and 24 grey levels darker than the mean of the window around it
/// (side about 1/40 of the image's long side, at least 15 pixels).
pub fn ink(grey: &GrayImage, page: &PageQuad) -> Ink {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    if w == 0 || h == 0 {
        return Ink::default();
    }
    let raw = grey.as_raw();
    let sums = integral(raw, w, h);
    let stride = w + 1;
    let r = (w.max(h) / 80).max(7);
    let centre = [
        page.corners.iter().map(|p| p[0]).sum::<f32>() / 4.0,
        page.corners.iter().map(|p| p[1]).sum::<f32>() / 4.0,
    ];
    let radius = page
        .corners
        .iter()
        .map(|p| ((p[0] - centre[0]).powi(2) + (p[1] - centre[1]).powi(2)).sqrt())
        .fold(0.0, f32::max);
    let margin = if page.border { 6.0 } else { 0.0 };
    let (mut points, mut examined) = (Vec::new(), 0usize);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        // The page's horizontal extent on this row, from the convexity of the quad.
        let py = y as f32 + 0.5;
        let (xa, xb) = row_span(page, py, margin, w);
        for x in xa..xb {
            examined += 1;
            let v = u64::from(raw[y * w + x]);
            // 80 % of a mean of at most 255: brighter pixels cannot be ink.
            if v > 204 {
                continue;
            }
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let area = ((x1 - x0) * (y1 - y0)) as u64;
            let sum = sums[y1 * stride + x1] + sums[y0 * stride + x0]
                - sums[y0 * stride + x1]
                - sums[y1 * stride + x0];
            if v * area * 100 <= sum * 80 && v * area + 24 * area <= sum {
                points.push([x as f32 + 0.5 - centre[0], py - centre[1]]);
            }
        }
    }
    Ink {
        fraction: points.len() as f32 / examined.max(1) as f32,
        points,
        radius,
    }
}

/// Integral image with a zero row and column: `(w + 1) × (h + 1)` sums.
pub(crate) fn integral(raw: &[u8], w: usize, h: usize) -> Vec<u64> {
    let stride = w + 1;
    let mut sums = vec![0u64; stride * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(raw[y * w + x]);
            sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
        }
    }
    sums
}

/// The pixel columns `[start, end)` of row centre `py` inside `page`, `margin` pixels in.
fn row_span(page: &PageQuad, py: f32, margin: f32, w: usize) -> (usize, usize) {
    if !page.border {
        return (0, w);
    }
    let (mut lo, mut hi) = (f32::MAX, f32::MIN);
    for i in 0..4 {
        let a = page.corners[i];
        let b = page.corners[(i + 1) % 4];
        if (a[1] - py) * (b[1] - py) <= 0.0 && a[1] != b[1] {
            let x = a[0] + (py - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    if lo > hi {
        return (0, 0);
    }
    // The margin along the row is at least the perpendicular margin.
    let start = (lo + margin).max(0.0).ceil() as usize;
    let end = ((hi - margin).max(0.0).floor() as usize).min(w);
    let (top, bottom) = page
        .corners
        .iter()
        .fold((f32::MAX, f32::MIN), |(t, b), p| (t.min(p[1]), b.max(p[1])));
    if py < top + margin || py > bottom - margin {
        return (0, 0);
    }
    (start.min(end), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_survives_a_light_gradient() {
        // Dark strokes on paper that dims from 250 to 140 left to right.
        let img = GrayImage::from_fn(200, 100, |x, y| {
            let paper = 250 - (x * 110 / 200) as u8;
            image::Luma([if y % 20 == 10 && x % 7 < 4 {
                paper / 4
            } else {
                paper
            }])
        });
        let found = ink(&img, &PageQuad::whole(&img));
        let strokes = (0..200).filter(|x| x % 7 < 4).count() * 5;
        assert_eq!(found.points.len(), strokes);
    }
}
