//! Signature fields and signature dictionaries, read with lopdf (ISO 32000-2 §12.7.5.5, §12.8).

use std::collections::HashSet;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, xref::XrefEntry};

use super::{
    PdfError,
    modification::{Lock, mdp},
};
use crate::{
    limits::Limits,
    pki::x509::hex,
    report::{Declared, Name, SignatureKind},
    time::{pdf_date, rfc3339},
};

/// A signature field of the current revision.
#[derive(Debug)]
pub(crate) struct Field {
    /// Fully qualified name (`parent.child`).
    pub(crate) name: Name,
    /// Its signature dictionary, when signed.
    pub(crate) sig: Option<SigDict>,
    /// Found through a page's widget annotation but not listed under `/AcroForm /Fields`.
    pub(crate) orphan_widget: bool,
}

/// The parts of a signature dictionary verification uses.
#[derive(Debug)]
pub(crate) struct SigDict {
    /// Byte offset of that object (`None` if it is in an object stream or unknown).
    pub(crate) offset: Option<usize>,
    pub(crate) kind: SignatureKind,
    /// `/Type` as written (`Sig`, `DocTimeStamp`, or absent).
    pub(crate) type_name: Option<String>,
    pub(crate) subfilter: Option<String>,
    /// `/ByteRange`, or why it is unusable.
    pub(crate) byte_range: Result<Vec<i64>, String>,
    /// `/Contents`, decoded.
    pub(crate) contents: Option<Vec<u8>>,
    pub(crate) declared: Declared,
    /// DocMDP `P` when this is a certification signature.
    pub(crate) docmdp: Option<u8>,
    /// Fields this signature locks (FieldMDP or the field's `/Lock`).
    pub(crate) lock: Option<Lock>,
}

/// Loads `pdf` with lopdf, bounded by `limits`; refuses encrypted documents.
///
/// lopdf resolves an indirect stream `/Length` by parsing the object it names, which may be a
/// stream with an indirect `/Length` itself (or an object in an object stream whose own
/// `/Length` is indirect): one nested parse, about 1.5 KiB of stack, per link, with no bound of
/// its own, so 50 000 linked streams overflow even an 8 MiB stack (issue 12 §1). Every link is
/// a stream whose `/Length` is not a direct integer; [`unverified_lengths`] counts them from
/// above. A file with none or a few is loaded on the caller's thread; otherwise lopdf runs on a
/// thread of its own with a stack for that many links, up to
/// [`Limits::max_indirect_stream_lengths`].
pub(crate) fn load(pdf: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_decompressed_bytes),
        ..LoadOptions::default()
    };
    let links = unverified_lengths(pdf);
    if links > limits.max_indirect_stream_lengths {
        return Err(PdfError::Limit {
            what: "streams whose /Length may name another stream",
            max: limits.max_indirect_stream_lengths as u64,
        });
    }
    // lopdf is not ours to audit line by line: a panic inside it must not take the host
    // down, so it becomes a load error like any other malformed input.
    let parse = move || {
        std::panic::catch_unwind(|| Document::load_mem_with_options(pdf, options))
            .map_err(|_| PdfError::Load("the PDF parser panicked on this input".into()))
    };
    let loaded = if links <= INLINE_LINKS {
        parse()?
    } else {
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("docseal-lopdf".into())
                .stack_size(LOAD_STACK + links.saturating_mul(STACK_PER_LINK))
                .spawn_scoped(scope, parse)
                .map_err(|e| PdfError::Load(Box::new(e)))?
                .join()
                .map_err(|_| PdfError::Load("the PDF parser panicked on this input".into()))?
        })?
    };
    let doc = loaded.map_err(|e| PdfError::Load(Box::new(e)))?;
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    Ok(doc)
}

