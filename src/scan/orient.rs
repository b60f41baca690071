//! Which way is up: text-line statistics on the deskewed projection profile.
//!
//! In upright Latin and Vietnamese text more ink sits above the x-height band of a line
//! (ascenders, capitals, i-dots and most Vietnamese diacritics: sắc, huyền, hỏi, ngã,
//! circumflex, breve) than below it (descenders g, p, q, y and the dot below, nặng). Each text
//! line of the profile leans up or down by its own ink above and below its core band; the page
//! is upright when the lines lean up together, upside down when they lean down. Every line
//! counts once, whatever its ink: a sum of ink would let a few heavy lines (a bold title, a
//! table row next to a rule, small print caught in a zone) outvote the page, which is how
//! uneven light and layout turned pages the wrong way. Whether the lines run along the rows or
//! the columns comes from [`estimate_skew`](super::estimate_skew).

use super::{
    binarize::Ink,
    deskew::{Axis, Skew, project},
};

/// The quarter turn found and how sure it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Orientation {
    /// Counter-clockwise quarter turn of the content in the image: 0, 90, 180 or 270.
    pub degrees: u16,
    /// 0..1: the smaller of the axis certainty (1 − ambiguity of the text-line direction,
    /// scaled so that an ambiguity of 0.7 or more counts as none) and the up/down agreement of
    /// the lines: Student's t of the lines' leans (each (above − below) / (above + below)),
    /// mapped from 1 (0: no more than chance) to 4 (1: sure); 0 with fewer than 3 lines. Under
    /// a page with no up/down cue |t| passes 1.75 (confidence 0.25, the default threshold of
    /// [`ScanOptions::min_orientation_confidence`](super::ScanOptions)) about one time in 12.
    pub confidence: f32,
}

/// Decides the quarter turn of a page from its ink and skew.
pub fn detect_orientation(ink: &Ink, skew: &Skew) -> Orientation {
    let mut profile = Vec::new();
    project(
        &ink.points,
        ink.radius,
        skew.angle_deg,
        skew.axis,
        1.0,
        &mut profile,
    );
    let leans = line_leans(&profile);
    let n = leans.len() as f64;
    let mean = leans.iter().sum::<f64>() / n.max(1.0);
    let sd = (leans.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n.max(1.0)).sqrt();
    // A positive lean is ink on the low-index side of each core: the top for rows; for columns
    // the left, which is the top of a page turned counter-clockwise by a quarter turn.
    let degrees = match (skew.axis, mean >= 0.0) {
        (Axis::Rows, true) => 0,
        (Axis::Rows, false) => 180,
        (Axis::Columns, true) => 90,
        (Axis::Columns, false) => 270,
    };
    if leans.len() < 3 {
        return Orientation {
            degrees,
            confidence: 0.0,
        };
    }
    // Every line leaning the same way by the same amount: as sure as can be.
    let t = if sd > 0.0 {
        mean.abs() / sd * n.sqrt()
    } else if mean != 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    let agreement = ((t - 1.0) / 3.0).clamp(0.0, 1.0);
    let axis = ((1.0 - skew.axis_ambiguity) / 0.3).clamp(0.0, 1.0);
    Orientation {
        degrees,
        confidence: agreement.min(axis) as f32,
    }
}

