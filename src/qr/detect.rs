//! Finding QR codes in photos and scans: rqrr behind a retry ladder.
//!
//! rqrr alone reads clean renders but few real photos (testdata/qr/renders: 9 of 60, against
//! 52 for zxing-cpp). Its finder-pattern search is sound; what breaks is what follows (module
//! count from the timing pattern, one global row-average threshold). The ladder:
//! 1. the [`locate`] locator (zxing's method, read by [`super::symbol`]) on local-mean
//!    binarizations (Bradley–Roth: dark when `percent` % of the mean of a window of
//!    1/`divisor` of the short side), each read both ways round (light codes on dark);
//! 2. rqrr as it is, on the grey image, then rqrr's own detector on the first binarization.
//!
//! rqrr comes last: the locator reads everything it reads on ../shared/qr-photos and on
//! testdata/qr/renders, and its region flood fill and grid fitting cost about 4 ms per photo
//! even where it reads (median QR search 5.3 ms with rqrr first, 1.0 ms without).
//!
//! The six binarizations are the smallest set that covers every render any of 15 candidates
//! (windows 1/4 to 1/128 of the short side, thresholds 65–100 %) reads, chosen greedily
//! on testdata/qr/renders and ordered by how many each reads: a narrow window at 75 % reads
//! print-and-scan dot gain, 85–90 % low contrast, a wide window uneven light. The ladder stops
//! at the first rung that reads a code and returns every code that rung read.

use image::GrayImage;

use super::locate::{self, Bits};

/// Every code read by the first rung that reads one; if none reads, the decode errors of the
/// last rung that found candidates (empty when no candidate was ever found).
pub(crate) fn symbols(grey: &GrayImage) -> Vec<Result<String, String>> {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let raw = grey.as_raw();
    let mut failures = Vec::new();
    let mut done = |found: Vec<Result<String, String>>| {
        if found.iter().any(Result::is_ok) {
            return Some(found);
        }
        if !found.is_empty() {
            failures = found;
        }
        None
    };
    let mut first = None;
    for &(divisor, percent) in BINARIZATIONS {
        let dark = binarize(grey, divisor, percent);
        for inverted in [false, true] {
            let bits = Bits {
                width: w,
                height: h,
                dark: &dark,
                grey: raw,
                inverted,
            };
            if let Some(found) = done(locate::read(&bits)) {
                return found;
            }
        }
        first.get_or_insert(dark);
    }
    if let Some(found) = done(rqrr_read(grey, None)) {
        return found;
    }
    if let Some(dark) = first
        && let Some(found) = done(rqrr_read(grey, Some(&dark)))
    {
        return found;
    }
    failures
}

/// QR codes on a normalized scanned page (clean, upright, 150–600 dpi). The photo ladder of
/// [`symbols`] costs about 290 ms on a 300-dpi A4 page that has no code, twice the whole page
/// pipeline; a page needs less. The locator first reads the page once (one binarization, both
/// polarities), at half size when the page is large (at least [`HALF_SIZE_FROM`] pixels on
/// its short side, about 240 dpi for A4, where a code printed at 3 dots per module at 300
/// dpi keeps 1.5 px per module). Only when that finds finder patterns that could be a code but
/// reads none does the full ladder run, at full size, on the regions of those candidates: no
/// candidate, no code.
pub(crate) fn page_symbols(grey: &GrayImage) -> Vec<Result<String, String>> {
    let large = grey.width().min(grey.height()) >= HALF_SIZE_FROM;
    let half;
    let scan = if large {
        half = half_size(grey);
        &half
    } else {
        grey
    };
    let (w, h) = (scan.width() as usize, scan.height() as usize);
    let (divisor, percent) = BINARIZATIONS[0];
    let dark = binarize(scan, divisor, percent);
    let mut regions = Vec::new();
    for inverted in [false, true] {
        let bits = Bits {
            width: w,
            height: h,
            dark: &dark,
            grey: scan.as_raw(),
            inverted,
        };
        let (found, seen) = locate::read_with_candidates(&bits);
        if found.iter().any(Result::is_ok) {
            return found;
        }
        regions.extend(seen);
    }
    // Candidates that did not read: the full ladder, at full size, only where they are.
    let scale = if large { 2.0 } else { 1.0 };
    let mut failures = Vec::new();
    for [x0, y0, x1, y1] in merge(regions) {
        let clamp = |v: f64, max: u32| (v * scale).clamp(0.0, f64::from(max)) as u32;
        let (cx0, cy0) = (clamp(x0, grey.width()), clamp(y0, grey.height()));
        let (cx1, cy1) = (clamp(x1, grey.width()), clamp(y1, grey.height()));
        if cx1 <= cx0 || cy1 <= cy0 {
            continue;
        }
        let crop = image::imageops::crop_imm(grey, cx0, cy0, cx1 - cx0, cy1 - cy0).to_image();
        let found = symbols(&crop);
        if found.iter().any(Result::is_ok) {
            return found;
        }
        failures.extend(found);
    }
    failures
}

/// Candidate regions, overlapping ones joined (one code is often seen in both polarities or
/// through several triples).
fn merge(mut regions: Vec<[f64; 4]>) -> Vec<[f64; 4]> {
    let mut merged: Vec<[f64; 4]> = Vec::new();
    while let Some(r) = regions.pop() {
        match merged
            .iter_mut()
            .find(|m| r[0] < m[2] && m[0] < r[2] && r[1] < m[3] && m[1] < r[3])
        {
            Some(m) => {
                *m = [
                    m[0].min(r[0]),
                    m[1].min(r[1]),
                    m[2].max(r[2]),
                    m[3].max(r[3]),
                ]
            }
            None => merged.push(r),
        }
    }
    merged
}

