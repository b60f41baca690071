//! Page detection: the bright page against a dark scanner border.
//!
//! Otsu's threshold splits the (reduced) image into bright and dark, scaled pixel by pixel by
//! the light falling on the paper there ([`light_threshold`]): under a side light or a
//! vignette the paper at the dim edge can be darker than Otsu's threshold, and a page cut there
//! looked like a photo in perspective. When most of the image's outer ring is dark there is a
//! border, and the page is the largest bright 4-connected region. Its corners are the extremes
//! of `x + y` and `x − y`, which are the corners of any rectangle turned by less than 45°.

use image::GrayImage;

use super::clean::Levels;

/// The page in the image it was found in: corners top-left, top-right, bottom-right,
/// bottom-left of the image frame, in pixels (edges, not centres).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageQuad {
    /// TL, TR, BR, BL as `[x, y]`.
    pub corners: [[f32; 2]; 4],
    /// Whether a dark border was found; without one the quad is the whole image.
    pub border: bool,
}

impl PageQuad {
    /// The whole image as the page.
    pub fn whole(grey: &GrayImage) -> Self {
        let (w, h) = (grey.width() as f32, grey.height() as f32);
        Self {
            corners: [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]],
            border: false,
        }
    }

    /// The same quad in an image `factor` times larger.
    pub fn scaled(self, factor: f32) -> Self {
        Self {
            corners: self.corners.map(|[x, y]| [x * factor, y * factor]),
            border: self.border,
        }
    }

    /// Whether `[x, y]` lies inside the quadrilateral (convex, either winding), at least
    /// `margin` pixels from every edge.
    pub fn contains(&self, p: [f32; 2], margin: f32) -> bool {
        (0..4).all(|i| {
            let a = self.corners[i];
            let b = self.corners[(i + 1) % 4];
            let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
            let len = (ex * ex + ey * ey).sqrt().max(f32::EPSILON);
            // Image y points down, so for TL→TR→BR→BL the inside is on the right: cross > 0.
            (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / len >= margin
        })
    }
}

/// Finds the page against a dark scanner border in a grey image (about 150 dpi is plenty).
/// Without a border (most of the outer ring bright) the whole image is the page.
pub fn find_page(grey: &GrayImage) -> PageQuad {
    let whole = PageQuad::whole(grey);
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    if w < 8 || h < 8 {
        return whole;
    }
    let raw = grey.as_raw();
    let t = light_threshold(raw, w, h);
    let dark = |i: usize| raw[i] <= t[i];
    let ring: Vec<usize> = (0..w)
        .flat_map(|x| [x, (h - 1) * w + x])
        .chain((1..h - 1).flat_map(|y| [y * w, y * w + w - 1]))
        .collect();
    let dark_ring = ring.iter().filter(|&&i| dark(i)).count();
    // A page filling the frame has a bright ring with a few dark specks; a scanner lid left
    // open or a page laid on a dark table makes the ring mostly dark.
    if dark_ring * 2 < ring.len() {
        return whole;
    }
    let Some(region) = largest_bright_region(raw, w, h, &t) else {
        return whole;
    };
    // Too small a region is not a page (a bright label on a dark photo).
    if region.count * 8 < w * h {
        return whole;
    }
    PageQuad {
        corners: region.corners(),
        border: true,
    }
}

/// Otsu's threshold (Otsu 1979): the grey level that best separates two classes.
pub(crate) fn otsu(raw: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &v in raw {
        hist[usize::from(v)] += 1;
    }
    let total = raw.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut t) = (0.0, 0.0, -1.0, 0u8);
    for (i, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        sum0 += i as f64 * c as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0, (sum_all - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            t = i as u8;
        }
    }
    t
}

/// The threshold between paper and background at every pixel of a `w` × `h` image: Otsu's
/// threshold over the whole image, times the paper's level there over its median level. A cell
/// (1/16 of the long side) has a paper level when at least a quarter of its pixels are above
/// Otsu's threshold: their mean. Cells without one (the bed, the desk, a corner in shadow) take
/// the mean of their neighbours', spreading outwards from the paper; between cell centres the
/// level is interpolated. Under even light this is Otsu's threshold everywhere.
fn light_threshold(raw: &[u8], w: usize, h: usize) -> Vec<u8> {
    let t = otsu(raw);
    let cell = (w.max(h) / 16).max(4);
    let (gw, gh) = (w.div_ceil(cell), h.div_ceil(cell));
    // Per cell: sum and count of the pixels above `t`, count of all.
    let mut cells = vec![(0u64, 0u32, 0u32); gw * gh];
    for (y, row) in raw.chunks_exact(w).enumerate() {
        for (x, &v) in row.iter().enumerate() {
            let c = &mut cells[(y / cell) * gw + x / cell];
            c.2 += 1;
            if v > t {
                c.0 += u64::from(v);
                c.1 += 1;
            }
        }
    }
    let mut level: Vec<Option<f32>> = cells
        .iter()
        .map(|&(sum, n, all)| (n > 0 && n * 4 >= all).then(|| sum as f32 / n as f32))
        .collect();
    let mut known: Vec<f32> = level.iter().flatten().copied().collect();
    known.sort_by(f32::total_cmp);
    let Some(&median) = known.get(known.len() / 2) else {
        return vec![t; raw.len()];
    };
    // One ring of cells a pass; the grid is connected, so gw + gh passes fill it.
    for _ in 0..gw + gh {
        let before = level.clone();
        for (i, slot) in level.iter_mut().enumerate().filter(|(_, l)| l.is_none()) {
            let (x, y) = (i % gw, i / gw);
            let around: Vec<f32> = (y.saturating_sub(1)..(y + 2).min(gh))
                .flat_map(|yy| (x.saturating_sub(1)..(x + 2).min(gw)).map(move |xx| yy * gw + xx))
                .filter_map(|j| before[j])
                .collect();
            if !around.is_empty() {
                *slot = Some(around.iter().sum::<f32>() / around.len() as f32);
            }
        }
    }
    let levels = Levels {
        values: level.into_iter().map(|l| l.unwrap_or(median)).collect(),
        columns: gw,
        cell: cell as f32,
    };
    let scale = f32::from(t) / median;
    let mut out = Vec::with_capacity(raw.len());
    let mut row = vec![0f32; w];
    for y in 0..h {
        levels.row(y, &mut row);
        out.extend(
            row.iter()
                .map(|&l| (l * scale).round().clamp(0.0, 255.0) as u8),
        );
    }
    out
}

