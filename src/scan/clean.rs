//! Clean-up after normalization: illumination flattening, then optional adaptive binarization.
//!
//! Runs on the normalized page only, never before the geometry stages, and only when asked
//! ([`Cleanup`](super::Cleanup)): a caller that needs QR codes reads them first, or keeps
//! [`Cleanup::None`](super::Cleanup::None).

use image::{GrayImage, ImageBuffer, Pixel};

use super::reduce;

/// Flattens uneven light: each pixel is divided by the local paper brightness (the brightest
/// block level around it, interpolated), so paper comes out white under shadows and gradients.
/// The same gain applies to every channel, so red stays red.
pub fn flatten<P>(image: &ImageBuffer<P, Vec<u8>>, grey: &GrayImage) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8>,
{
    let mut out = image.clone();
    flatten_mut(&mut out, grey);
    out
}

/// [`flatten`] in place. `grey` is the same page in grey (the image itself when it is grey).
pub fn flatten_mut<P>(image: &mut ImageBuffer<P, Vec<u8>>, grey: &GrayImage)
where
    P: Pixel<Subpixel = u8>,
{
    let (w, h) = (image.width() as usize, image.height() as usize);
    if w < 16 || h < 16 || grey.dimensions() != image.dimensions() {
        return;
    }
    // Paper level per block: the maximum of a 4× mean-reduced copy (noise averaged away), over
    // blocks of about 1/48 of the long side, then the maximum of each 3 × 3 neighbourhood so a
    // block full of ink (a table, a seal) borrows its neighbours' paper.
    let small = reduce(grey, 4);
    let block = (w.max(h) / 48 / 4).max(2);
    let (gw, gh) = (
        (small.width() as usize).div_ceil(block),
        (small.height() as usize).div_ceil(block),
    );
    let mut level = vec![0u8; gw * gh];
    for (i, &v) in small.as_raw().iter().enumerate() {
        let (x, y) = (i % small.width() as usize, i / small.width() as usize);
        let slot = &mut level[(y / block) * gw + x / block];
        *slot = (*slot).max(v);
    }
    let grid: Vec<f32> = (0..gw * gh)
        .map(|i| {
            let (x, y) = (i % gw, i / gw);
            let mut m = 0u8;
            for yy in y.saturating_sub(1)..(y + 2).min(gh) {
                for xx in x.saturating_sub(1)..(x + 2).min(gw) {
                    m = m.max(level[yy * gw + xx]);
                }
            }
            // Dark pages (a photo, a black sheet) are left as they are: gain at most 3.
            f32::from(m.max(85))
        })
        .collect();
    let levels = Levels {
        values: grid,
        columns: gw,
        cell: (block * 4) as f32,
    };
    let channels = usize::from(P::CHANNEL_COUNT);
    let mut paper = vec![0f32; w];
    for (y, row) in image.chunks_exact_mut(w * channels).enumerate() {
        levels.row(y, &mut paper);
        for (px, &paper) in row.chunks_exact_mut(channels).zip(&paper) {
            // 8.8 fixed point; paper a little below white maps to white.
            let gain = (255.0 * 256.0 / (paper * 0.97)) as u32;
            for v in px {
                *v = ((u32::from(*v) * gain) >> 8).min(255) as u8;
            }
        }
    }
}

/// A grid of levels, one per square cell of `cell` pixels (row-major, `columns` wide), read
/// between cell centres by bilinear interpolation (clamped at the edges).
pub(crate) struct Levels {
    pub(crate) values: Vec<f32>,
    pub(crate) columns: usize,
    pub(crate) cell: f32,
}

impl Levels {
    /// The interpolated level of every pixel of row `y`, into `out` (one per pixel).
    pub(crate) fn row(&self, y: usize, out: &mut [f32]) {
        let (gw, gh) = (self.columns, self.values.len() / self.columns.max(1));
        if gw == 0 || gh == 0 {
            return;
        }
        let grid = &self.values;
        let gy = ((y as f32 + 0.5) / self.cell - 0.5).clamp(0.0, (gh - 1) as f32);
        let (y0, fy) = (gy as usize, gy.fract());
        let y1 = (y0 + 1).min(gh - 1);
        for (x, level) in out.iter_mut().enumerate() {
            let gx = ((x as f32 + 0.5) / self.cell - 0.5).clamp(0.0, (gw - 1) as f32);
            let (x0, fx) = (gx as usize, gx.fract());
            let x1 = (x0 + 1).min(gw - 1);
            let top = grid[y0 * gw + x0] * (1.0 - fx) + grid[y0 * gw + x1] * fx;
            let bottom = grid[y1 * gw + x0] * (1.0 - fx) + grid[y1 * gw + x1] * fx;
            *level = top * (1.0 - fy) + bottom * fy;
        }
    }
}

