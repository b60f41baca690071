//! A second QR locator, after zxing's detector, for the codes rqrr's own detection misses.
//!
//! rqrr finds the three finder patterns well but then counts the modules along the timing
//! pattern, transition by transition: one transition lost to blur or gained from noise and a
//! version 16–17 code (81–85 modules) is misread. This locator instead
//! 1. finds finder-pattern centres by their 1 : 1 : 3 : 1 : 1 dark/light runs on a row, then
//!    cross-checks them on the column and the row through the centre (rotation does not change
//!    the ratio along a line through the centre);
//! 2. groups them in threes that look like the corners of a square (right isosceles triangle,
//!    similar module sizes), best first;
//! 3. measures the module size along the code's own axes (from each finder's centre to the edge
//!    of its outer ring, both ways) and derives the version from the finder distances; the
//!    nearest versions are all tried, since Reed–Solomon rejects a wrong one;
//! 4. looks for the bottom-right alignment pattern near its predicted place (runs of bits,
//!    then a template on the grey levels) and maps the module grid onto the image with the
//!    perspective transform of the four points (a parallelogram when no alignment pattern is
//!    found); from version 7 on, every alignment pattern is looked for near where its found
//!    neighbours put it, and each cell between four of them gets its own transform (zxing-cpp's
//!    `SampleQR`), which follows curved paper and uneven perspective;
//! 5. samples every module centre and hands the grid to [`symbol`] (format and version
//!    information, error correction, data).

use super::symbol::{self, Modules};

/// A binarized image: `true` is dark.
pub(crate) struct Bits<'a> {
    /// Width in pixels.
    pub(crate) width: usize,
    /// Height in pixels.
    pub(crate) height: usize,
    /// Row-major pixels.
    pub(crate) dark: &'a [bool],
    /// The grey image the bits were made from, row-major: modules are sampled from it.
    pub(crate) grey: &'a [u8],
    /// Read light as dark and dark as light (light codes on a dark ground).
    pub(crate) inverted: bool,
}

/// Every code this locator reads in `bits`: decoded texts, or the decode errors of the
/// candidates when none decodes (empty when no candidate was found).
pub(crate) fn read(bits: &Bits<'_>) -> Vec<Result<String, String>> {
    read_with_candidates(bits).0
}

/// As [`read`], also giving the region (`[x0, y0, x1, y1]`, pixels) of every three finder
/// patterns that looked like a code's corners, with a margin for the rest of the code.
pub(crate) fn read_with_candidates(
    bits: &Bits<'_>,
) -> (Vec<Result<String, String>>, Vec<[f64; 4]>) {
    let finders = finders(bits);
    let mut best = triples(&finders);
    best.truncate(MAX_TRIPLES);
    let candidates = best
        .iter()
        .map(|&(i, j, k)| {
            let [a, b, c] = [finders[i], finders[j], finders[k]];
            let xs = [a.x, b.x, c.x];
            let ys = [a.y, b.y, c.y];
            let (x0, x1) = (
                xs.iter().copied().fold(f64::MAX, f64::min),
                xs.iter().copied().fold(0.0, f64::max),
            );
            let (y0, y1) = (
                ys.iter().copied().fold(f64::MAX, f64::min),
                ys.iter().copied().fold(0.0, f64::max),
            );
            // The finder centres are 3.5 modules in from the code's edge, plus a 4-module quiet
            // zone and room for perspective: half the span on each side is ample.
            let margin = (x1 - x0).max(y1 - y0) * 0.5 + 8.0 * a.module.max(b.module).max(c.module);
            [x0 - margin, y0 - margin, x1 + margin, y1 + margin]
        })
        .collect();
    let mut texts: Vec<Result<String, String>> = Vec::new();
    let mut errors = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    for (i, j, k) in best {
        if [i, j, k].iter().any(|n| used.contains(n)) {
            continue;
        }
        match decode_triple(bits, finders[i], finders[j], finders[k]) {
            Ok(text) => {
                used.extend([i, j, k]);
                if !texts.iter().any(|t| t.as_ref() == Ok(&text)) {
                    texts.push(Ok(text));
                }
            }
            Err(e) => errors.push(Err(e)),
        }
    }
    (if texts.is_empty() { errors } else { texts }, candidates)
}

