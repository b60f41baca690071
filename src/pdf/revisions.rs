//! The revisions of a file and how they are put together (ISO 32000-2 §7.5.6, incremental
//! updates).
//!
//! A revision ends with `startxref`, the offset of its cross-reference section, and `%%EOF`.
//! [`scan`] locates those ends; [`defects`] checks each revision's cross-reference chain
//! (`/Prev`, `/XRefStm`) and the bytes between the ends, for the tricks incremental-update
//! attacks use: chains that loop or point outside the revision, one object defined twice in
//! one revision (a viewer may show either definition), objects appended after the last
//! `%%EOF` without a cross-reference section (viewers that repair files show them).

use std::collections::{HashMap, HashSet};

use memchr::memmem;

/// One revision's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Revision {
    /// Offset just after `%%EOF`.
    pub(crate) eof_end: usize,
    /// `eof_end` plus the end-of-line and blank bytes that follow it.
    pub(crate) end: usize,
    /// The `startxref` value: where this revision's cross-reference section starts.
    pub(crate) startxref: u64,
}

/// What is wrong with the way a revision is put together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Defect {
    /// 1-based revision the defect was found in; one past the last revision for bytes after
    /// the final `%%EOF`.
    pub(crate) revision: usize,
    pub(crate) kind: DefectKind,
    pub(crate) detail: String,
}

/// The kinds of [`Defect`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DefectKind {
    /// A `/Prev` chain comes back to a section it already visited.
    PrevLoop,
    /// `startxref`, `/Prev` or `/XRefStm` points outside the bytes of the revision.
    OffsetOutside,
    /// `startxref`, `/Prev` or `/XRefStm` points at something that is not a cross-reference
    /// section.
    NotAnXref,
    /// One revision defines the same object number and generation twice.
    DuplicateObject,
    /// Indirect objects after the final `%%EOF`, with no cross-reference section.
    ObjectsWithoutXref,
    /// Bytes after the final `%%EOF` that no revision accounts for (no object in them).
    TrailingData,
    /// `startxref` or `/Prev` points at the white space just before `xref` or the
    /// cross-reference stream's `N G obj`: written one byte early by some LT/LTA extenders.
    /// pyHanko, pdfsig and Acrobat accept it, and so does docseal, with a warning: the bytes
    /// skipped are white space only, so nothing else can be read there.
    OffsetBeforeKeyword,
}

impl DefectKind {
    /// Whether a viewer can show something other than the revisions say: everything but
    /// trailing bytes that hold no object.
    pub(crate) fn can_change_display(self) -> bool {
        !matches!(self, Self::TrailingData | Self::OffsetBeforeKeyword)
    }

    /// A tolerated irregularity: a warning about the file, not a change.
    pub(crate) fn is_tolerated(self) -> bool {
        matches!(self, Self::OffsetBeforeKeyword)
    }
}

/// The most white-space bytes skipped between an offset and the keyword it should point at
/// (an offset one byte early lands on the `\n` of a CR LF, or on a lone EOL).
const MAX_EARLY: usize = 2;

/// Where the keyword an offset names really starts: `at` itself, or the first non-blank byte
/// after at most [`MAX_EARLY`] white-space bytes; returns that position and whether any
/// byte was skipped.
pub(crate) fn keyword_at(bytes: &[u8], at: usize) -> (usize, bool) {
    let skipped = bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take(MAX_EARLY + 1)
        .take_while(|b| is_blank(**b))
        .count();
    if skipped == 0 || skipped > MAX_EARLY {
        (at, false)
    } else {
        (at + skipped, true)
    }
}