/// Sauvola's adaptive threshold (Sauvola & Pietikäinen 2000) with running window sums: a pixel
/// is black when it is at most `m · (1 + k · (s / 128 − 1))`, `m` and `s` the mean and standard
/// deviation of the `window` × `window` square around it (clipped at the edges); k = 0.2.
/// Memory is two rows of column sums, not a full integral image.
pub fn sauvola(grey: &GrayImage, window: u32) -> GrayImage {
    const K: f64 = 0.2;
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let r = (window as usize / 2).max(1);
    let raw = grey.as_raw();
    let mut out = vec![255u8; w * h];
    // Column sums of v and v² over the rows [y − r, y + r] clipped to the image.
    let (mut col, mut col2) = (vec![0u32; w], vec![0u64; w]);
    let add = |col: &mut [u32], col2: &mut [u64], y: usize, sign: bool| {
        for ((c, c2), &v) in col
            .iter_mut()
            .zip(col2.iter_mut())
            .zip(&raw[y * w..(y + 1) * w])
        {
            let (v, v2) = (u32::from(v), u64::from(v) * u64::from(v));
            if sign {
                *c += v;
                *c2 += v2;
            } else {
                *c -= v;
                *c2 -= v2;
            }
        }
    };
    for y in 0..r.min(h) {
        add(&mut col, &mut col2, y, true);
    }
    for y in 0..h {
        if y + r < h {
            add(&mut col, &mut col2, y + r, true);
        }
        if y > r {
            add(&mut col, &mut col2, y - r - 1, false);
        }
        let rows = ((y + r + 1).min(h) - y.saturating_sub(r)) as u64;
        let (mut s, mut s2) = (0u64, 0u64);
        for x in 0..r.min(w) {
            s += u64::from(col[x]);
            s2 += col2[x];
        }
        for x in 0..w {
            if x + r < w {
                s += u64::from(col[x + r]);
                s2 += col2[x + r];
            }
            if x > r {
                s -= u64::from(col[x - r - 1]);
                s2 -= col2[x - r - 1];
            }
            let n = (((x + r + 1).min(w) - x.saturating_sub(r)) as u64 * rows) as f64;
            let mean = s as f64 / n;
            let sd = (s2 as f64 / n - mean * mean).max(0.0).sqrt();
            if f64::from(raw[y * w + x]) <= mean * (1.0 + K * (sd / 128.0 - 1.0)) {
                out[y * w + x] = 0;
            }
        }
    }
    GrayImage::from_raw(grey.width(), grey.height(), out)
        .unwrap_or_else(|| GrayImage::new(grey.width(), grey.height()))
}

#[cfg(test)]
mod tests {
    use image::Luma;

    use super::*;

    /// Paper dimming from 250 to 125 left to right with dark dots every 16 px.
    fn dim_page() -> GrayImage {
        GrayImage::from_fn(400, 300, |x, y| {
            let paper = 250 - (x * 125 / 400) as u8;
            Luma([if x % 16 == 8 && y % 16 == 8 {
                paper / 5
            } else {
                paper
            }])
        })
    }

    #[test]
    fn flatten_whitens_dim_paper_and_keeps_ink() {
        let page = dim_page();
        let flat = flatten(&page, &page);
        let paper: Vec<u8> = (0..400)
            .step_by(37)
            .map(|x| flat.get_pixel(x, 3).0[0])
            .collect();
        assert!(paper.iter().all(|&v| v >= 240), "{paper:?}");
        assert!(flat.get_pixel(392, 8).0[0] < 80);
    }

    #[test]
    fn sauvola_keeps_ink_and_drops_the_gradient() {
        let bin = sauvola(&dim_page(), 31);
        let black = bin.pixels().filter(|p| p.0[0] == 0).count();
        let dots =
            (0..400).filter(|x| x % 16 == 8).count() * (0..300).filter(|y| y % 16 == 8).count();
        assert_eq!(black, dots);
        assert!(bin.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    }
}