/// Candidate triples tried per image, best first.
const MAX_TRIPLES: usize = 12;
/// Finder candidates kept for grouping (the most often seen).
const MAX_FINDERS: usize = 16;

#[derive(Clone, Copy, Debug)]
struct Finder {
    x: f64,
    y: f64,
    module: f64,
    seen: u32,
}

impl Bits<'_> {
    fn at(&self, x: f64, y: f64) -> Option<bool> {
        if x < 0.0 || y < 0.0 {
            return None;
        }
        let (x, y) = (x as usize, y as usize);
        (x < self.width && y < self.height).then(|| self.dark[y * self.width + x] != self.inverted)
    }

    fn bilinear(&self, x: f64, y: f64) -> Option<f64> {
        let (x, y) = (x - 0.5, y - 0.5);
        if x < 0.0 || y < 0.0 || x >= (self.width - 1) as f64 || y >= (self.height - 1) as f64 {
            return None;
        }
        let (x0, y0) = (x as usize, y as usize);
        let (fx, fy) = (x - x0 as f64, y - y0 as f64);
        let g = |xx: usize, yy: usize| {
            let v = f64::from(self.grey[yy * self.width + xx]);
            if self.inverted { 255.0 - v } else { v }
        };
        let top = g(x0, y0) * (1.0 - fx) + g(x0 + 1, y0) * fx;
        let bottom = g(x0, y0 + 1) * (1.0 - fx) + g(x0 + 1, y0 + 1) * fx;
        Some(top * (1.0 - fy) + bottom * fy)
    }
}

/// 1 : 1 : 3 : 1 : 1 within half a module per unit (zxing's tolerance).
fn finder_ratio(counts: &[f64; 5]) -> bool {
    let total: f64 = counts.iter().sum();
    if total < 7.0 {
        return false;
    }
    let m = total / 7.0;
    let v = m / 2.0;
    (counts[0] - m).abs() < v
        && (counts[1] - m).abs() < v
        && (counts[2] - 3.0 * m).abs() < 3.0 * v
        && (counts[3] - m).abs() < v
        && (counts[4] - m).abs() < v
}

fn finders(bits: &Bits<'_>) -> Vec<Finder> {
    let mut found: Vec<Finder> = Vec::new();
    // Run boundaries of one row: run i is edges[i]..edges[i + 1], colours alternating.
    let mut edges = vec![0usize; bits.width + 1];
    for y in 0..bits.height {
        if bits.width == 0 {
            break;
        }
        let row = &bits.dark[y * bits.width..(y + 1) * bits.width];
        // Branch-free: every x is written and kept (the count advanced) only where the colour
        // changes; a branch per pixel mispredicts at every module edge.
        let mut n = 1;
        for x in 1..row.len() {
            edges[n] = x;
            n += usize::from(row[x] != row[x - 1]);
        }
        edges[n] = row.len();
        // Runs alternate in colour: start from the first dark one.
        let first_dark = usize::from(row.first().is_some_and(|&d| d == bits.inverted));
        for i in (first_dark..n.saturating_sub(4)).step_by(2) {
            let counts = [0, 1, 2, 3, 4].map(|k| (edges[i + k + 1] - edges[i + k]) as f64);
            if !finder_ratio(&counts) {
                continue;
            }
            let cx = edges[i + 2] as f64 + counts[2] / 2.0;
            let max = counts.iter().sum::<f64>() * 2.0;
            let Some((cy, vm)) = cross_check(bits, cx, y as f64 + 0.5, (0.0, 1.0), max) else {
                continue;
            };
            let Some((cx, hm)) = cross_check(bits, cx, cy, (1.0, 0.0), max) else {
                continue;
            };
            let module = (counts.iter().sum::<f64>() / 7.0 + vm + hm) / 3.0;
            remember(&mut found, cx, cy, module);
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.seen));
    let confirmed = found.iter().filter(|f| f.seen >= 2).count();
    if confirmed >= 3 {
        found.truncate(confirmed);
    }
    found.truncate(MAX_FINDERS);
    found
}