/// A bright region: its size and, for its corners, the pixels extreme in `x + y` and `x − y`.
#[derive(Clone, Copy, Debug, Default)]
struct Region {
    count: usize,
    /// (key, x, y) minimizing x + y, maximizing x − y, maximizing x + y, minimizing x − y.
    extremes: [(i64, usize, usize); 4],
}

impl Region {
    fn new() -> Self {
        Self {
            count: 0,
            extremes: [(i64::MAX, 0, 0); 4],
        }
    }

    fn add(&mut self, x: usize, y: usize) {
        self.count += 1;
        let (xi, yi) = (x as i64, y as i64);
        let keys = [xi + yi, yi - xi, -(xi + yi), xi - yi];
        for (slot, key) in self.extremes.iter_mut().zip(keys) {
            if key < slot.0 {
                *slot = (key, x, y);
            }
        }
    }

    /// TL, TR, BR, BL at the outer corners of the extreme pixels.
    fn corners(&self) -> [[f32; 2]; 4] {
        let offsets = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        std::array::from_fn(|i| {
            let (_, x, y) = self.extremes[i];
            [x as f32 + offsets[i][0], y as f32 + offsets[i][1]]
        })
    }
}

/// The largest 4-connected region brighter than its threshold `t` (one per pixel; iterative
/// flood fill).
fn largest_bright_region(raw: &[u8], w: usize, h: usize, t: &[u8]) -> Option<Region> {
    let mut seen = vec![false; raw.len()];
    let mut best: Option<Region> = None;
    let mut stack = Vec::new();
    for start in 0..raw.len() {
        if seen[start] || raw[start] <= t[start] {
            continue;
        }
        let mut region = Region::new();
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            region.add(x, y);
            let mut visit = |j: usize| {
                if !seen[j] && raw[j] > t[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if best.is_none_or(|b| region.count > b.count) {
            best = Some(region);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_turned_page_on_a_dark_bed() {
        // A 60 × 80 bright rectangle turned by 10° in a 140 × 160 dark image.
        let (cx, cy, a) = (70.0f32, 80.0f32, 10f32.to_radians());
        let img = GrayImage::from_fn(140, 160, |x, y| {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let (u, v) = (dx * a.cos() - dy * a.sin(), dx * a.sin() + dy * a.cos());
            image::Luma([if u.abs() < 30.0 && v.abs() < 40.0 {
                230
            } else {
                30
            }])
        });
        let q = find_page(&img);
        assert!(q.border);
        // Expected TL: the page corner (-30, -40) rotated back into the image.
        let (s, c) = a.sin_cos();
        let tl = [cx + (-30.0 * c + -40.0 * s), cy + (30.0 * s + -40.0 * c)];
        assert!(
            (q.corners[0][0] - tl[0]).abs() < 1.5,
            "{:?} vs {tl:?}",
            q.corners
        );
        assert!(
            (q.corners[0][1] - tl[1]).abs() < 1.5,
            "{:?} vs {tl:?}",
            q.corners
        );
        assert!(q.contains([cx, cy], 20.0));
        assert!(!q.contains([2.0, 2.0], 0.0));
    }

    #[test]
    fn finds_a_page_under_a_side_light() {
        // A 100 × 140 page (250) on a textured bed (20..100) in a 140 × 180 image, in the shadow
        // of a side light past x = 90: the paper falls to 117 at its right edge, below Otsu's
        // threshold over the whole image (139), which alone would cut the page there.
        let img = GrayImage::from_fn(140, 180, |x, y| {
            let light = if x < 90 {
                1.0
            } else {
                1.0 - 0.55 * (x - 90) as f32 / 30.0
            };
            let page = (20..120).contains(&x) && (20..160).contains(&y);
            let level = if page {
                250
            } else {
                20 + (7 * x + 13 * y) % 80
            };
            image::Luma([(level as f32 * light) as u8])
        });
        let t = otsu(img.as_raw());
        assert!(
            img.get_pixel(119, 80).0[0] <= t,
            "the trap: Otsu alone cuts the page"
        );
        let q = find_page(&img);
        assert!(q.border);
        let want = [[20.0, 20.0], [120.0, 20.0], [120.0, 160.0], [20.0, 160.0]];
        for (found, want) in q.corners.iter().zip(want) {
            assert!(
                (found[0] - want[0]).abs() <= 1.0 && (found[1] - want[1]).abs() <= 1.0,
                "{:?}",
                q.corners
            );
        }
    }

    #[test]
    fn white_frame_is_the_whole_page() {
        let img = GrayImage::from_fn(50, 50, |x, _| image::Luma([if x == 25 { 0 } else { 250 }]));
        assert_eq!(find_page(&img), PageQuad::whole(&img));
    }
}
