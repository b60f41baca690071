//! Signature fields and signature dictionaries, read with lopdf (ISO 32000-2 §12.7.5.5, §12.8).

use crate::time::ValidationTime;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, xref::XrefEntry};

use super::{
    PdfError,
    form::Form,
    objects::{deref, get, name, text},
};
use crate::{
    limits::Limits,
    report::{Declared, Name, SignatureKind},
    time::pdf_date,
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

/// A FieldMDP restriction: the fields a signature locks once it is applied
/// (ISO 32000-2 §12.7.5.5 `/Lock`, §12.8.2.4 FieldMDP transform parameters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lock {
    pub(crate) fields: FieldSel,
    /// `/P` of a `/Lock` dictionary (ISO 32000-2): a DocMDP level set by an approval signature.
    pub(crate) p: Option<u8>,
}

/// Which fields a [`Lock`] covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FieldSel {
    All,
    Include(Vec<String>),
    Exclude(Vec<String>),
}

impl FieldSel {
    /// Whether the field named `name` is under this selection.
    pub(crate) fn covers(&self, name: &str) -> bool {
        // A lock on a field covers its descendants (`a` covers `a.b`).
        let under = |f: &String| name == f || name.starts_with(&format!("{f}."));
        match self {
            Self::All => true,
            Self::Include(fields) => fields.iter().any(under),
            Self::Exclude(fields) => !fields.iter().any(under),
        }
    }
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
    let mut form = Form::walk(doc, limits);
    form.add_orphan_widgets(doc, limits);
    if let Some(limit) = form.limit {
        return Err(limit);
    }
    let signature_fields = form.terminals.iter().filter(|f| f.is_signature);
    if signature_fields.clone().count() > limits.max_signatures {
        return Err(PdfError::Limit {
            what: "signature fields",
            max: limits.max_signatures as u64,
        });
    }
    Ok(signature_fields
        .map(|field| Field {
            name: Name::Text(field.name.clone()),
            sig: field
                .value
                .zip(field.container)
                .and_then(|(v, container)| sig_dict(doc, v, container, field.dict)),
            orphan_widget: field.orphan_widget,
        })
        .collect())
}

/// Reads the DocMDP level and FieldMDP lock of a signature dictionary and its field.
pub(crate) fn mdp(
    doc: &Document,
    sig: &Dictionary,
    field: &Dictionary,
) -> (Option<u8>, Option<Lock>) {
    let mut docmdp = None;
    let mut lock = None;
    let refs = get(doc, sig, b"Reference").and_then(|r| r.as_array().ok());
    for reference in refs.into_iter().flatten() {
        let Some(reference) = deref(doc, reference).and_then(|r| r.as_dict().ok()) else {
            continue;
        };
        let params = get(doc, reference, b"TransformParams").and_then(|p| p.as_dict().ok());
        match name(doc, reference, b"TransformMethod") {
            Some(b"DocMDP") => {
                // §12.8.2.2.2: P defaults to 2; anything but 1..=3 is treated as the strictest.
                let p = params
                    .and_then(|p| get(doc, p, b"P"))
                    .and_then(|p| p.as_i64().ok());
                docmdp = Some(p.map_or(2, |p| {
                    u8::try_from(p)
                        .ok()
                        .filter(|p| (1..=3).contains(p))
                        .unwrap_or(1)
                }));
            }
            Some(b"FieldMDP") => lock = params.and_then(|p| read_lock(doc, p)).or(lock),
            _ => {}
        }
    }
    let field_lock = get(doc, field, b"Lock")
        .and_then(|l| l.as_dict().ok())
        .and_then(|l| read_lock(doc, l));
    (docmdp, field_lock.or(lock))
}

/// A `/Lock` or FieldMDP `/TransformParams` dictionary.
fn read_lock(doc: &Document, d: &Dictionary) -> Option<Lock> {
    let names = || -> Vec<String> {
        get(doc, d, b"Fields")
            .and_then(|f| f.as_array().ok())
            .into_iter()
            .flatten()
            .filter_map(|f| deref(doc, f)?.as_str().ok().map(|t| text(t).display()))
            .collect()
    };
    let fields = match name(doc, d, b"Action")? {
        b"All" => FieldSel::All,
        b"Include" => FieldSel::Include(names()),
        b"Exclude" => FieldSel::Exclude(names()),
        _ => return None,
    };
    let p = get(doc, d, b"P")
        .and_then(|p| p.as_i64().ok())
        .and_then(|p| u8::try_from(p).ok());
    Some(Lock { fields, p })
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

/// The parts of the signature dictionary `value` (the `/V` of `field`, held by indirect object
/// `container`) that verification uses.
fn sig_dict(
    doc: &Document,
    value: &Object,
    container: ObjectId,
    field: &Dictionary,
) -> Option<SigDict> {
    let (id, obj) = doc.dereference(value).ok()?;
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
    let (docmdp, lock) = mdp(doc, dict, field);
    Some(SigDict {
        docmdp,
        lock,
        offset: object_offset(doc, id),
        kind,
        type_name,
        subfilter,
        byte_range: byte_range(doc, dict),
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
                .map(ValidationTime::clamped),
        },
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_selections_cover_descendants() {
        let inc = FieldSel::Include(vec!["a".into()]);
        assert!(inc.covers("a") && inc.covers("a.b") && !inc.covers("ab"));
        let exc = FieldSel::Exclude(vec!["a".into()]);
        assert!(!exc.covers("a.b") && exc.covers("b"));
        assert!(FieldSel::All.covers("x"));
    }
}