/// Streams with an unverified `/Length` that lopdf may follow on the caller's thread: with at
/// most this many, the nesting costs at most about 2 × 16 × 1.5 KiB.
const INLINE_LINKS: usize = 16;
/// Stack of lopdf's own thread before the links (its parser nests up to 100 objects deep).
const LOAD_STACK: usize = 1024 * 1024;
/// Stack per link on lopdf's own thread: measured at about 1.5 KiB per linked stream (2 000
/// links overflow 2 MiB, not 4 MiB), doubled for a compressed object's container on the way.
const STACK_PER_LINK: usize = 4 * 1024;

/// An upper bound on the streams of `pdf` whose `/Length` lopdf could follow to another stream:
/// every `stream` keyword, less those right after a plain dictionary that follows `obj` and has
/// exactly one key `/Length`, either a direct integer or a reference `N G R` to an object
/// whose every definition in the file is a bare integer (Ghostscript writes lengths so). A
/// possible object-stream container (a `/First` key) is verified by a direct length only:
/// its length may not be in an object stream (ISO 32000-2 §7.5.7), so a chain through
/// compressed objects passes through an unverified stream at every other link. Only plain
/// dictionaries are trusted (no string, comment or `#` escape, no `%` before them on their
/// line): whatever lopdf reads before such a dictionary, it reads the dictionary itself the
/// same way. Linear: the scan resumes after each dictionary.
pub(crate) fn unverified_lengths(pdf: &[u8]) -> usize {
    use std::collections::HashMap;

    use super::revisions::{dict_at, skip_blank, top_level_entries};
    let keywords = memchr::memmem::find_iter(pdf, b"stream")
        .filter(|&at| !pdf[..at].ends_with(b"end"))
        .count();
    let mut verified = 0usize;
    // Object number -> every definition is a bare integer (so far).
    let mut integers: HashMap<u64, bool> = HashMap::new();
    let mut referenced: Vec<u64> = Vec::new();
    let mut from = 0;
    let finder = memchr::memmem::Finder::new(b"obj");
    while let Some(found) = finder.find(&pdf[from..]) {
        let at = from + found;
        from = at + 3;
        let number = object_number(&pdf[..at]);
        let body = from + skip_blank(&pdf[from..]);
        if !pdf[body..].starts_with(b"<<") {
            if let Some(n) = number {
                let digits = pdf[body..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let rest = body + digits;
                let bare =
                    digits > 0 && pdf[rest + skip_blank(&pdf[rest..])..].starts_with(b"endobj");
                *integers.entry(n).or_insert(true) &= bare;
            }
            continue;
        }
        if let Some(n) = number {
            integers.insert(n, false);
        }
        let Some(dict) = dict_at(pdf, body) else {
            continue;
        };
        let end = body + dict.len();
        from = end;
        let after = end + skip_blank(&pdf[end..]);
        let line = memchr::memrchr2(b'\n', b'\r', &pdf[..body]).map_or(0, |e| e + 1);
        let plain = !dict.iter().any(|b| matches!(b, b'(' | b')' | b'%' | b'#'))
            && !pdf[line..body].contains(&b'%')
            && [b"<<", b">>"].iter().all(|pair| {
                // Every angle bracket is part of a dictionary delimiter: no hex string.
                dict.iter().filter(|b| **b == pair[0]).count()
                    == 2 * memchr::memmem::find_iter(dict, pair).count()
            });
        if !plain || !pdf[after..].starts_with(b"stream") {
            continue;
        }
        let container = top_level_entries(dict).any(|(k, _)| k == b"/First");
        let mut lengths = top_level_entries(dict).filter(|(k, _)| *k == b"/Length");
        let (Some((_, value)), None) = (lengths.next(), lengths.next()) else {
            continue;
        };
        if !value.is_empty() && value.iter().all(u8::is_ascii_digit) {
            verified += 1;
        } else if !container && let Some(target) = reference(value) {
            referenced.push(target);
        }
    }
    verified += referenced
        .iter()
        .filter(|n| integers.get(n).copied().unwrap_or(false))
        .count();
    keywords.saturating_sub(verified)
}

/// `N` of an `N G obj` header whose `obj` starts where `before` ends.
fn object_number(before: &[u8]) -> Option<u64> {
    let mut tokens = before
        .rsplit(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    let (generation, number) = (tokens.next()?, tokens.next()?);
    let digits = |t: &[u8]| !t.is_empty() && t.len() <= 10 && t.iter().all(u8::is_ascii_digit);
    if !(before.ends_with(b" ") || before.ends_with(b"\n") || before.ends_with(b"\r"))
        || !digits(generation)
        || !digits(number)
    {
        return None;
    }
    std::str::from_utf8(number).ok()?.parse().ok()
}

/// `N` of a value `N G R`.
fn reference(value: &[u8]) -> Option<u64> {
    let mut tokens = value
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    let (n, g, r) = (tokens.next()?, tokens.next()?, tokens.next()?);
    let digits = |t: &[u8]| !t.is_empty() && t.len() <= 10 && t.iter().all(u8::is_ascii_digit);
    (digits(n) && digits(g) && r == b"R" && tokens.next().is_none())
        .then(|| std::str::from_utf8(n).ok()?.parse().ok())
        .flatten()
}

/// Every signature field: those under `/AcroForm /Fields` first, in order, then any signature
/// widget annotation of a page that the form does not list.
pub(crate) fn fields(doc: &Document, limits: &Limits) -> Result<Vec<Field>, PdfError> {
    let mut walk = Walk {
        doc,
        limits,
        visited: HashSet::new(),
        out: Vec::new(),
    };
    let form_fields = doc
        .catalog()
        .ok()
        .and_then(|c| deref_dict(doc, c.get(b"AcroForm").ok()?))
        .and_then(|f| f.get(b"Fields").ok())
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_array().ok());
    for field in form_fields.into_iter().flatten() {
        walk.field(field, None, None, None, 0, false)?;
    }
    for (_, page_id) in doc.get_pages() {
        let annots = doc
            .get_dictionary(page_id)
            .ok()
            .and_then(|p| p.get(b"Annots").ok())
            .and_then(|a| doc.dereference(a).ok())
            .and_then(|(_, a)| a.as_array().ok());
        for annot in annots.into_iter().flatten() {
            walk.widget(annot)?;
        }
    }
    Ok(walk.out)
}

/// Offset of indirect object `id` according to the cross-reference data.
pub(crate) fn object_offset(doc: &Document, id: ObjectId) -> Option<usize> {
    match doc.reference_table.get(id.0)? {
        XrefEntry::Normal { offset, generation } if *generation == id.1 => {
            usize::try_from(*offset).ok()
        }
        _ => None,
    }
}

struct Walk<'d> {
    doc: &'d Document,
    limits: &'d Limits,
    visited: HashSet<ObjectId>,
    out: Vec<Field>,
}

