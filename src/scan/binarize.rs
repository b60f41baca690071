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
///
/// Without the pieces of ink (8-connected) that are wider **and** taller than a quarter of the
/// page's half-diagonal (45 mm on A4): a frame round the page (the dark bed of a bilevel scan
/// around a page that was not found, a printed border), a photograph. Such a piece lies along
/// both axes at once and would make the text-line direction a guess; text, even letters run
/// together into whole lines, is never that tall, and tables, QR codes and seals are smaller.
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
    let (mut runs, mut examined) = (Vec::new(), 0usize);
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
                // Sides are at most `max_image_side` (12,000): u32 holds them.
                let (y, x) = (y as u32, x as u32);
                match runs.last_mut() {
                    Some(Run { y: ry, end, .. }) if *ry == y && *end == x => *end = x + 1,
                    _ => runs.push(Run {
                        y,
                        start: x,
                        end: x + 1,
                    }),
                }
            }
        }
    }
    // The window sums are done with (8 bytes a pixel): free them before the pieces' labels.
    drop(sums);
    let keep = small_pieces(&runs, radius / 4.0);
    let points: Vec<[f32; 2]> = runs
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .flat_map(|(run, _)| {
            let py = run.y as f32 + 0.5 - centre[1];
            (run.start..run.end).map(move |x| [x as f32 + 0.5 - centre[0], py])
        })
        .collect();
    Ink {
        fraction: points.len() as f32 / examined.max(1) as f32,
        points,
        radius,
    }
}

/// A horizontal run of ink pixels `[start, end)` on row `y`: 12 bytes, and 21 more while the
/// pieces are labelled. At most one run per two pixels of the working image: 2.6 million runs,
/// 86 MB, for a checkerboard of single pixels at the budget (the window sums, 8 bytes a pixel,
/// are freed by then; measured in `testdata/scan/README.md`).
struct Run {
    y: u32,
    start: u32,
    end: u32,
}

/// For each run (in raster order), whether its 8-connected piece of ink is no wider or no
/// taller than `max_side` pixels. Union-find over the runs: a run joins every run of the row
/// above that touches it, diagonally included.
fn small_pieces(runs: &[Run], max_side: f32) -> Vec<bool> {
    fn root(parent: &mut [u32], mut i: usize) -> usize {
        while parent[i] as usize != i {
            parent[i] = parent[parent[i] as usize];
            i = parent[i] as usize;
        }
        i
    }
    // Fewer runs than pixels, and pixels fit u32 (see `Run`).
    let mut parent: Vec<u32> = (0..runs.len() as u32).collect();
    // Runs of the row above that may still touch: from `above` up to the current row's first.
    let (mut above, mut row_start) = (0, 0);
    for i in 0..runs.len() {
        if i > 0 && runs[i].y != runs[i - 1].y {
            above = if runs[i].y == runs[i - 1].y + 1 {
                row_start
            } else {
                i
            };
            row_start = i;
        }
        // The row's runs go left to right: runs above that end left of this one end left of
        // the next one too.
        while above < row_start && runs[above].end < runs[i].start {
            above += 1;
        }
        for j in above..row_start {
            if runs[j].start > runs[i].end {
                break;
            }
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a.max(b)] = a.min(b) as u32;
        }
    }
    // Bounding box of each piece, at its root: [x0, x1, y0, y1].
    let mut boxes = vec![[u32::MAX, 0, u32::MAX, 0]; runs.len()];
    for (i, run) in runs.iter().enumerate() {
        let b = &mut boxes[root(&mut parent, i)];
        *b = [
            b[0].min(run.start),
            b[1].max(run.end),
            b[2].min(run.y),
            b[3].max(run.y + 1),
        ];
    }
    (0..runs.len())
        .map(|i| {
            let [x0, x1, y0, y1] = boxes[root(&mut parent, i)];
            (x1 - x0) as f32 <= max_side || (y1 - y0) as f32 <= max_side
        })
        .collect()
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
    fn a_frame_round_the_page_is_not_ink() {
        // Text-like dashes inside a dark frame 4 pixels wide, 10 pixels in from the edges: the
        // frame is one piece as wide and tall as the page, the dashes stay.
        let img = GrayImage::from_fn(200, 240, |x, y| {
            let frame = (10..190).contains(&x)
                && (10..230).contains(&y)
                && !((14..186).contains(&x) && (14..226).contains(&y));
            let dash = y % 12 == 6 && (30..170).contains(&x) && x % 9 < 6 && (30..210).contains(&y);
            image::Luma([if frame || dash { 20 } else { 240 }])
        });
        let found = ink(&img, &PageQuad::whole(&img));
        let dashes =
            (30..170).filter(|x| x % 9 < 6).count() * (30..210).filter(|y| y % 12 == 6).count();
        assert_eq!(found.points.len(), dashes);
    }

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
