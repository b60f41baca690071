//! `/ByteRange` checked strictly (ISO 32000-2 §12.8.1) and what it covers.
//!
//! Accepted: exactly `[0 b c d]` where `pdf[b..c]` is exactly the `/Contents` hex string with
//! its `<` `>` delimiters, the signature dictionary lies inside the signed bytes, and
//! `c + d` is the end of a revision. Anything else is a FORMAT_FAILURE: the loose readings
//! are what the Universal Signature Forgery and Signature Wrapping attacks exploit
//! (Mladenov et al., 2019).

use std::cell::RefCell;

use memchr::memmem;
use ring::digest;

use super::revisions::Revision;
use crate::{
    pki::sigalg::DigestAlgorithm,
    report::{Check, Coverage, Step, SubIndication},
};

/// The two signed ranges, validated to lie inside the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ranges {
    pub(crate) first_len: usize,
    pub(crate) second_start: usize,
    pub(crate) second_end: usize,
}

impl Ranges {
    /// The signed bytes, as two slices.
    pub(crate) fn slices<'a>(&self, pdf: &'a [u8]) -> [&'a [u8]; 2] {
        [
            &pdf[..self.first_len],
            &pdf[self.second_start..self.second_end],
        ]
    }
}

/// Digests of file prefixes, shared by every signature of one document and the whole-file
/// hash: the first signed range of every signature is a prefix of the file, so one pass with
/// snapshots (ring contexts are `Clone`) serves them all. A single-signature file is read
/// about once instead of twice; the big-file benchmark depends on it.
pub(crate) struct PrefixHasher<'a> {
    pdf: &'a [u8],
    snapshots: RefCell<Vec<(DigestAlgorithm, usize, digest::Context)>>,
}

impl<'a> PrefixHasher<'a> {
    pub(crate) fn new(pdf: &'a [u8]) -> Self {
        Self {
            pdf,
            snapshots: RefCell::new(Vec::new()),
        }
    }

    /// A context that has absorbed `pdf[..end]`, resumed from the longest snapshot below.
    fn prefix(&self, alg: DigestAlgorithm, end: usize) -> digest::Context {
        let mut snapshots = self.snapshots.borrow_mut();
        let (start, mut ctx) = snapshots
            .iter()
            .filter(|(a, at, _)| *a == alg && *at <= end)
            .max_by_key(|(_, at, _)| *at)
            .map_or_else(
                || (0, digest::Context::new(alg.ring())),
                |(_, at, ctx)| (*at, ctx.clone()),
            );
        ctx.update(&self.pdf[start..end]);
        if start != end {
            snapshots.push((alg, end, ctx.clone()));
        }
        ctx
    }

    /// The digest of the signed bytes described by `ranges`.
    pub(crate) fn signed(&self, alg: DigestAlgorithm, ranges: &Ranges) -> digest::Digest {
        let mut ctx = self.prefix(alg, ranges.first_len);
        ctx.update(&self.pdf[ranges.second_start..ranges.second_end]);
        ctx.finish()
    }

    /// SHA-256 of the whole file.
    pub(crate) fn whole_file_sha256(&self) -> digest::Digest {
        self.sha256_prefix(self.pdf.len())
    }

    /// SHA-256 of `pdf[..end]`.
    pub(crate) fn sha256_prefix(&self, end: usize) -> digest::Digest {
        self.prefix(DigestAlgorithm::Sha256, end).finish()
    }
}

/// Outcome of the ByteRange and coverage steps.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The ranges the digest is taken over: in bounds, or as far as the file goes when the
    /// `/ByteRange` reaches past it (then a check has already failed).
    pub(crate) ranges: Option<Ranges>,
    pub(crate) coverage: Coverage,
    /// 1-based revision whose end the signed bytes reach.
    pub(crate) covers_revision: Option<usize>,
    pub(crate) checks: Vec<Check>,
}