impl<'d> Walk<'d> {
    /// Visits a field node: records terminal signature fields, descends into `/Kids`.
    fn field(
        &mut self,
        obj: &'d Object,
        container: Option<ObjectId>,
        parent_name: Option<&str>,
        inherited_ft: Option<&'d [u8]>,
        depth: usize,
        orphan: bool,
    ) -> Result<(), PdfError> {
        if depth > self.limits.max_field_depth {
            return Err(PdfError::Limit {
                what: "form field nesting",
                max: self.limits.max_field_depth as u64,
            });
        }
        let Ok((id, Object::Dictionary(dict))) = self.doc.dereference(obj) else {
            return Ok(());
        };
        if let Some(id) = id
            && !self.visited.insert(id)
        {
            return Ok(()); // cycle or already listed
        }
        let container = id.or(container);
        let own = dict.get(b"T").ok().and_then(|t| t.as_str().ok()).map(text);
        let name = match (parent_name, &own) {
            (Some(p), Some(t)) => Some(format!("{p}.{}", t.display())),
            (None, Some(t)) => Some(t.display()),
            (p, None) => p.map(str::to_owned),
        };
        let ft = dict
            .get(b"FT")
            .ok()
            .and_then(|f| f.as_name().ok())
            .or(inherited_ft);
        let kids = dict
            .get(b"Kids")
            .ok()
            .and_then(|k| self.doc.dereference(k).ok())
            .and_then(|(_, k)| k.as_array().ok());
        let has_field_kids = kids.into_iter().flatten().any(
            |k| matches!(self.doc.dereference(k), Ok((_, Object::Dictionary(d))) if d.has(b"T")),
        );
        if ft == Some(b"Sig".as_slice()) && !has_field_kids {
            if self.out.len() == self.limits.max_signatures {
                return Err(PdfError::Limit {
                    what: "signature fields",
                    max: self.limits.max_signatures as u64,
                });
            }
            let sig = match (dict.get(b"V").ok(), container) {
                (Some(v), Some(container)) => self.sig_dict(v, container, dict),
                _ => None,
            };
            self.out.push(Field {
                name: Name::Text(name.clone().unwrap_or_else(|| "(unnamed)".to_owned())),
                sig,
                orphan_widget: orphan,
            });
        }
        for kid in kids.into_iter().flatten() {
            self.field(kid, container, name.as_deref(), ft, depth + 1, orphan)?;
        }
        Ok(())
    }