/// Every `startxref <offset> %%EOF` trailer in file order (at most `max`; `None` beyond).
pub(crate) fn scan(pdf: &[u8], max: usize) -> Option<Vec<Revision>> {
    let mut revisions = Vec::new();
    for at in memmem::find_iter(pdf, b"%%EOF") {
        let Some(startxref) = startxref_before(&pdf[..at]) else {
            continue;
        };
        if revisions.len() == max {
            return None;
        }
        let eof_end = at + 5;
        let blank = pdf[eof_end..].iter().take_while(|b| is_blank(**b)).count();
        revisions.push(Revision {
            eof_end,
            end: eof_end + blank,
            startxref,
        });
    }
    Some(revisions)
}

/// The structural defects of the file's revisions, in file order.
pub(crate) fn defects(pdf: &[u8], revisions: &[Revision]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut sections = HashMap::new();
    let mut start = 0;
    for (i, rev) in revisions.iter().enumerate() {
        // A linearized file's first-page trailer says `startxref 0`: its section is reached
        // from the last revision's chain instead.
        let mut early = Vec::new();
        if rev.startxref != 0
            && let Err((kind, detail)) = walk_chain(pdf, rev, &mut sections, &mut early)
        {
            out.push(Defect {
                revision: i + 1,
                kind,
                detail,
            });
        }
        // Each revision's chain walks the earlier sections again: name each offset once.
        for detail in early {
            if !out.iter().any(|d| d.detail == detail) {
                out.push(Defect {
                    revision: i + 1,
                    kind: DefectKind::OffsetBeforeKeyword,
                    detail,
                });
            }
        }
        for (id, count) in duplicate_objects(&pdf[start..rev.eof_end]) {
            out.push(Defect {
                revision: i + 1,
                kind: DefectKind::DuplicateObject,
                detail: format!(
                    "revision {} defines object {} {} {count} times: viewers may show either definition",
                    i + 1,
                    id.0,
                    id.1
                ),
            });
        }
        start = rev.end;
    }
    let tail = &pdf[start.min(pdf.len())..];
    if tail.iter().any(|b| !is_blank(*b)) {
        let headers = object_headers(tail);
        let (kind, detail) = if headers.is_empty() {
            (
                DefectKind::TrailingData,
                format!(
                    "{} byte(s) follow the final %%EOF and belong to no revision",
                    tail.len()
                ),
            )
        } else {
            (
                DefectKind::ObjectsWithoutXref,
                format!(
                    "{} object(s) (first: {} {} obj) were appended after the final %%EOF without a cross-reference section; viewers that repair files show them",
                    headers.len(),
                    headers[0].0,
                    headers[0].1
                ),
            )
        };
        out.push(Defect {
            revision: revisions.len() + 1,
            kind,
            detail,
        });
    }
    out
}

/// How many of `doc`'s cross-reference entries point at white space just before an object's
/// `N G obj` header (see [`keyword_at`]): tolerated, and counted for a warning.
pub(crate) fn objects_before_keyword(pdf: &[u8], doc: &lopdf::Document) -> usize {
    doc.reference_table
        .entries
        .values()
        .filter(|entry| match entry {
            lopdf::xref::XrefEntry::Normal { offset, .. } => {
                let (at, early) = keyword_at(pdf, *offset as usize);
                early && object_header(&pdf[at..]).is_some()
            }
            _ => false,
        })
        .count()
}

/// The bytes of revision `n` (1-based): the file as it was when that revision was written.
pub(crate) fn bytes<'a>(pdf: &'a [u8], revisions: &[Revision], n: usize) -> Option<&'a [u8]> {
    let rev = revisions.get(n.checked_sub(1)?)?;
    Some(&pdf[..rev.end])
}

/// How one cross-reference section continues.
#[derive(Clone, Copy)]
struct Section {
    prev: Option<i64>,
    xref_stm: Option<i64>,
}

