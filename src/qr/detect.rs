//! Finding QR codes in photos and scans: rqrr behind a retry ladder.
//!
//! rqrr alone reads clean renders but few real photos (testdata/qr/renders: 9 of 60). Each
//! rung gives it an easier image: the grey image; inverted (light codes on dark); binarized
//! with a local mean threshold (Bradley–Roth, integral image) against uneven light and low
//! contrast; the same at half size, where blur and JPEG noise shrink and finder patterns
//! become regular again. The ladder stops at the first rung with a readable code.

use image::{GrayImage, imageops};

/// Every code read from the first rung that reads one; if none reads, the decode errors of
/// the last rung that found candidate grids (empty when no grid was ever found).
pub(crate) fn symbols(grey: &GrayImage) -> Vec<Result<String, String>> {
    let mut failures = Vec::new();
    let half = (grey.width().min(grey.height()) >= 600).then(|| {
        imageops::resize(
            grey,
            grey.width() / 2,
            grey.height() / 2,
            imageops::FilterType::Triangle,
        )
    });
    let rungs: [(&GrayImage, Rung); 3] = [
        (grey, Rung::Plain),
        (grey, Rung::Binarized),
        (half.as_ref().unwrap_or(grey), Rung::Binarized),
    ];
    for (image, rung) in rungs {
        let prepared = match rung {
            Rung::Plain => image.clone(),
            Rung::Binarized => binarize(image),
        };
        for invert in [false, true] {
            let found = read(&prepared, invert);
            if found.iter().any(Result::is_ok) {
                return found;
            }
            if !found.is_empty() {
                failures = found;
            }
        }
    }
    failures
}

#[derive(Clone, Copy)]
enum Rung {
    Plain,
    Binarized,
}

fn read(image: &GrayImage, invert: bool) -> Vec<Result<String, String>> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let raw = image.as_raw();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let v = raw.get(y * w + x).copied().unwrap_or(255);
        if invert { 255 - v } else { v }
    });
    prepared
        .detect_grids()
        .iter()
        .map(|g| g.decode().map(|(_, text)| text).map_err(|e| e.to_string()))
        .collect()
}

/// Bradley–Roth adaptive threshold: a pixel is black when it is 15 % darker than the mean of
/// the window around it (window: 1/16 of the short side, at least 15 px).
fn binarize(image: &GrayImage) -> GrayImage {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let raw = image.as_raw();
    // Integral image with a zero row and column: (w + 1) × (h + 1) sums.
    let stride = w + 1;
    let mut sums = vec![0u64; stride * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(raw[y * w + x]);
            sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
        }
    }
    let r = (w.min(h) / 32).max(7);
    let mut out = GrayImage::new(image.width(), image.height());
    for (i, px) in out.as_mut().iter_mut().enumerate() {
        let (x, y) = (i % w, i / w);
        let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        let area = ((x1 - x0) * (y1 - y0)) as u64;
        let sum = sums[y1 * stride + x1] + sums[y0 * stride + x0]
            - sums[y0 * stride + x1]
            - sums[y1 * stride + x0];
        *px = if u64::from(raw[i]) * area * 100 <= sum * 85 {
            0
        } else {
            255
        };
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
        let bin = binarize(&img);
        assert_eq!(bin.get_pixel(32, 32).0[0], 0);
        assert_eq!(bin.get_pixel(4, 4).0[0], 255);
        assert_eq!(bin.get_pixel(60, 60).0[0], 255);
    }
}
