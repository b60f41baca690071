//! Where each revision of the file ends (ISO 32000-2 §7.5.6, incremental updates).
//!
//! A revision ends with `startxref`, the offset of its cross-reference section, and `%%EOF`.
//! This module only locates those markers; following the `/Prev` chain and comparing
//! revisions is the revision-analysis work.

use memchr::memmem;

/// One revision's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Revision {
    /// Offset just after `%%EOF`.
    pub(crate) eof_end: usize,
    /// `eof_end` plus the end-of-line and blank bytes that follow it.
    pub(crate) end: usize,
}

/// Every `startxref <offset> %%EOF` trailer in file order (at most `max`; `None` beyond).
pub(crate) fn scan(pdf: &[u8], max: usize) -> Option<Vec<Revision>> {
    let mut revisions = Vec::new();
    for at in memmem::find_iter(pdf, b"%%EOF") {
        if !preceded_by_startxref(&pdf[..at]) {
            continue;
        }
        if revisions.len() == max {
            return None;
        }
        let eof_end = at + 5;
        let blank = pdf[eof_end..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0))
            .count();
        revisions.push(Revision {
            eof_end,
            end: eof_end + blank,
        });
    }
    Some(revisions)
}

/// True when `before` ends with `startxref`, blanks, digits, blanks.
fn preceded_by_startxref(before: &[u8]) -> bool {
    let is_blank = |b: &u8| matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0);
    let rest = trim_end(before, is_blank);
    let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let rest = trim_end(&rest[..rest.len() - digits], is_blank);
    rest.ends_with(b"startxref")
}

fn trim_end(bytes: &[u8], pred: impl Fn(&u8) -> bool) -> &[u8] {
    let keep = bytes.len() - bytes.iter().rev().take_while(|b| pred(b)).count();
    &bytes[..keep]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_revision_ends_and_ignores_stray_markers() {
        let pdf =
            b"%PDF-1.7\n...\nstartxref\n120\n%%EOF\n(%%EOF in a string)\nstartxref\r\n999\r\n%%EOF";
        let revs = scan(pdf, 10).unwrap();
        assert_eq!(revs.len(), 2);
        assert_eq!(&pdf[revs[0].eof_end - 5..revs[0].eof_end], b"%%EOF");
        assert_eq!(revs[0].end, revs[0].eof_end + 1);
        assert_eq!(revs[1].end, pdf.len());
        assert!(scan(pdf, 1).is_none());
    }
}
