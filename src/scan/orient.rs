//! Which way is up: text-line statistics on the deskewed projection profile.
//!
//! In upright Latin and Vietnamese text more ink sits above the x-height band of a line
//! (ascenders, capitals, i-dots and most Vietnamese diacritics: sắc, huyền, hỏi, ngã,
//! circumflex, breve) than below it (descenders g, p, q, y and the dot below, nặng). Each text
//! line of the profile votes with its ink above and below its core; the page is upright when
//! the sum leans up, upside down when it leans down. Whether the lines run along the rows or
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
    /// 0..1: the smaller of the axis certainty (1 − ambiguity of the text-line direction)
    /// and the up/down lean (|above − below| / (above + below) over all lines, scaled so that
    /// 0.15 counts as sure); 0 with fewer than 3 text lines.
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
    let (above, below, lines) = lean(&profile);
    // `above` is ink on the low-index side of each core: the top for rows; for columns the
    // left, which is the top of a page turned counter-clockwise by a quarter turn.
    let up_low = above >= below;
    let degrees = match (skew.axis, up_low) {
        (Axis::Rows, true) => 0,
        (Axis::Rows, false) => 180,
        (Axis::Columns, true) => 90,
        (Axis::Columns, false) => 270,
    };
    if lines < 3 || above + below == 0 {
        return Orientation {
            degrees,
            confidence: 0.0,
        };
    }
    let lean = (above.abs_diff(below) as f64 / (above + below) as f64 / 0.15).min(1.0);
    let axis = ((1.0 - skew.axis_ambiguity) / 0.3).clamp(0.0, 1.0);
    Orientation {
        degrees,
        confidence: lean.min(axis) as f32,
    }
}

/// Ink above and below the cores of the text lines of a profile, and how many lines voted.
///
/// A line is a run of bins above 10 % of the profile's 95th percentile, between 0.4 and 2.5
/// times the median run height (rules and stacked blocks do not vote); its core is the bins at
/// or above 45 % of the run's peak, from the first to the last.
fn lean(profile: &[u32]) -> (u64, u64, usize) {
    let mut sorted: Vec<u32> = profile.iter().copied().filter(|&v| v > 0).collect();
    if sorted.len() < 8 {
        return (0, 0, 0);
    }
    sorted.sort_unstable();
    let p95 = sorted[sorted.len() * 95 / 100];
    let t = (p95 / 10).max(1);
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &v) in profile.iter().chain(std::iter::once(&0)).enumerate() {
        match (start, v > t) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let mut heights: Vec<usize> = runs.iter().map(|(s, e)| e - s).collect();
    heights.sort_unstable();
    let Some(&median) = heights.get(heights.len() / 2) else {
        return (0, 0, 0);
    };
    let (mut above, mut below, mut lines) = (0u64, 0u64, 0usize);
    for &(s, e) in &runs {
        let height = e - s;
        if height * 5 < median * 2 || height * 2 > median * 5 || height < 4 {
            continue;
        }
        let run = &profile[s..e];
        let peak = run.iter().copied().max().unwrap_or(0);
        let core = |v: &u32| u64::from(*v) * 100 >= u64::from(peak) * 45;
        let (Some(c0), Some(c1)) = (run.iter().position(core), run.iter().rposition(core)) else {
            continue;
        };
        above += run[..c0].iter().map(|&v| u64::from(v)).sum::<u64>();
        below += run[c1 + 1..].iter().map(|&v| u64::from(v)).sum::<u64>();
        lines += 1;
    }
    (above, below, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_ascenders_leans_up() {
        // Ascender ink (3 bins of 20) over a core (8 bins of 100), a descender bin of 15; three
        // lines.
        let line = [
            0, 20, 20, 20, 100, 100, 100, 100, 100, 100, 100, 100, 15, 0, 0,
        ];
        let profile: Vec<u32> = line.iter().cycle().take(line.len() * 3).copied().collect();
        let (above, below, lines) = lean(&profile);
        assert_eq!((above, below, lines), (180, 45, 3));
        let reversed: Vec<u32> = profile.iter().rev().copied().collect();
        assert_eq!(lean(&reversed), (45, 180, 3));
    }
}