    /// A page annotation: a signature widget the form did not list is walked as a field.
    fn widget(&mut self, annot: &'d Object) -> Result<(), PdfError> {
        let Ok((Some(id), Object::Dictionary(dict))) = self.doc.dereference(annot) else {
            return Ok(());
        };
        if self.visited.contains(&id)
            || dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Widget")
        {
            return Ok(());
        }
        // Climb to the top of the field tree so the full name and /FT are inherited.
        let mut top = annot;
        let mut top_id = id;
        for _ in 0..self.limits.max_field_depth {
            let parent = deref_dict(self.doc, top)
                .and_then(|d| d.get(b"Parent").ok())
                .filter(|p| matches!(p, Object::Reference(_)));
            match parent {
                Some(p @ Object::Reference(pid)) if !self.visited.contains(pid) => {
                    top = p;
                    top_id = *pid;
                }
                _ => break,
            }
        }
        if self.visited.contains(&top_id) {
            return Ok(());
        }
        self.field(top, None, None, None, 0, true)
    }

    fn sig_dict(
        &self,
        value: &'d Object,
        container: ObjectId,
        field: &Dictionary,
    ) -> Option<SigDict> {
        let (id, obj) = self.doc.dereference(value).ok()?;
        let dict = obj.as_dict().ok()?;
        let id = id.unwrap_or(container);
        let name_of = |key: &[u8]| {
            dict.get(key)
                .ok()
                .and_then(|v| v.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
        };
        let text_of = |key: &[u8]| dict.get(key).ok().and_then(|v| v.as_str().ok()).map(text);
        let type_name = name_of(b"Type");
        let subfilter = name_of(b"SubFilter");
        // The SubFilter says what the /Contents is; /Type is optional for /Sig and some
        // writers put /Sig or nothing on a document timestamp (ISO 32000-2 Table 255 requires
        // /DocTimeStamp). The contents decide; the report warns about the /Type.
        let kind = match (type_name.as_deref(), subfilter.as_deref()) {
            (Some("DocTimeStamp"), _) | (_, Some("ETSI.RFC3161")) => SignatureKind::DocTimestamp,
            _ => SignatureKind::Signature,
        };
        let (docmdp, lock) = mdp(self.doc, dict, field);
        Some(SigDict {
            docmdp,
            lock,
            offset: object_offset(self.doc, id),
            kind,
            type_name,
            subfilter,
            byte_range: byte_range(self.doc, dict),
            contents: dict
                .get(b"Contents")
                .ok()
                .and_then(|c| c.as_str().ok())
                .map(<[u8]>::to_vec),
            declared: Declared {
                name: text_of(b"Name"),
                reason: text_of(b"Reason"),
                location: text_of(b"Location"),
                contact_info: text_of(b"ContactInfo"),
                signing_time: dict
                    .get(b"M")
                    .ok()
                    .and_then(|m| m.as_str().ok())
                    .and_then(pdf_date)
                    .map(rfc3339),
            },
        })
    }
}

fn deref_dict<'d>(doc: &'d Document, obj: &'d Object) -> Option<&'d Dictionary> {
    doc.dereference(obj).ok()?.1.as_dict().ok()
}

fn byte_range(doc: &Document, dict: &Dictionary) -> Result<Vec<i64>, String> {
    let arr = dict
        .get(b"ByteRange")
        .ok()
        .and_then(|b| doc.dereference(b).ok())
        .and_then(|(_, b)| b.as_array().ok())
        .ok_or("the signature dictionary has no /ByteRange array")?;
    arr.iter()
        .take(16)
        .map(|v| match v {
            Object::Integer(i) => Ok(*i),
            _ => Err("/ByteRange holds something other than integers".to_owned()),
        })
        .collect()
}

/// A PDF text string (ISO 32000-2 §7.9.2.2): UTF-16BE or UTF-8 with a byte-order mark, else
/// PDFDocEncoding.
pub(crate) fn text(bytes: &[u8]) -> Name {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return match String::from_utf16(&units) {
            Ok(s) if utf16.len() % 2 == 0 => Name::Text(s),
            _ => Name::Hex(hex(bytes)),
        };
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(utf8)
            .map_or_else(|_| Name::Hex(hex(bytes)), |s| Name::Text(s.to_owned()));
    }
    Name::Text(bytes.iter().map(|&b| pdf_doc_char(b)).collect())
}