/// Walks from the dark centre at (x, y) both ways along `dir`, measuring the five runs; if
/// they are 1 : 1 : 3 : 1 : 1, the centre along `dir` and the module size.
fn cross_check(bits: &Bits<'_>, x: f64, y: f64, dir: (f64, f64), max: f64) -> Option<(f64, f64)> {
    if bits.at(x, y) != Some(true) {
        return None;
    }
    let walk = |sign: f64| -> Option<[f64; 3]> {
        // Runs met going outwards: the rest of the centre, light ring, dark ring.
        let mut counts = [0.0; 3];
        let mut state = 0;
        let mut t = 1.0;
        while t <= max {
            let here = bits.at(x + sign * t * dir.0, y + sign * t * dir.1);
            let want_dark = state != 1;
            match here {
                Some(d) if d == want_dark => counts[state] += 1.0,
                Some(_) if state < 2 => {
                    state += 1;
                    counts[state] += 1.0;
                }
                // The outer dark ring ended (or the image did): done.
                _ if state == 2 => return Some(counts),
                _ => return None,
            }
            t += 1.0;
        }
        None
    };
    let back = walk(-1.0)?;
    let fwd = walk(1.0)?;
    let counts = [back[2], back[1], back[0] + fwd[0] + 1.0, fwd[1], fwd[2]];
    if !finder_ratio(&counts) {
        return None;
    }
    // Centre: the middle of the centre run, measured from (x, y).
    let offset = (fwd[0] - back[0]) / 2.0;
    let centre = if dir.0 != 0.0 { x + offset } else { y + offset };
    Some((centre, counts.iter().sum::<f64>() / 7.0))
}

fn remember(found: &mut Vec<Finder>, x: f64, y: f64, module: f64) {
    for f in found.iter_mut() {
        if (f.x - x).abs() <= f.module.max(module)
            && (f.y - y).abs() <= f.module.max(module)
            && (f.module - module).abs() <= f.module.max(1.0)
        {
            let n = f64::from(f.seen);
            f.x = (f.x * n + x) / (n + 1.0);
            f.y = (f.y * n + y) / (n + 1.0);
            f.module = (f.module * n + module) / (n + 1.0);
            f.seen += 1;
            return;
        }
    }
    found.push(Finder {
        x,
        y,
        module,
        seen: 1,
    });
}

