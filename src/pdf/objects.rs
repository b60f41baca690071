//! Reading PDF objects with lopdf: following references, the catalog and form dictionaries,
//! and text strings (ISO 32000-2 §7.3, §7.9.2.2).

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::{pki::x509::hex, report::Name};

/// The document catalog.
pub(crate) fn catalog(doc: &Document) -> Option<&Dictionary> {
    doc.catalog().ok()
}

/// The interactive form dictionary (`/AcroForm`).
pub(crate) fn acroform(doc: &Document) -> Option<&Dictionary> {
    catalog(doc)
        .and_then(|c| get(doc, c, b"AcroForm"))
        .and_then(|f| f.as_dict().ok())
}

/// Indirect object `id` as a dictionary (a stream's dictionary for a stream).
pub(crate) fn dict(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    match doc.get_object(id).ok()? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// `obj`, followed if it is a reference.
pub(crate) fn deref<'d>(doc: &'d Document, obj: &'d Object) -> Option<&'d Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

/// `d[key]`, followed if it is a reference.
pub(crate) fn get<'d>(doc: &'d Document, d: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    deref(doc, d.get(key).ok()?)
}

/// `d[key]` as a name, followed if it is a reference.
pub(crate) fn name<'d>(doc: &'d Document, d: &'d Dictionary, key: &[u8]) -> Option<&'d [u8]> {
    get(doc, d, key)?.as_name().ok()
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