/// Checks `byte_range` against the file, the decoded `/Contents` and the offset of the
/// indirect object holding the signature dictionary (`None` if it is in an object stream).
pub(crate) fn check(
    pdf: &[u8],
    byte_range: &[i64],
    contents: &[u8],
    dict_offset: Option<usize>,
    revisions: &[Revision],
) -> Outcome {
    let mut outcome = Outcome {
        ranges: None,
        coverage: Coverage::Unclear,
        covers_revision: None,
        checks: Vec::new(),
    };
    let ranges = match in_bounds(pdf.len(), byte_range) {
        Ok(r) => r,
        Err(why) => {
            // The structure fails, but `intact` is a fact about the bytes the /ByteRange
            // names: the digest is still taken over what exists of them.
            outcome.ranges = clamped(pdf.len(), byte_range);
            outcome.checks.push(fail(Step::ByteRange, why));
            return outcome;
        }
    };
    outcome.ranges = Some(ranges);
    if let Err(why) = gap_is_contents(pdf, &ranges, contents)
        .and_then(|()| dictionary_is_signed(pdf, &ranges, dict_offset))
    {
        outcome.checks.push(fail(Step::ByteRange, why));
        return outcome;
    }
    outcome.checks.push(Check::pass(
        Step::ByteRange,
        format!(
            "[0 {} {} {}]: two ranges around exactly the /Contents string, dictionary signed",
            ranges.first_len,
            ranges.second_start,
            ranges.second_end - ranges.second_start
        ),
    ));
    let end = ranges.second_end;
    let n = revisions.len();
    let revision = revisions
        .iter()
        .position(|r| r.eof_end <= end && end <= r.end);
    let tail_blank = pdf[end..]
        .iter()
        .all(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0));
    outcome.covers_revision = revision.map(|i| i + 1);
    let (coverage, check) = match revision {
        _ if tail_blank => (
            Coverage::EntireFile,
            Check::pass(Step::Coverage, "the signed bytes reach the end of the file"),
        ),
        Some(i) => (
            Coverage::EntireRevision,
            Check::pass(
                Step::Coverage,
                format!(
                    "the signed bytes end with revision {} of {n}; {} byte(s) follow",
                    i + 1,
                    pdf.len() - end
                ),
            ),
        ),
        None => (
            Coverage::ContiguousBlock,
            fail(
                Step::Coverage,
                format!("the signed bytes end at offset {end}, which is not the end of a revision"),
            ),
        ),
    };
    outcome.coverage = coverage;
    outcome.checks.push(check);
    outcome
}

fn fail(step: Step, why: String) -> Check {
    Check::fail(step, SubIndication::FormatFailure, why)
}

/// `[0 b c d]` with `0 < b < c`, `c + d <= len`, `d > 0`.
fn in_bounds(len: usize, br: &[i64]) -> Result<Ranges, String> {
    let &[a, b, c, d] = br else {
        return Err(format!(
            "/ByteRange has {} numbers; exactly 4 (two ranges) are required",
            br.len()
        ));
    };
    if a != 0 {
        return Err(format!("/ByteRange starts at offset {a}, not at 0"));
    }
    let as_usize = |v: i64| usize::try_from(v).ok();
    let (Some(b), Some(c), Some(d)) = (as_usize(b), as_usize(c), as_usize(d)) else {
        return Err("/ByteRange holds a negative number".to_owned());
    };
    let Some(end) = c.checked_add(d) else {
        return Err("/ByteRange overflows".to_owned());
    };
    if b == 0 || b >= c || d == 0 || end > len {
        return Err(format!(
            "/ByteRange [0 {b} {c} {d}] does not describe two non-empty ranges inside the {len}-byte file"
        ));
    }
    Ok(Ranges {
        first_len: b,
        second_start: c,
        second_end: end,
    })
}

/// `[0 b c d]` read as far as the file goes (ranges cut at its end, overlapping or
/// reversed ranges kept as written), for the digest of a malformed `/ByteRange` as other
/// validators compute it; `None` when there is no first range from offset 0.
fn clamped(len: usize, br: &[i64]) -> Option<Ranges> {
    let &[0, b, c, d] = br else {
        return None;
    };
    let at = |v: i64| usize::try_from(v).ok().map(|v| v.min(len));
    let (first_len, second_start) = (at(b)?, at(c)?);
    Some(Ranges {
        first_len,
        second_start,
        second_end: at(c.saturating_add(d))?.max(second_start),
    })
}

/// The unsigned gap must be exactly `<hex>` and decode to the dictionary's `/Contents`.
fn gap_is_contents(pdf: &[u8], r: &Ranges, contents: &[u8]) -> Result<(), String> {
    let gap = &pdf[r.first_len..r.second_start];
    let [b'<', hex @ .., b'>'] = gap else {
        return Err(format!(
            "the unsigned gap {}..{} is not delimited by < and >",
            r.first_len, r.second_start
        ));
    };
    if let Some(bad) = hex.iter().position(|b| !b.is_ascii_hexdigit()) {
        return Err(format!(
            "the unsigned gap holds a non-hex byte at offset {}: it is wider than the /Contents string",
            r.first_len + 1 + bad
        ));
    }
    if hex.len() != contents.len() * 2 || !hex_equals(hex, contents) {
        return Err("the unsigned gap is not this signature's /Contents value".to_owned());
    }
    Ok(())
}

fn hex_equals(hex: &[u8], bytes: &[u8]) -> bool {
    let nibble = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    };
    hex.chunks_exact(2)
        .zip(bytes)
        .all(|(pair, b)| (nibble(pair[0]) << 4 | nibble(pair[1])) == *b)
}

