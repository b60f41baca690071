//! A borrowing ASN.1 BER/DER reader: just enough for CMS (RFC 5652) and RFC 3161 structures.
//!
//! Every element keeps its original bytes (`raw`), which is what signature checks need: the
//! signed attributes are verified as they were sent, never re-encoded. Indefinite lengths (BER,
//! common in CMS made by streaming encoders) are accepted for constructed elements, with nesting
//! bounded; lengths are checked against the remaining input before anything is sliced.

use std::borrow::Cow;

/// Universal and context tags used by the CMS code (single-octet tags only).
pub(crate) mod tag {
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const ENUMERATED: u8 = 0x0A;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const OCTET_STRING_CONSTRUCTED: u8 = 0x24;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
    /// `[0]` constructed (EXPLICIT or IMPLICIT over a constructed type).
    pub(crate) const CTX0: u8 = 0xA0;
    /// `[1]` constructed.
    pub(crate) const CTX1: u8 = 0xA1;
    /// `[2]` constructed.
    pub(crate) const CTX2: u8 = 0xA2;
    /// `[0]` primitive (IMPLICIT over a primitive type, e.g. SubjectKeyIdentifier).
    pub(crate) const CTX0_PRIMITIVE: u8 = 0x80;
}

/// A malformed encoding, with the absolute offset where reading stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("DER error at offset {offset}: {reason}")]
pub(crate) struct DerError {
    pub(crate) offset: usize,
    pub(crate) reason: &'static str,
}

/// One element: its tag, its content octets and all of its original bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    /// Content octets (for indefinite length: without the end-of-contents marker).
    pub(crate) content: &'a [u8],
    /// Header, content and (indefinite length) end-of-contents marker, as sent.
    pub(crate) raw: &'a [u8],
    /// Absolute offset of the content's first byte, for error messages.
    pub(crate) offset: usize,
    max_depth: usize,
}

/// Reads consecutive elements from a slice.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    max_depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, whose first byte is at absolute offset `base`.
    pub(crate) fn new(data: &'a [u8], base: usize, max_depth: usize) -> Self {
        Self {
            data,
            pos: 0,
            base,
            max_depth,
        }
    }

    /// True when every element has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    /// The tag of the next element, without consuming it.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads the next element, whatever its tag.
    pub(crate) fn any(&mut self) -> Result<Tlv<'a>, DerError> {
        let (tlv, len) = read_tlv(self.data, self.pos, self.base, self.max_depth)?;
        self.pos += len;
        Ok(tlv)
    }

    /// Reads the next element and checks its tag.
    pub(crate) fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, DerError> {
        match self.peek_tag() {
            Some(t) if t == tag => self.any(),
            _ => Err(self.error(what)),
        }
    }

    /// Reads the next element if it has this tag.
    pub(crate) fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// An error at the current position.
    pub(crate) fn error(&self, reason: &'static str) -> DerError {
        DerError {
            offset: self.base + self.pos,
            reason,
        }
    }
}

impl<'a> Tlv<'a> {
    /// A reader over this element's content (its children, if constructed).
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader::new(self.content, self.offset, self.max_depth.saturating_sub(1))
    }

    /// The content of an OCTET STRING, joining BER constructed segments if needed.
    pub(crate) fn octets(&self) -> Result<Cow<'a, [u8]>, DerError> {
        match self.tag {
            tag::OCTET_STRING => Ok(Cow::Borrowed(self.content)),
            tag::OCTET_STRING_CONSTRUCTED => {
                let mut joined = Vec::with_capacity(self.content.len());
                let mut r = self.reader();
                while !r.is_empty() {
                    joined.extend_from_slice(&r.any()?.octets()?);
                }
                Ok(Cow::Owned(joined))
            }
            _ => Err(self.error("expected OCTET STRING")),
        }
    }

    /// A small non-negative INTEGER (versions, lengths); `None` when negative or too large.
    pub(crate) fn small_uint(&self) -> Option<u64> {
        if self.tag != tag::INTEGER || self.content.is_empty() || self.content[0] & 0x80 != 0 {
            return None;
        }
        let digits = match self.content {
            [0, rest @ ..] if !rest.is_empty() => rest,
            all => all,
        };
        if digits.len() > 8 {
            return None;
        }
        Some(
            digits
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
        )
    }

    /// An error located at this element.
    pub(crate) fn error(&self, reason: &'static str) -> DerError {
        DerError {
            offset: self.offset,
            reason,
        }
    }
}