/// Follows `rev`'s `/Prev` chain; `sections` caches parsed sections by offset.
fn walk_chain(
    pdf: &[u8],
    rev: &Revision,
    sections: &mut HashMap<usize, Option<Section>>,
    early_offsets: &mut Vec<String>,
) -> Result<(), (DefectKind, String)> {
    let mut seen = HashSet::new();
    let mut tolerated = Vec::new();
    let mut offset = i64::try_from(rev.startxref).unwrap_or(i64::MAX);
    let mut what = "startxref";
    loop {
        let at = usize::try_from(offset)
            .ok()
            .filter(|at| *at < rev.eof_end)
            .ok_or_else(|| {
                (
                    DefectKind::OffsetOutside,
                    format!(
                        "{what} {offset} points outside the bytes of its revision (0..{})",
                        rev.eof_end
                    ),
                )
            })?;
        if !seen.insert(at) {
            return Err((
                DefectKind::PrevLoop,
                format!("the /Prev chain comes back to the section at offset {at}"),
            ));
        }
        let (keyword, early) = keyword_at(pdf, at);
        if early && !tolerated.contains(&at) {
            tolerated.push(at);
            early_offsets.push(format!(
                "{what} {offset} points at white space {} byte(s) before the cross-reference section; read from offset {keyword}",
                keyword - at
            ));
        }
        let section = *sections
            .entry(keyword)
            .or_insert_with(|| section_at(pdf, keyword));
        let section = section.ok_or_else(|| {
            (
                DefectKind::NotAnXref,
                format!("{what} {offset} does not point at a cross-reference section"),
            )
        })?;
        if let Some(stm) = section.xref_stm {
            let ok = usize::try_from(stm)
                .ok()
                .filter(|s| *s < rev.eof_end)
                .and_then(|s| xref_stream_dict(pdf, keyword_at(pdf, s).0))
                .is_some();
            if !ok {
                return Err((
                    DefectKind::NotAnXref,
                    format!("/XRefStm {stm} does not point at a cross-reference stream"),
                ));
            }
        }
        match section.prev {
            Some(prev) => {
                offset = prev;
                what = "/Prev";
            }
            None => return Ok(()),
        }
    }
}

/// Parses the cross-reference section at `at`: a table and its trailer, or a stream.
fn section_at(pdf: &[u8], at: usize) -> Option<Section> {
    let rest = &pdf[at..];
    let dict = if rest.starts_with(b"xref") {
        let trailer = memmem::find(rest, b"trailer")?;
        let dict_start = trailer + 7 + skip_blank(&rest[trailer + 7..]);
        dict_at(rest, dict_start)?
    } else {
        xref_stream_dict(pdf, at)?
    };
    Some(Section {
        prev: int_entry(dict, b"/Prev"),
        xref_stm: int_entry(dict, b"/XRefStm"),
    })
}

/// The dictionary of the `N G obj << /Type /XRef … >>` at `at`, if it is one.
fn xref_stream_dict(pdf: &[u8], at: usize) -> Option<&[u8]> {
    let rest = &pdf[at..];
    let (_, header_len) = object_header(rest)?;
    let start = header_len + skip_blank(&rest[header_len..]);
    let dict = dict_at(rest, start)?;
    let is_xref =
        top_level_entries(dict).any(|(key, value)| key == b"/Type" && value.starts_with(b"/XRef"));
    is_xref.then_some(dict)
}

/// `N G obj` at the start of `bytes`: the id and the header length.
fn object_header(bytes: &[u8]) -> Option<((u32, u16), usize)> {
    let (num, a) = digits(bytes)?;
    let a = a + blank_run(&bytes[a..])?;
    let (generation, b) = digits(&bytes[a..]).map(|(g, n)| (g, a + n))?;
    let b = b + blank_run(&bytes[b..])?;
    if !bytes[b..].starts_with(b"obj") {
        return None;
    }
    let end = b + 3;
    if bytes.get(end).is_some_and(|c| !is_delimiter_or_blank(*c)) {
        return None;
    }
    Some((
        (u32::try_from(num).ok()?, u16::try_from(generation).ok()?),
        end,
    ))
}