fn dist(a: &Finder, b: &Finder) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// Index triples whose finders could be the corners of one code, most square-like first.
fn triples(f: &[Finder]) -> Vec<(usize, usize, usize)> {
    let mut scored = Vec::new();
    for i in 0..f.len() {
        for j in i + 1..f.len() {
            for k in j + 1..f.len() {
                let modules = [f[i].module, f[j].module, f[k].module];
                let (lo, hi) = modules
                    .iter()
                    .fold((f64::MAX, 0.0f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
                if hi > lo * 1.6 {
                    continue;
                }
                let mut sides = [dist(&f[i], &f[j]), dist(&f[j], &f[k]), dist(&f[i], &f[k])];
                sides.sort_by(f64::total_cmp);
                let [a, b, c] = sides;
                // Finder centres of a version 1 code are 14 modules apart; of version 40, 170.
                let mean = (lo + hi) / 2.0;
                if a < 10.0 * mean || b > 180.0 * mean {
                    continue;
                }
                let right = (c * c - a * a - b * b).abs() / (c * c);
                let isosceles = (b - a) / b;
                let score = right + isosceles;
                if score < 0.6 {
                    scored.push((score, (i, j, k)));
                }
            }
        }
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().map(|(_, t)| t).collect()
}

fn decode_triple(bits: &Bits<'_>, a: Finder, b: Finder, c: Finder) -> Result<String, String> {
    // The corner opposite the longest side is the top-left finder.
    let (ab, bc, ac) = (dist(&a, &b), dist(&b, &c), dist(&a, &c));
    let (tl, mut tr, mut bl) = if bc >= ab && bc >= ac {
        (a, b, c)
    } else if ac >= ab && ac >= bc {
        (b, a, c)
    } else {
        (c, a, b)
    };
    // In image coordinates (y down) the top-right finder is clockwise from the bottom-left.
    if (tr.x - tl.x) * (bl.y - tl.y) - (tr.y - tl.y) * (bl.x - tl.x) < 0.0 {
        std::mem::swap(&mut tr, &mut bl);
    }
    let module = [
        ring_width(bits, &tl, &tr),
        ring_width(bits, &tr, &tl),
        ring_width(bits, &tl, &bl),
        ring_width(bits, &bl, &tl),
    ]
    .into_iter()
    .flatten()
    .fold((0.0, 0.0), |(s, n), w| (s + w, n + 1.0));
    let module = if module.1 > 0.0 {
        module.0 / module.1 / 7.0
    } else {
        (tl.module + tr.module + bl.module) / 3.0
    };
    let estimate = (dist(&tl, &tr) + dist(&tl, &bl)) / 2.0 / module + 7.0;
    let mut last = String::from("no version fits the finder distances");
    for size in sizes_near(estimate) {
        let d = size as f64;
        let corners = |br_grid, br_image| {
            Homography::between(
                [(3.5, 3.5), (d - 3.5, 3.5), br_grid, (3.5, d - 3.5)],
                [(tl.x, tl.y), (tr.x, tr.y), br_image, (bl.x, bl.y)],
            )
        };
        // The parallelogram of the three finders: exact without perspective, and where the
        // alignment patterns are looked for.
        let br_grid = (d - 3.5, d - 3.5);
        let Some(flat) = corners(br_grid, (tr.x - tl.x + bl.x, tr.y - tl.y + bl.y)) else {
            continue;
        };
        let alignment = if size > 21 {
            alignment(bits, &tl, &tr, &bl, size, module)
                .or_else(|| find_alignment(bits, &flat, (d - 6.5, d - 6.5), BR_REACH))
        } else {
            None
        };
        // Through the alignment pattern, then, if that does not read, the parallelogram: at
        // about 3 px per module a blurred pattern can match a module off its place and bend
        // the whole grid (three of the six codes of ../shared/qr-photos this locator missed
        // read through the parallelogram).
        let through_alignment = alignment.and_then(|p| corners((d - 6.5, d - 6.5), p));
        for h in through_alignment.into_iter().chain([flat]) {
            let map = Mapping::new(bits, h, size);
            for grid in [sample_grey(bits, &map, size), sample_bits(bits, &map, size)] {
                match symbol::read(&grid) {
                    Ok(text) => return Ok(text),
                    Err(e) => last = format!("version {}: {e}", (size - 17) / 4),
                }
            }
        }
    }
    Err(last)
}

/// How far from its predicted place (in modules, either way along both axes) an alignment
/// pattern is looked for: the bottom-right one, predicted by the finders' parallelogram, which
/// perspective moves by a few modules; the others, predicted from found neighbours.
const BR_REACH: f64 = 4.0;
const NEIGHBOUR_REACH: f64 = 2.0;

/// Module grid to image: one homography, or for codes with more than one row of alignment
/// patterns (version 7 and up, ISO/IEC 18004 §6.3.6) one per cell between four neighbouring
/// patterns, found in the image, as zxing-cpp samples large codes: a curved or unevenly
/// tilted code is flat enough within a cell.
struct Mapping {
    whole: Homography,
    /// Alignment pattern rows and columns (module index), when sampled by cells.
    centres: Vec<usize>,
    /// Row-major, (centres.len() − 1)² cells.
    cells: Vec<Homography>,
}

impl Mapping {
    fn new(bits: &Bits<'_>, whole: Homography, size: usize) -> Self {
        let centres = alignment_centres(size);
        let n = centres.len();
        let mut cells = Vec::new();
        if n >= 3 {
            let m = |i: usize| centres[i] as f64 + 0.5;
            // Pixel place of each pattern: the three under the finders are where the finders put
            // them; the others are looked for near the place their found neighbours predict.
            let mut at: Vec<Option<(f64, f64)>> = vec![None; n * n];
            // Where a pattern is: found, else where the whole-code transform puts it.
            let place = |at: &[Option<(f64, f64)>], i: usize, j: usize| {
                at[j * n + i].unwrap_or_else(|| whole.map(m(i), m(j)))
            };
            for (i, j) in [(0, 0), (n - 1, 0), (0, n - 1)] {
                at[j * n + i] = Some(whole.map(m(i), m(j)));
            }
            for j in 0..n {
                for i in 0..n {
                    if at[j * n + i].is_some() {
                        continue;
                    }
                    let guess = match (i, j) {
                        (0, _) | (_, 0) => whole.map(m(i), m(j)),
                        _ => {
                            let p = |i, j| place(&at, i, j);
                            let (a, b, c) = (p(i - 1, j), p(i, j - 1), p(i - 1, j - 1));
                            (a.0 + b.0 - c.0, a.1 + b.1 - c.1)
                        }
                    };
                    let local = whole.shifted_to(m(i), m(j), guess);
                    at[j * n + i] = find_alignment(bits, &local, (m(i), m(j)), NEIGHBOUR_REACH);
                }
            }
            for j in 0..n - 1 {
                for i in 0..n - 1 {
                    let p = |i, j| place(&at, i, j);
                    let cell = Homography::between(
                        [
                            (m(i), m(j)),
                            (m(i + 1), m(j)),
                            (m(i + 1), m(j + 1)),
                            (m(i), m(j + 1)),
                        ],
                        [p(i, j), p(i + 1, j), p(i + 1, j + 1), p(i, j + 1)],
                    );
                    match cell {
                        Some(c) => cells.push(c),
                        None => {
                            return Self {
                                whole,
                                centres,
                                cells: Vec::new(),
                            };
                        }
                    }
                }
            }
        }
        Self {
            whole,
            centres,
            cells,
        }
    }

    fn map(&self, x: f64, y: f64) -> (f64, f64) {
        if self.cells.is_empty() {
            return self.whole.map(x, y);
        }
        let n = self.centres.len();
        // The cell whose patterns surround (x, y); modules outside the outer patterns belong to
        // the edge cells.
        let cell = |v: f64| {
            self.centres[1..n - 1]
                .iter()
                .take_while(|&&c| v >= c as f64 + 0.5)
                .count()
        };
        self.cells[cell(y) * (n - 1) + cell(x)].map(x, y)
    }
}

/// Alignment pattern rows and columns of a code of `size` modules (ISO/IEC 18004 Annex E): 6,
/// then evenly spaced (an even step) up to `size` − 7; none for version 1.
pub(crate) fn alignment_centres(size: usize) -> Vec<usize> {
    let version = (size - 17) / 4;
    if version < 2 {
        return Vec::new();
    }
    let n = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + n * 2 + 1) / (n * 2 - 2) * 2
    };
    let mut out: Vec<usize> = (0..n - 1).map(|k| size - 7 - k * step).collect();
    out.push(6);
    out.reverse();
    out
}

/// The centre of the alignment pattern expected at module (`u`, `v`) (its centre module's
/// middle) under `h`: the best match within `reach` modules, in quarter modules, of the
/// pattern's 5 × 5 modules (dark ring, light ring, dark centre) on the grey image, if it stands
/// out by at least [`MIN_ALIGNMENT_CONTRAST`]. A template on grey levels, rather than runs of
/// bits, still finds a pattern blurred into its neighbours.
fn find_alignment(
    bits: &Bits<'_>,
    h: &Homography,
    (u, v): (f64, f64),
    reach: f64,
) -> Option<(f64, f64)> {
    let score = |cu: f64, cv: f64| -> Option<f64> {
        let (mut light, mut dark) = (0.0, 0.0);
        for j in -2i32..=2 {
            for i in -2i32..=2 {
                let (x, y) = h.map(cu + f64::from(i), cv + f64::from(j));
                let g = bits.bilinear(x, y)?;
                if i.abs().max(j.abs()) == 1 {
                    light += g / 8.0;
                } else {
                    dark += g / 17.0;
                }
            }
        }
        Some(light - dark)
    };
    let steps = (reach * 4.0) as i32;
    let mut best: Option<(f64, (f64, f64))> = None;
    for dj in -steps..=steps {
        for di in -steps..=steps {
            let (cu, cv) = (u + f64::from(di) / 4.0, v + f64::from(dj) / 4.0);
            if let Some(s) = score(cu, cv)
                && best.is_none_or(|(b, _)| s > b)
            {
                best = Some((s, (cu, cv)));
            }
        }
    }
    let (s, (cu, cv)) = best?;
    (s >= MIN_ALIGNMENT_CONTRAST).then(|| h.map(cu, cv))
}

/// Least difference between the mean grey levels of an alignment pattern's light ring and of
/// its dark modules (out of 255) for [`find_alignment`] to accept it: a sixth of the full
/// range, well above JPEG noise, below the contrast of the low-contrast renders (×0.2–0.4).
const MIN_ALIGNMENT_CONTRAST: f64 = 40.0;

/// Each module's colour from the bits at its centre.
fn sample_bits(bits: &Bits<'_>, h: &Mapping, size: usize) -> Modules {
    let dark = (0..size * size)
        .map(|i| {
            let (px, py) = h.map((i % size) as f64 + 0.5, (i / size) as f64 + 0.5);
            bits.at(px, py).unwrap_or(false)
        })
        .collect();
    Modules { size, dark }
}

/// Each module's grey level at its centre (bilinear), compared with the midpoint between
/// the darkest and lightest modules around it (7 × 7 modules): a threshold at the scale of
/// the code, which follows dot gain, blur and uneven light better than a pixel threshold.
fn sample_grey(bits: &Bits<'_>, h: &Mapping, size: usize) -> Modules {
    let mut level = vec![255.0f64; size * size];
    for y in 0..size {
        for x in 0..size {
            let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
            level[y * size + x] = bits.bilinear(px, py).unwrap_or(255.0);
        }
    }
    let r = 3usize;
    let dark = (0..size * size).map(|i| {
        let (x, y) = (i % size, i / size);
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        for yy in y.saturating_sub(r)..(y + r + 1).min(size) {
            for xx in x.saturating_sub(r)..(x + r + 1).min(size) {
                let v = level[yy * size + xx];
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        level[y * size + x] < (lo + hi) / 2.0
    });
    Modules {
        size,
        dark: dark.collect(),
    }
}

/// Valid module counts (17 + 4 v) nearest to `estimate`, nearest first.
fn sizes_near(estimate: f64) -> Vec<usize> {
    let v = ((estimate - 17.0) / 4.0).round();
    let mut out = Vec::new();
    for dv in [0.0, -1.0, 1.0] {
        let version = v + dv;
        if (1.0..=40.0).contains(&version) {
            out.push(17 + 4 * version as usize);
        }
    }
    out
}

/// From `from`'s centre towards `to`, then away from it: the width of `from`'s finder pattern
/// along that axis (7 modules), if both walks cross centre, light ring and dark ring.
fn ring_width(bits: &Bits<'_>, from: &Finder, to: &Finder) -> Option<f64> {
    let len = dist(from, to);
    let (ux, uy) = ((to.x - from.x) / len, (to.y - from.y) / len);
    let reach = |sign: f64| -> Option<f64> {
        let mut transitions = 0;
        let mut previous = true;
        let mut t = 0.0;
        while t < from.module * 8.0 {
            let here = bits.at(from.x + sign * t * ux, from.y + sign * t * uy)?;
            if here != previous {
                transitions += 1;
                previous = here;
                if transitions == 3 {
                    return Some(t);
                }
            }
            t += 0.5;
        }
        None
    };
    let width = reach(1.0)? + reach(-1.0)?;
    ((width / 7.0 - from.module).abs() < from.module).then_some(width)
}

/// The centre of the bottom-right alignment pattern: dark centre module in a light ring, looked
/// for in widening squares around where the finders predict it.
fn alignment(
    bits: &Bits<'_>,
    tl: &Finder,
    tr: &Finder,
    bl: &Finder,
    size: usize,
    module: f64,
) -> Option<(f64, f64)> {
    let between = size as f64 - 7.0;
    let toward = 1.0 - 3.0 / between;
    let ex = tl.x + toward * (tr.x - tl.x + bl.x - tl.x);
    let ey = tl.y + toward * (tr.y - tl.y + bl.y - tl.y);
    for reach in [4.0, 8.0, 16.0] {
        let r = reach * module;
        let mut best: Option<(f64, (f64, f64))> = None;
        let mut y = (ey - r).max(0.0);
        while y <= (ey + r).min(bits.height as f64 - 1.0) {
            let mut x = (ex - r).max(0.0);
            let mut runs: Vec<(f64, f64, bool)> = Vec::new(); // start, length, dark
            while x <= (ex + r).min(bits.width as f64 - 1.0) {
                let d = bits.at(x, y).unwrap_or(false);
                match runs.last_mut() {
                    Some(last) if last.2 == d => last.1 += 1.0,
                    _ => runs.push((x, 1.0, d)),
                }
                x += 1.0;
            }
            for w in runs.windows(3) {
                let [l, c, rr] = [w[0], w[1], w[2]];
                if l.2 || !c.2 || rr.2 {
                    continue;
                }
                let ok = |n: f64| (n - module).abs() < module * 0.6;
                if !(ok(l.1) && ok(c.1) && ok(rr.1)) {
                    continue;
                }
                let cx = c.0 + c.1 / 2.0;
                if let Some(cy) = alignment_column(bits, cx, y, module) {
                    let d = (cx - ex).hypot(cy - ey);
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, (cx, cy)));
                    }
                }
            }
            y += 1.0;
        }
        if let Some((_, p)) = best {
            return Some(p);
        }
    }
    None
}