/// The object holding the dictionary starts in the first range and ends (`endobj`) in the
/// second, so every key but `/Contents` is signed.
fn dictionary_is_signed(pdf: &[u8], r: &Ranges, dict_offset: Option<usize>) -> Result<(), String> {
    let Some(start) = dict_offset else {
        return Err(
            "the signature dictionary is in an object stream, so /ByteRange cannot sign it"
                .to_owned(),
        );
    };
    if start >= r.first_len
        || !starts_object(&pdf[start..r.first_len])
        || memmem::find(&pdf[start..r.first_len], b"endobj").is_some()
    {
        return Err(format!(
            "the /Contents gap at {} is not inside the signature dictionary's object at offset {start}",
            r.first_len
        ));
    }
    match memmem::find(&pdf[r.second_start..], b"endobj") {
        Some(rel) if r.second_start + rel + 6 <= r.second_end => Ok(()),
        _ => Err("the end of the signature dictionary's object is not signed".to_owned()),
    }
}

/// True when `bytes` begins with an object header `N G obj`.
fn starts_object(bytes: &[u8]) -> bool {
    // An offset one byte early (at the end-of-line before the header) is tolerated, as for
    // every cross-reference offset (`revisions::keyword_at`).
    let bytes = &bytes[super::revisions::keyword_at(bytes, 0).0..];
    let digits = |b: &[u8]| b.iter().take_while(|c| c.is_ascii_digit()).count();
    let blanks = |b: &[u8]| {
        b.iter()
            .take_while(|c| matches!(c, b' ' | b'\r' | b'\n' | b'\t' | 0x0C | 0))
            .count()
    };
    let mut at = digits(bytes);
    if at == 0 {
        return false;
    }
    let n = blanks(&bytes[at..]);
    let g = digits(&bytes[at + n..]);
    if n == 0 || g == 0 {
        return false;
    }
    at += n + g;
    at += blanks(&bytes[at..]);
    bytes[at..].starts_with(b"obj")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<u8>, Vec<i64>) {
        let head = b"%PDF-1.7\n1 0 obj\n<</Type/Sig/Contents ".to_vec();
        let mut pdf = head.clone();
        pdf.extend_from_slice(b"<0A0B>");
        pdf.extend_from_slice(b"/ByteRange[...]>>\nendobj\nstartxref\n9\n%%EOF\n");
        let b = head.len() as i64;
        let c = b + 6;
        let d = pdf.len() as i64 - c;
        (pdf, vec![0, b, c, d])
    }

    #[test]
    fn strict_ranges() {
        let (pdf, br) = sample();
        let revs = super::super::revisions::scan(&pdf, 4).unwrap();
        let ok = check(&pdf, &br, &[0x0A, 0x0B], Some(9), &revs);
        assert_eq!(ok.coverage, Coverage::EntireFile);
        assert!(ok.checks.iter().all(|c| c.result.is_none()), "{ok:?}");
        let wrong_value = check(&pdf, &br, &[0x0A, 0x0C], Some(9), &revs);
        assert!(wrong_value.checks[0].result.is_some());
        let not_zero = check(
            &pdf,
            &[1, br[1], br[2], br[3]],
            &[0x0A, 0x0B],
            Some(9),
            &revs,
        );
        assert!(not_zero.ranges.is_none());
        assert_eq!(
            clamped(10, &[0, 4, 12, 5]).map(|r| (r.first_len, r.second_start, r.second_end)),
            Some((4, 10, 10))
        );
        assert_eq!(
            clamped(10, &[0, 6, 2, 3]).map(|r| (r.first_len, r.second_start, r.second_end)),
            Some((6, 2, 5))
        );
        let wide = check(
            &pdf,
            &[0, br[1], br[2] + 1, br[3] - 1],
            &[0x0A, 0x0B],
            Some(9),
            &revs,
        );
        assert!(wide.checks[0].result.is_some());
        let huge = check(
            &pdf,
            &[0, br[1], br[2], i64::MAX],
            &[0x0A, 0x0B],
            Some(9),
            &revs,
        );
        // Out of bounds: a format failure, the digest taken over what exists.
        assert_eq!(huge.coverage, Coverage::Unclear);
        assert!(huge.checks[0].result.is_some());
        assert_eq!(
            huge.ranges.map(|r| r.second_end),
            Some(pdf.len()),
            "{huge:?}"
        );
        let outside = check(&pdf, &br, &[0x0A, 0x0B], Some(0), &revs);
        assert!(outside.checks[0].result.is_some(), "{outside:?}");
        let mut longer = pdf.clone();
        longer.extend_from_slice(b"trailing garbage");
        let tail = check(&longer, &br, &[0x0A, 0x0B], Some(9), &revs);
        assert_eq!(tail.coverage, Coverage::EntireRevision);
    }
}