/// Reads one element starting at `pos`; returns it and the number of bytes it occupies.
fn read_tlv(
    data: &[u8],
    pos: usize,
    base: usize,
    max_depth: usize,
) -> Result<(Tlv<'_>, usize), DerError> {
    let err = |at: usize, reason| DerError {
        offset: base + at,
        reason,
    };
    let rest = data.get(pos..).unwrap_or_default();
    let (&tag, after_tag) = rest
        .split_first()
        .ok_or_else(|| err(pos, "unexpected end"))?;
    if tag & 0x1F == 0x1F {
        return Err(err(pos, "multi-octet tags are not supported"));
    }
    let (&first, after_len) = after_tag
        .split_first()
        .ok_or_else(|| err(pos + 1, "missing length"))?;
    let (len, header) = match first {
        0x00..=0x7F => (Some(usize::from(first)), 2),
        0x80 => (None, 2),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let bytes = after_len
                .get(..n)
                .ok_or_else(|| err(pos + 2, "truncated length"))?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (Some(len), 2 + n)
        }
        _ => return Err(err(pos + 1, "length field too large")),
    };
    let body = rest.get(header..).unwrap_or_default();
    let content_offset = base + pos + header;
    match len {
        Some(len) => {
            let content = body
                .get(..len)
                .ok_or_else(|| err(pos + 1, "length exceeds the remaining input"))?;
            let total = header + len;
            Ok((
                Tlv {
                    tag,
                    content,
                    raw: &rest[..total],
                    offset: content_offset,
                    max_depth,
                },
                total,
            ))
        }
        None => {
            if tag & 0x20 == 0 {
                return Err(err(pos + 1, "indefinite length on a primitive element"));
            }
            if max_depth == 0 {
                return Err(err(pos, "nesting too deep"));
            }
            // Children until the end-of-contents marker (00 00).
            let mut at = 0;
            loop {
                match body.get(at..at + 2) {
                    Some([0, 0]) => break,
                    Some(_) => {
                        let (_, used) = read_tlv(body, at, content_offset, max_depth - 1)?;
                        at += used;
                    }
                    None => return Err(err(pos + header + at, "missing end-of-contents")),
                }
            }
            let total = header + at + 2;
            Ok((
                Tlv {
                    tag,
                    content: &body[..at],
                    raw: &rest[..total],
                    offset: content_offset,
                    max_depth,
                },
                total,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite() {
        // SEQUENCE (indefinite) { INTEGER 5, OCTET STRING (constructed, indefinite) {"ab","c"} }
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c',
            0x00, 0x00, 0x00, 0x00,
        ];
        let mut r = Reader::new(&ber, 0, 8);
        let seq = r.expect(tag::SEQUENCE, "seq").unwrap();
        assert!(r.is_empty());
        assert_eq!(seq.raw.len(), ber.len());
        let mut inner = seq.reader();
        assert_eq!(inner.any().unwrap().small_uint(), Some(5));
        assert_eq!(&*inner.any().unwrap().octets().unwrap(), b"abc");
        assert!(inner.is_empty());
    }

    #[test]
    fn hostile_lengths_and_depth() {
        let huge = [0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        assert_eq!(
            Reader::new(&huge, 10, 8).any().unwrap_err().reason,
            "length exceeds the remaining input"
        );
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 100).flatten().collect();
        assert!(Reader::new(&deep, 0, 16).any().is_err());
        assert!(Reader::new(&[0x04, 0x80, 0, 0], 0, 8).any().is_err());
        assert!(Reader::new(&[0x1F, 0x01, 0x00], 0, 8).any().is_err());
        assert!(Reader::new(&[], 0, 8).any().is_err());
    }
}