/// The lean of each text line of a profile: (above − below) / (above + below) of the ink in
/// the zones beside its core band, positive when more ink sits on the low-index side.
///
/// A line is a run of bins above 10 % of the profile's 95th percentile whose peak reaches 30 %
/// of it (a run that does not is a fragment: descender tips or a row of diacritics cut off by
/// the threshold, or small print). Its core is the window of the x-height (the lower quartile
/// of the lines' bands at 45 % of their peaks) that holds the most ink: the band at 45 % would
/// swallow a row of diacritics as dense as the letters. A zone reaches one x-height from the
/// core, and no further than the emptiest bin of the gap to the neighbouring line, so that
/// each fragment is counted with its own line whatever the threshold cut. Only lines of 0.4
/// to 2.5 times the median line height vote (a rule, a merged pair of lines, a stack of table
/// rows do not).
fn line_leans(profile: &[u32]) -> Vec<f64> {
    let mut sorted: Vec<u32> = profile.iter().copied().filter(|&v| v > 0).collect();
    if sorted.len() < 8 {
        return Vec::new();
    }
    sorted.sort_unstable();
    let p95 = u64::from(sorted[sorted.len() * 95 / 100]);
    let t = (p95 / 10).max(1);
    // (run start, run end, band height at 45 % of the run's peak)
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    let mut start = None;
    for (i, &v) in profile.iter().chain(std::iter::once(&0)).enumerate() {
        match (start, u64::from(v) > t) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                start = None;
                let run = &profile[s..i];
                let peak = u64::from(run.iter().copied().max().unwrap_or(0));
                let band = |v: &u32| u64::from(*v) * 100 >= peak * 45;
                if peak * 10 >= p95 * 3
                    && let (Some(b0), Some(b1)) =
                        (run.iter().position(band), run.iter().rposition(band))
                {
                    runs.push((s, i, b1 + 1 - b0));
                }
            }
            _ => {}
        }
    }
    let quantile = |mut v: Vec<usize>, q: usize| {
        v.sort_unstable();
        v.get(v.len() * q / 4).copied()
    };
    let (Some(x_height), Some(median)) = (
        quantile(runs.iter().map(|r| r.2).collect(), 1),
        quantile(runs.iter().map(|r| r.1 - r.0).collect(), 2),
    ) else {
        return Vec::new();
    };
    let h = x_height.max(3);
    let cores: Vec<(usize, usize)> = runs
        .iter()
        .map(|&(s, e, _)| densest(profile, s, e, h))
        .collect();
    // Twice the position of the emptiest bin between two cores (doubled so that the middle of
    // an even stretch of equally empty bins is exact): below it the upper line, above it the
    // lower one.
    let split2 = |upper: (usize, usize), lower: (usize, usize)| -> usize {
        let gap = &profile[upper.1..lower.0];
        let low = gap.iter().copied().min().unwrap_or(0);
        let first = gap.iter().position(|&v| v == low).unwrap_or(0);
        let last = gap.iter().rposition(|&v| v == low).unwrap_or(0);
        2 * upper.1 + first + last
    };
    let sum = |from: usize, to: usize| -> u64 {
        profile[from..to.max(from)]
            .iter()
            .map(|&v| u64::from(v))
            .sum()
    };
    let mut leans = Vec::new();
    for (k, (&(c0, c1), &(s, e, _))) in cores.iter().zip(&runs).enumerate() {
        let height = e - s;
        if height * 5 < median * 2 || height * 2 > median * 5 || height < 4 {
            continue;
        }
        let top = k
            .checked_sub(1)
            .map_or(0, |j| split2(cores[j], (c0, c1)) / 2 + 1)
            .max(c0.saturating_sub(h));
        let bottom = cores
            .get(k + 1)
            .map_or(profile.len(), |&next| split2((c0, c1), next).div_ceil(2))
            .min(c1 + h);
        let (above, below) = (sum(top.min(c0), c0), sum(c1, bottom));
        if above + below > 0 {
            leans.push((above as f64 - below as f64) / (above + below) as f64);
        }
    }
    leans
}

/// The window of `h` bins within `[s, e)` that holds the most ink (the first of equals), or
/// the whole run when it is shorter.
fn densest(profile: &[u32], s: usize, e: usize, h: usize) -> (usize, usize) {
    if e - s <= h {
        return (s, e);
    }
    let mut acc: u64 = profile[s..s + h].iter().map(|&v| u64::from(v)).sum();
    let mut best = (acc, s);
    for a in s + 1..=e - h {
        acc = acc + u64::from(profile[a + h - 1]) - u64::from(profile[a - 1]);
        if acc > best.0 {
            best = (acc, a);
        }
    }
    (best.1, best.1 + h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_ascenders_leans_up() {
        // Ascender ink (3 bins of 20) over a core (8 bins of 100), a descender bin of 15; three
        // lines: each leans (60 − 15) / 75 up, and the reversed profile down.
        let line = [
            0, 20, 20, 20, 100, 100, 100, 100, 100, 100, 100, 100, 15, 0, 0,
        ];
        let profile: Vec<u32> = line.iter().cycle().take(line.len() * 3).copied().collect();
        assert_eq!(line_leans(&profile), [0.6; 3]);
        let reversed: Vec<u32> = profile.iter().rev().copied().collect();
        assert_eq!(line_leans(&reversed), [-0.6; 3]);
    }

    #[test]
    fn small_print_between_lines_is_not_a_lean() {
        // A line of small print (peak 25, under 30 % of the 95th percentile) 9 bins under each
        // line and 11 over the next: beyond one x-height (8) from either core, it counts for neither.
        let line = [
            0, 20, 20, 20, 100, 100, 100, 100, 100, 100, 100, 100, 15, 0, 0, 0, 0, 0, 0, 0, 0, 25,
            25, 25, 0, 0, 0, 0, 0, 0,
        ];
        let profile: Vec<u32> = line.iter().cycle().take(line.len() * 4).copied().collect();
        assert_eq!(line_leans(&profile), [0.6; 4]);
    }
}