/// Headers `N G obj` that start a line, skipping everything up to each object's `endobj`
/// (so stream data is not searched).
fn object_headers(bytes: &[u8]) -> Vec<(u32, u16)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let line_start = pos == 0 || matches!(bytes[pos - 1], b'\r' | b'\n');
        let header = line_start
            .then(|| object_header(&bytes[pos + skip_blank(&bytes[pos..])..]))
            .flatten();
        match header {
            Some((id, _)) => {
                out.push(id);
                pos = memmem::find(&bytes[pos..], b"endobj").map_or(bytes.len(), |e| pos + e + 6);
            }
            None => {
                pos = memchr::memchr2(b'\n', b'\r', &bytes[pos..])
                    .map_or(bytes.len(), |e| pos + e + 1);
            }
        }
    }
    out
}

/// Object ids defined more than once in `bytes`, with their counts.
fn duplicate_objects(bytes: &[u8]) -> Vec<((u32, u16), usize)> {
    let mut counts: HashMap<(u32, u16), usize> = HashMap::new();
    for id in object_headers(bytes) {
        *counts.entry(id).or_default() += 1;
    }
    let mut dups: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    dups.sort_unstable();
    dups
}

/// The `<< … >>` starting at `start`, brackets, strings and nesting respected.
pub(crate) fn dict_at(bytes: &[u8], start: usize) -> Option<&[u8]> {
    if !bytes[start..].starts_with(b"<<") {
        return None;
    }
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => i = skip_literal_string(bytes, i)?,
            b'%' => {
                i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |e| i + e);
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 2;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(&bytes[start..i]);
                }
            }
            _ => i += 1,
        }
        if depth > 64 {
            return None;
        }
    }
    None
}

/// Index just past the literal string opening at `open`.
pub(crate) fn skip_literal_string(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `(key, value)` pairs of a dictionary's bytes; the value is its raw text.
pub(crate) fn top_level_entries(dict: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let inner = &dict[2..dict.len().saturating_sub(2)];
    let mut i = 0;
    std::iter::from_fn(move || {
        i += skip_blank(&inner[i..]);
        if inner.get(i) != Some(&b'/') {
            return None;
        }
        let key_end = token_end(inner, i + 1);
        let value_start = key_end + skip_blank(&inner[key_end..]);
        let value_end = value_end(inner, value_start, 0)?;
        let entry = (&inner[i..key_end], &inner[value_start..value_end]);
        i = value_end;
        Some(entry)
    })
}

/// Where the object starting at `i` ends (a reference `N G R` counts as one object).
fn value_end(bytes: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > 64 || i >= bytes.len() {
        return None;
    }
    match bytes[i] {
        b'<' if bytes.get(i + 1) == Some(&b'<') => dict_at(bytes, i).map(|d| i + d.len()),
        b'<' => memchr::memchr(b'>', &bytes[i..]).map(|e| i + e + 1),
        b'(' => skip_literal_string(bytes, i),
        b'[' => {
            let mut j = i + 1;
            loop {
                j += skip_blank(&bytes[j..]);
                match bytes.get(j)? {
                    b']' => return Some(j + 1),
                    _ => j = value_end(bytes, j, depth + 1)?,
                }
            }
        }
        b'/' => Some(token_end(bytes, i + 1)),
        _ => {
            let end = token_end(bytes, i);
            if end == i {
                return None;
            }
            // `N G R`: two integers and R make one reference.
            let reference = (|| {
                let g = end + blank_run(&bytes[end..])?;
                let (_, n) = digits(&bytes[g..])?;
                let r = g + n + blank_run(&bytes[g + n..])?;
                (bytes.get(r) == Some(&b'R') && token_end(bytes, r) == r + 1).then_some(r + 1)
            })();
            Some(reference.unwrap_or(end))
        }
    }
}

/// End of the regular-character token starting at `i`.
fn token_end(bytes: &[u8], i: usize) -> usize {
    i + bytes[i.min(bytes.len())..]
        .iter()
        .take_while(|c| !is_delimiter_or_blank(**c))
        .count()
}

/// The integer value of top-level `key`, if present and an integer.
fn int_entry(dict: &[u8], key: &[u8]) -> Option<i64> {
    let (_, value) = top_level_entries(dict).find(|(k, _)| *k == key)?;
    let digits = value
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b'-')
        .count();
    std::str::from_utf8(&value[..digits]).ok()?.parse().ok()
}