/// The alignment centre's column through (x, y): dark centre between two light runs of about a
/// module each; its middle.
fn alignment_column(bits: &Bits<'_>, x: f64, y: f64, module: f64) -> Option<f64> {
    let run = |sign: f64, dark: bool, from: f64| -> f64 {
        let mut t = 0.0;
        while t < module * 3.0 && bits.at(x, from + sign * (t + 1.0)) == Some(dark) {
            t += 1.0;
        }
        t
    };
    let up = run(-1.0, true, y);
    let down = run(1.0, true, y);
    let centre = up + down + 1.0;
    let light_up = run(-1.0, false, y - up - 1.0) + 1.0;
    let light_down = run(1.0, false, y + down + 1.0) + 1.0;
    let ok = |n: f64| (n - module).abs() < module * 0.6;
    (ok(centre) && ok(light_up) && ok(light_down)).then_some(y + (down - up) / 2.0)
}

/// A plane projective transform, as a 3 × 3 matrix acting on (x, y, 1).
struct Homography([[f64; 3]; 3]);

impl Homography {
    /// The transform taking the unit square's corners (0,0), (1,0), (1,1), (0,1) to `q`.
    fn square_to(q: [(f64, f64); 4]) -> Option<Self> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
        let (dx3, dy3) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let denominator = dx1 * dy2 - dx2 * dy1;
        if denominator.abs() < 1e-9 {
            return None;
        }
        let g = (dx3 * dy2 - dx2 * dy3) / denominator;
        let h = (dx1 * dy3 - dx3 * dy1) / denominator;
        Some(Self([
            [x1 - x0 + g * x1, x3 - x0 + h * x3, x0],
            [y1 - y0 + g * y1, y3 - y0 + h * y3, y0],
            [g, h, 1.0],
        ]))
    }

    /// The transform taking `from`'s four points to `to`'s.
    fn between(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Option<Self> {
        let a = Self::square_to(from)?.adjugate();
        let b = Self::square_to(to)?;
        let mut m = [[0.0; 3]; 3];
        for (i, row) in m.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = (0..3).map(|k| b.0[i][k] * a.0[k][j]).sum();
            }
        }
        Some(Self(m))
    }

    /// The adjugate: the inverse up to scale, which is all a projective transform needs.
    fn adjugate(&self) -> Self {
        let m = &self.0;
        let c = |r0: usize, r1: usize, c0: usize, c1: usize| {
            m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]
        };
        Self([
            [c(1, 2, 1, 2), -c(0, 2, 1, 2), c(0, 1, 1, 2)],
            [-c(1, 2, 0, 2), c(0, 2, 0, 2), -c(0, 1, 0, 2)],
            [c(1, 2, 0, 1), -c(0, 2, 0, 1), c(0, 1, 0, 1)],
        ])
    }

    /// The same transform followed by the translation that takes (`x`, `y`)'s image to `to`.
    fn shifted_to(&self, x: f64, y: f64, to: (f64, f64)) -> Self {
        let (px, py) = self.map(x, y);
        let (dx, dy) = (to.0 - px, to.1 - py);
        let m = &self.0;
        let row = |r: usize, d: f64| [0, 1, 2].map(|c| m[r][c] + d * m[2][c]);
        Self([row(0, dx), row(1, dy), m[2]])
    }

    fn map(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        let w = m[2][0] * x + m[2][1] * y + m[2][2];
        (
            (m[0][0] * x + m[0][1] * y + m[0][2]) / w,
            (m[1][0] * x + m[1][1] * y + m[1][2]) / w,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_corners() {
        let from = [(3.5, 3.5), (81.5, 3.5), (78.5, 78.5), (3.5, 81.5)];
        let to = [(100.0, 50.0), (400.0, 80.0), (390.0, 420.0), (60.0, 380.0)];
        let h = Homography::between(from, to).expect("not degenerate");
        for (f, t) in from.iter().zip(to) {
            let (x, y) = h.map(f.0, f.1);
            assert!(
                (x - t.0).abs() < 1e-6 && (y - t.1).abs() < 1e-6,
                "{x},{y} vs {t:?}"
            );
        }
    }

    #[test]
    fn alignment_centres_match_the_standard_table() {
        // ISO/IEC 18004 Annex E, Table E.1.
        let v = |version: usize| alignment_centres(17 + 4 * version);
        assert!(v(1).is_empty());
        assert_eq!(v(2), [6, 18]);
        assert_eq!(v(7), [6, 22, 38]);
        assert_eq!(v(10), [6, 28, 50]);
        assert_eq!(v(15), [6, 26, 48, 70]);
        assert_eq!(v(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(v(36), [6, 24, 50, 76, 102, 128, 154]);
        assert_eq!(v(40), [6, 30, 58, 86, 114, 142, 170]);
    }

    #[test]
    fn version_candidates_are_valid_sizes_nearest_first() {
        assert_eq!(sizes_near(84.2), vec![85, 81, 89]);
        assert_eq!(sizes_near(20.0), vec![21, 25]);
    }
}