/// Short side in pixels from which [`page_symbols`] first looks at half size.
const HALF_SIZE_FROM: u32 = 2000;

/// The image at half its size, each pixel the mean of a 2 × 2 block.
fn half_size(grey: &GrayImage) -> GrayImage {
    let (w, h) = (grey.width() / 2, grey.height() / 2);
    GrayImage::from_fn(w, h, |x, y| {
        let p = |dx, dy| u16::from(grey.get_pixel(2 * x + dx, 2 * y + dy).0[0]);
        // Four u8 values: the sum fits in u16 and the mean in u8.
        image::Luma([
            u8::try_from((p(0, 0) + p(1, 0) + p(0, 1) + p(1, 1) + 2) / 4).unwrap_or(u8::MAX),
        ])
    })
}

/// (window divisor, threshold percent) of each locator rung, in ladder order.
const BINARIZATIONS: &[(usize, u64)] = &[(16, 75), (16, 85), (4, 90), (16, 65), (32, 85), (64, 90)];

/// rqrr's detector and decoder, on the grey image (rqrr thresholds it) or on given bits.
fn rqrr_read(grey: &GrayImage, dark: Option<&[bool]>) -> Vec<Result<String, String>> {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let raw = grey.as_raw();
    let mut prepared = match dark {
        Some(dark) => rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| dark[y * w + x]),
        None => rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| raw[y * w + x]),
    };
    prepared
        .detect_grids()
        .iter()
        .map(|g| g.decode().map(|(_, text)| text).map_err(|e| e.to_string()))
        .collect()
}

/// Bradley–Roth local-mean threshold: a pixel is dark when it is at most `percent` % of the
/// mean of the square window around it (half-side: 1/`divisor` of the short side, at least 7
/// px). Running column sums keep the extra memory to one row whatever the image size.
fn binarize(image: &GrayImage, divisor: usize, percent: u64) -> Vec<bool> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let raw = image.as_raw();
    let r = (w.min(h) / divisor).max(7);
    let mut out = vec![false; w * h];
    if w == 0 || h == 0 {
        return out;
    }
    // columns[x]: sum of column x over the rows of the current window.
    let mut columns = vec![0u32; w];
    let add = |columns: &mut [u32], y: usize, sign: bool| {
        for (c, &v) in columns.iter_mut().zip(&raw[y * w..(y + 1) * w]) {
            if sign {
                *c += u32::from(v);
            } else {
                *c -= u32::from(v);
            }
        }
    };
    for y in 0..=r.min(h - 1) {
        add(&mut columns, y, true);
    }
    let mut prefix = vec![0u64; w + 1];
    for y in 0..h {
        if y > 0 {
            if y + r < h {
                add(&mut columns, y + r, true);
            }
            if y > r {
                add(&mut columns, y - r - 1, false);
            }
        }
        let rows = (y + r).min(h - 1) + 1 - y.saturating_sub(r);
        for x in 0..w {
            prefix[x + 1] = prefix[x] + u64::from(columns[x]);
        }
        let (row, dark) = (&raw[y * w..(y + 1) * w], &mut out[y * w..(y + 1) * w]);
        let clipped = |x: usize| {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let area = ((x1 - x0) * rows) as u64;
            u64::from(row[x]) * area * 100 <= (prefix[x1] - prefix[x0]) * percent
        };
        // Where the window is not clipped left or right its area is the same: the loop
        // the time goes into has no min/max and one multiplication fewer.
        let inner0 = r.min(w);
        let inner1 = w.saturating_sub(r).max(inner0);
        for x in (0..inner0).chain(inner1..w) {
            dark[x] = clipped(x);
        }
        let scale = ((2 * r + 1) * rows) as u64 * 100;
        for (x, (d, &v)) in dark[inner0..inner1]
            .iter_mut()
            .zip(&row[inner0..inner1])
            .enumerate()
        {
            let sum = prefix[inner0 + x + r + 1] - prefix[inner0 + x - r];
            *d = u64::from(v) * scale <= sum * percent;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binarize_flattens_a_gradient() {
        // A dark square on a background that brightens left to right: a global threshold
        // loses one or the other, the local one keeps both (the square is module-sized).
        let img = GrayImage::from_fn(64, 64, |x, y| {
            let background = 60 + (x * 3) as u8;
            let inside = (30..36).contains(&x) && (30..36).contains(&y);
            image::Luma([if inside { background / 3 } else { background }])
        });
        let bin = binarize(&img, 32, 85);
        assert!(bin[32 * 64 + 32]);
        assert!(!bin[4 * 64 + 4]);
        assert!(!bin[60 * 64 + 60]);
    }

    #[test]
    fn binarize_matches_the_direct_window_mean() {
        // The running sums must equal a direct sum over every clipped window.
        let img = GrayImage::from_fn(23, 17, |x, y| {
            image::Luma([((x * 37 + y * 91) % 256) as u8])
        });
        let bin = binarize(&img, 16, 85);
        let r = 7i64;
        for y in 0..17i64 {
            for x in 0..23i64 {
                let (mut sum, mut n) = (0u64, 0u64);
                for yy in (y - r).max(0)..=(y + r).min(16) {
                    for xx in (x - r).max(0)..=(x + r).min(22) {
                        sum += u64::from(img.get_pixel(xx as u32, yy as u32).0[0]);
                        n += 1;
                    }
                }
                let v = u64::from(img.get_pixel(x as u32, y as u32).0[0]);
                assert_eq!(
                    bin[(y * 23 + x) as usize],
                    v * n * 100 <= sum * 85,
                    "({x}, {y})"
                );
            }
        }
    }
}