/// The `startxref` value when `before` ends with `startxref`, blanks, digits, blanks.
fn startxref_before(before: &[u8]) -> Option<u64> {
    let rest = trim_end(before);
    let n = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let value = &rest[rest.len() - n..];
    let rest = trim_end(&rest[..rest.len() - n]);
    if !rest.ends_with(b"startxref") {
        return None;
    }
    // Too many digits for a u64 is no offset inside any file: report it as outside.
    Some(
        std::str::from_utf8(value)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX),
    )
}

fn digits(bytes: &[u8]) -> Option<(u64, usize)> {
    let n = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 10 {
        return None;
    }
    let value = std::str::from_utf8(&bytes[..n]).ok()?.parse().ok()?;
    Some((value, n))
}

/// Length of a non-empty run of blanks at the start of `bytes`.
fn blank_run(bytes: &[u8]) -> Option<usize> {
    let n = skip_blank(bytes);
    (n > 0).then_some(n)
}

pub(crate) fn skip_blank(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| is_blank(**b)).count()
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let keep = bytes.len() - bytes.iter().rev().take_while(|b| is_blank(**b)).count();
    &bytes[..keep]
}

fn is_blank(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0 | b'\x0c')
}

pub(crate) fn is_delimiter_or_blank(b: u8) -> bool {
    is_blank(b) || b"()<>[]{}/%".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-object file with a classic table, then `updates` appended as incremental
    /// updates (each a body with `{prev}` standing for the previous section's offset).
    fn file(updates: &[&str]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
        let mut prev = pdf.len();
        pdf.extend_from_slice(
            b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\n",
        );
        pdf.extend_from_slice(format!("startxref\n{prev}\n%%EOF\n").as_bytes());
        for body in updates {
            let xref = pdf.len() + body.find("xref").unwrap_or(0);
            pdf.extend_from_slice(body.replace("{prev}", &prev.to_string()).as_bytes());
            pdf.extend_from_slice(format!("startxref\n{xref}\n%%EOF\n").as_bytes());
            prev = xref;
        }
        pdf
    }

    const UPDATE: &str = "2 0 obj\n(two)\nendobj\nxref\n2 1\n0000000000 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R /Prev {prev} >>\n";

    #[test]
    fn finds_revision_ends_and_ignores_stray_markers() {
        let pdf =
            b"%PDF-1.7\n...\nstartxref\n120\n%%EOF\n(%%EOF in a string)\nstartxref\r\n999\r\n%%EOF";
        let revs = scan(pdf, 10).unwrap();
        assert_eq!(revs.len(), 2);
        assert_eq!(&pdf[revs[0].eof_end - 5..revs[0].eof_end], b"%%EOF");
        assert_eq!(revs[0].end, revs[0].eof_end + 1);
        assert_eq!((revs[0].startxref, revs[1].startxref), (120, 999));
        assert_eq!(revs[1].end, pdf.len());
        assert!(scan(pdf, 1).is_none());
    }

    #[test]
    fn a_sound_update_chain_has_no_defect() {
        let pdf = file(&[UPDATE]);
        let revs = scan(&pdf, 10).unwrap();
        assert_eq!(revs.len(), 2);
        assert_eq!(defects(&pdf, &revs), vec![]);
        assert_eq!(bytes(&pdf, &revs, 1).unwrap().len(), revs[0].end);
        assert!(bytes(&pdf, &revs, 3).is_none());
        assert!(bytes(&pdf, &revs, 0).is_none());
    }

    fn kinds(pdf: &[u8]) -> Vec<DefectKind> {
        let revs = scan(pdf, 10).unwrap();
        defects(pdf, &revs).into_iter().map(|d| d.kind).collect()
    }

    #[test]
    fn a_prev_that_points_at_its_own_section_is_a_loop() {
        let looped = "xref\n2 1\n0000000000 00000 n \ntrailer\n<< /Size 3 /Prev SELF >>\n";
        let mut pdf = file(&[looped]);
        let xref = scan(&pdf, 10).unwrap()[1].startxref.to_string();
        let at = memmem::find(&pdf, b"SELF").unwrap();
        // Same width as the offset so that no other offset moves.
        let pad = format!("{xref:<4}");
        pdf.splice(at..at + 4, pad.bytes());
        assert_eq!(kinds(&pdf), vec![DefectKind::PrevLoop]);
    }

    #[test]
    fn offsets_outside_the_revision_or_not_at_a_section_are_defects() {
        let outside = "xref\n2 1\n0000000000 00000 n \ntrailer\n<< /Size 3 /Prev 999999 >>\n";
        assert_eq!(kinds(&file(&[outside])), vec![DefectKind::OffsetOutside]);
        let not_xref = "xref\n2 1\n0000000000 00000 n \ntrailer\n<< /Size 3 /Prev 9 >>\n";
        assert_eq!(kinds(&file(&[not_xref])), vec![DefectKind::NotAnXref]);
        let stm =
            "xref\n2 1\n0000000000 00000 n \ntrailer\n<< /Size 3 /XRefStm 9 /Prev {prev} >>\n";
        assert_eq!(kinds(&file(&[stm])), vec![DefectKind::NotAnXref]);
    }

    #[test]
    fn an_object_defined_twice_in_one_revision_is_a_defect() {
        let twice = "2 0 obj\n(two)\nendobj\n2 0 obj\n(forged)\nendobj\nxref\n2 1\n0000000000 00000 n \ntrailer\n<< /Size 3 /Prev {prev} >>\n";
        assert_eq!(kinds(&file(&[twice])), vec![DefectKind::DuplicateObject]);
        // The same number in two revisions is an ordinary update.
        let again = UPDATE.replace("(two)", "(three)");
        assert_eq!(kinds(&file(&[UPDATE, &again])), vec![]);
    }

    #[test]
    fn bytes_after_the_last_eof_are_objects_or_trailing_data() {
        let mut pdf = file(&[]);
        pdf.extend_from_slice(b"\n\n");
        assert_eq!(kinds(&pdf), vec![]);
        let mut junk = pdf.clone();
        junk.extend_from_slice(b"some junk");
        assert_eq!(kinds(&junk), vec![DefectKind::TrailingData]);
        let mut objects = pdf;
        objects.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Forged true >>\nendobj\n");
        assert_eq!(kinds(&objects), vec![DefectKind::ObjectsWithoutXref]);
    }

    #[test]
    fn xref_streams_are_recognised_by_their_type() {
        let dict = b"7 0 obj\n<< /Type /XRef /Size 8 /Prev 1234 /W [1 2 1] >>\nstream\n";
        let section = section_at(dict, 0).unwrap();
        assert_eq!(section.prev, Some(1234));
        assert!(section_at(b"7 0 obj\n<< /Type /Catalog >>\n", 0).is_none());
        assert!(section_at(b"7 0 obj (not a dict)", 0).is_none());
    }

    #[test]
    fn entries_skip_nested_values_and_strings() {
        let dict = b"<< /A << /Prev 1 >> /B (a /Prev 2 \\) string) /Prev 3 /C [/Prev 4] >>";
        assert_eq!(int_entry(dict, b"/Prev"), Some(3));
        assert_eq!(int_entry(dict, b"/XRefStm"), None);
    }
}
