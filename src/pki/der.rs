//! A borrowing ASN.1 BER/DER reader: just enough for CMS (RFC 5652) and RFC 3161 structures.
//!
//! Every element keeps its original bytes (`raw`), which is what signature checks need: the
//! signed attributes are verified as they were sent, never re-encoded. Indefinite lengths (BER,
//! common in CMS made by streaming encoders) are accepted for constructed elements. Nesting is
//! bounded in every length form (a constructed element is read only with depth left) and
//! nothing recurses, so a hostile blob costs neither stack nor more than one pass; lengths are
//! checked against the remaining input before anything is sliced.

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
    /// Constructed levels that may still be opened below this element.
    depth: usize,
}

/// Reads consecutive elements from a slice.
///
/// Nesting is bounded whatever the length form: a reader carries the number of constructed
/// levels that may still be opened, reading a constructed element takes one, and a reader over
/// its children gets what is left. Nothing here recurses; the depth bounds what callers that
/// descend element by element (each with its own stack frame) can be made to do.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, whose first byte is at absolute offset `base`, that opens at most
    /// `max_depth` nested constructed elements (the ones it reads count as the first level).
    pub(crate) fn new(data: &'a [u8], base: usize, max_depth: usize) -> Self {
        Self {
            data,
            pos: 0,
            base,
            depth: max_depth,
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

    /// Reads the next element, whatever its tag; a constructed one only with depth left.
    pub(crate) fn any(&mut self) -> Result<Tlv<'a>, DerError> {
        let (tlv, len) = read_tlv(self.data, self.pos, self.base, self.depth)?;
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
    /// A reader over this element's content (its children, if constructed), with the depth
    /// this element left.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader::new(self.content, self.offset, self.depth)
    }

    /// The content of an OCTET STRING, joining BER constructed segments if needed
    /// (X.690 §8.7.3: the segments are OCTET STRINGs, themselves possibly constructed).
    ///
    /// Iterative: the segments are walked with an explicit stack, which the reader's depth
    /// bounds, whatever the length form.
    pub(crate) fn octets(&self) -> Result<Cow<'a, [u8]>, DerError> {
        match self.tag {
            tag::OCTET_STRING => Ok(Cow::Borrowed(self.content)),
            tag::OCTET_STRING_CONSTRUCTED => {
                let mut joined = Vec::with_capacity(self.content.len());
                let mut open = vec![self.reader()];
                while let Some(r) = open.last_mut() {
                    if r.is_empty() {
                        open.pop();
                        continue;
                    }
                    let segment = r.any()?;
                    match segment.tag {
                        tag::OCTET_STRING => joined.extend_from_slice(segment.content),
                        tag::OCTET_STRING_CONSTRUCTED => open.push(segment.reader()),
                        _ => return Err(segment.error("expected OCTET STRING segment")),
                    }
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

/// The reason given when a constructed element is met with no depth left.
pub(crate) const TOO_DEEP: &str = "nesting deeper than the limit";

/// A tag and length: `(tag, length or None when indefinite, header size)`.
fn header(data: &[u8], pos: usize, base: usize) -> Result<(u8, Option<usize>, usize), DerError> {
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
    match first {
        0x00..=0x7F => Ok((tag, Some(usize::from(first)), 2)),
        0x80 if tag & 0x20 == 0 => Err(err(pos + 1, "indefinite length on a primitive element")),
        0x80 => Ok((tag, None, 2)),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let bytes = after_len
                .get(..n)
                .ok_or_else(|| err(pos + 2, "truncated length"))?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            Ok((tag, Some(len), 2 + n))
        }
        _ => Err(err(pos + 1, "length field too large")),
    }
}

/// Reads one element starting at `pos` with `depth` constructed levels left; returns it and
/// the number of bytes it occupies.
fn read_tlv(
    data: &[u8],
    pos: usize,
    base: usize,
    depth: usize,
) -> Result<(Tlv<'_>, usize), DerError> {
    let (tag, len, header) = header(data, pos, base)?;
    if tag & 0x20 != 0 && depth == 0 {
        return Err(DerError {
            offset: base + pos,
            reason: TOO_DEEP,
        });
    }
    let rest = &data[pos..];
    let body = &rest[header..];
    let content_offset = base + pos + header;
    let depth = depth.saturating_sub(1);
    let (content_len, total) = match len {
        Some(len) => {
            if len > body.len() {
                return Err(DerError {
                    offset: base + pos + 1,
                    reason: "length exceeds the remaining input",
                });
            }
            (len, header + len)
        }
        None => {
            let len = indefinite_len(body, content_offset, depth)?;
            (len, header + len + 2)
        }
    };
    Ok((
        Tlv {
            tag,
            content: &body[..content_len],
            raw: &rest[..total],
            offset: content_offset,
            depth,
        },
        total,
    ))
}

/// The length of indefinite-length content `body` (up to its end-of-contents marker), whose
/// children may open `depth` constructed levels. Iterative: nested indefinite elements are
/// counted, definite ones skipped.
fn indefinite_len(body: &[u8], base: usize, depth: usize) -> Result<usize, DerError> {
    let mut open = 0usize;
    let mut at = 0;
    loop {
        match body.get(at..at + 2) {
            Some([0, 0]) if open == 0 => return Ok(at),
            Some([0, 0]) => {
                open -= 1;
                at += 2;
                continue;
            }
            Some(_) => {}
            None => {
                return Err(DerError {
                    offset: base + at,
                    reason: "missing end-of-contents",
                });
            }
        }
        let (tag, len, header) = header(body, at, base)?;
        if tag & 0x20 != 0 && open >= depth {
            return Err(DerError {
                offset: base + at,
                reason: TOO_DEEP,
            });
        }
        match len {
            Some(len) if len > body.len() - at - header => {
                return Err(DerError {
                    offset: base + at + 1,
                    reason: "length exceeds the remaining input",
                });
            }
            Some(len) => at += header + len,
            None => {
                open += 1;
                at += header;
            }
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

    /// A constructed OCTET STRING nested `levels` deep with definite lengths around "x".
    fn nested_definite(levels: usize) -> Vec<u8> {
        let mut der = vec![tag::OCTET_STRING, 1, b'x'];
        for _ in 0..levels {
            let len = der.len();
            let mut outer = vec![tag::OCTET_STRING_CONSTRUCTED];
            if len < 0x80 {
                outer.push(len as u8);
            } else {
                let bytes = (len as u32).to_be_bytes();
                let skip = bytes.iter().take_while(|b| **b == 0).count();
                outer.push(0x80 | (4 - skip) as u8);
                outer.extend_from_slice(&bytes[skip..]);
            }
            outer.extend_from_slice(&der);
            der = outer;
        }
        der
    }

    #[test]
    fn depth_applies_to_definite_lengths() {
        // Within the depth: joined.
        let ok = nested_definite(7);
        let tlv = Reader::new(&ok, 0, 8).any().unwrap();
        assert_eq!(&*tlv.octets().unwrap(), b"x");
        // One level too many, read element by element or through octets().
        let deep = nested_definite(9);
        let tlv = Reader::new(&deep, 0, 8).any().unwrap();
        assert_eq!(tlv.octets().unwrap_err().reason, TOO_DEEP);
        let seq = [0x30, 0x04, 0x30, 0x02, 0x30, 0x00];
        let outer = Reader::new(&seq, 0, 2).any().unwrap();
        let inner = outer.reader().any().unwrap();
        assert_eq!(inner.reader().any().unwrap_err().reason, TOO_DEEP);
        // A primitive element needs no depth.
        assert!(Reader::new(&[0x02, 0x01, 0x05], 0, 0).any().is_ok());
        assert_eq!(Reader::new(&seq, 0, 0).any().unwrap_err().reason, TOO_DEEP);
    }

    #[test]
    fn the_issue_case_is_refused_without_recursion() {
        // 250 000 levels (issue 12 §1): refused at the limit, on a small stack.
        let deep = nested_definite(250_000);
        let done = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let tlv = Reader::new(&deep, 0, 32).any().unwrap();
                tlv.octets().unwrap_err().reason
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(done, TOO_DEEP);
    }

    #[test]
    fn indefinite_lengths_are_scanned_iteratively() {
        // Indefinite inside definite inside indefinite: the end is found, depth counted.
        let ber = [
            0x30, 0x80, 0x30, 0x07, 0x30, 0x80, 0x02, 0x01, 0x07, 0x00, 0x00, 0x00, 0x00,
        ];
        let tlv = Reader::new(&ber, 0, 3).any().unwrap();
        assert_eq!(tlv.raw.len(), ber.len());
        let mid = tlv.reader().any().unwrap();
        let low = mid.reader().any().unwrap();
        assert_eq!(low.reader().any().unwrap().small_uint(), Some(7));
        // Depth 1 is not enough to read the whole indefinite element's nesting ...
        let nested: Vec<u8> = [[0x30u8, 0x80]; 3]
            .concat()
            .into_iter()
            .chain([0u8; 6])
            .collect();
        assert_eq!(
            Reader::new(&nested, 0, 2).any().unwrap_err().reason,
            TOO_DEEP
        );
        assert!(Reader::new(&nested, 0, 3).any().is_ok());
        // ... and a missing marker or a child running past the end are errors.
        assert!(Reader::new(&[0x30, 0x80, 0x02, 0x01], 0, 4).any().is_err());
        assert!(
            Reader::new(&[0x30, 0x80, 0x04, 0x05, 0, 0], 0, 4)
                .any()
                .is_err()
        );
        // A segment that is not an OCTET STRING.
        let bad = [0x24, 0x03, 0x02, 0x01, 0x00];
        assert!(Reader::new(&bad, 0, 4).any().unwrap().octets().is_err());
    }
}