/// PDFDocEncoding (ISO 32000-2 Annex D.2): Latin-1 except 0x18–0x1F and 0x80–0xA0.
fn pdf_doc_char(b: u8) -> char {
    const HIGH: [char; 33] = [
        '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}',
        '\u{2044}', '\u{2039}', '\u{203A}', '\u{2212}', '\u{2030}', '\u{201E}', '\u{201C}',
        '\u{201D}', '\u{2018}', '\u{2019}', '\u{201A}', '\u{2122}', '\u{FB01}', '\u{FB02}',
        '\u{0141}', '\u{0152}', '\u{0160}', '\u{0178}', '\u{017D}', '\u{0131}', '\u{0142}',
        '\u{0153}', '\u{0161}', '\u{017E}', '\u{FFFD}', '\u{20AC}',
    ];
    const LOW: [char; 8] = [
        '\u{02D8}', '\u{02C7}', '\u{02C6}', '\u{02D9}', '\u{02DD}', '\u{02DB}', '\u{02DA}',
        '\u{02DC}',
    ];
    match b {
        0x18..=0x1F => LOW[usize::from(b - 0x18)],
        0x80..=0xA0 => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings() {
        assert_eq!(text(b"Ha Noi"), Name::Text("Ha Noi".into()));
        let utf16 = [0xFE, 0xFF, 0x00, 0x48, 0x1E, 0xA1];
        assert_eq!(text(&utf16), Name::Text("H\u{1EA1}".into()));
        assert_eq!(
            text(&[0xFE, 0xFF, 0xD8, 0x00]),
            Name::Hex("feffd800".into())
        );
        assert_eq!(text(&[0x80, 0xA0]), Name::Text("\u{2022}\u{20AC}".into()));
        assert_eq!(
            text("\u{FEFF}Hà Nội".as_bytes()),
            Name::Text("Hà Nội".into())
        );
    }
}
