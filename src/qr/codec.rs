//! Text ⇄ COSE_Sign1: context prefix, Base45 (RFC 9285), zlib (bounded), CBOR tag 18.

use coset::{CborSerializable as _, CoseSign1, TaggedCborSerializable as _};
use flate2::{Compression, Decompress, FlushDecompress, Status, write::ZlibEncoder};

/// The payload formats the verifier accepts, by context prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Prefix {
    /// `VN1:`: a docseal result certificate (schema in the `qr` module docs).
    #[serde(rename = "VN1")]
    Vn1,
    /// `HC1:`: an EU Digital COVID Certificate (HCERT 1.3).
    #[serde(rename = "HC1")]
    Hc1,
}

impl Prefix {
    pub(crate) fn text(self) -> &'static str {
        match self {
            Self::Vn1 => "VN1:",
            Self::Hc1 => "HC1:",
        }
    }
}

/// Longest text a QR code can hold: 4296 alphanumeric characters (version 40 at level L,
/// ISO/IEC 18004 Table 7). Longer "payloads" did not come from a QR code.
pub(crate) const MAX_TEXT: usize = 4296;

/// Splits the context prefix off a payload text.
pub(crate) fn prefix(text: &str) -> Result<(Prefix, &str), String> {
    if text.len() > MAX_TEXT {
        return Err(format!(
            "the text is {} bytes long, more than any QR code holds ({MAX_TEXT})",
            text.len()
        ));
    }
    for p in [Prefix::Vn1, Prefix::Hc1] {
        if let Some(rest) = text.strip_prefix(p.text()) {
            return Ok((p, rest));
        }
    }
    let shown: String = text.chars().take(8).collect();
    Err(format!("the text starts with {shown:?}, not VN1: or HC1:"))
}

/// Base45 decoding (RFC 9285).
pub(crate) fn base45(body: &str) -> Result<Vec<u8>, String> {
    base45::decode(body).map_err(|e| format!("not Base45: {e:?}"))
}

/// zlib decompression (RFC 1950), refusing output larger than `max` bytes (a zlib bomb).
/// HCERT allows uncompressed COSE as well (HCERT 1.3 §3.2.2): data that does not start with a
/// zlib header is passed through.
///
/// Strict, as the DCC test vectors' "compression broken" cases expect: the stream must end
/// (a truncated stream is an error, not a short output), its Adler-32 must match (RFC 1950
/// §2.2), and nothing may follow it.
pub(crate) fn inflate(data: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let zlib_header = data.len() >= 2
        && data[0] & 0x0F == 8
        && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
    if !zlib_header {
        return Ok(data.to_vec());
    }
    let mut z = Decompress::new(true);
    // One byte more than allowed: a stream that fills it inflates beyond the limit.
    let mut out = Vec::with_capacity(max + 1);
    let consumed = |z: &Decompress| usize::try_from(z.total_in()).unwrap_or(usize::MAX);
    loop {
        let before = (consumed(&z), out.len());
        let rest = data.get(before.0..).unwrap_or_default();
        let status = z
            .decompress_vec(rest, &mut out, FlushDecompress::Finish)
            .map_err(|e| format!("zlib data is corrupt: {e}"))?;
        if out.len() > max {
            return Err(format!("zlib data inflates beyond the {max}-byte limit"));
        }
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError if (consumed(&z), out.len()) != before => {}
            Status::Ok | Status::BufError => {
                return Err(format!(
                    "the zlib stream is truncated: it does not end within its {} bytes",
                    data.len()
                ));
            }
        }
    }
    let end = consumed(&z);
    if end != data.len() {
        return Err(format!(
            "{} bytes follow the end of the zlib stream (at byte {end})",
            data.len() - end
        ));
    }
    Ok(out)
}

/// Deepest CBOR nesting (arrays, maps, tags) accepted before ciborium reads anything.
/// ciborium recurses once per level and stops only at 256, which takes more than 1 MiB of
/// stack (issue 12 §1); a COSE_Sign1 with CWT claims nests 3 levels, an EU DCC payload 6.
pub(crate) const MAX_CBOR_DEPTH: usize = 16;

/// Checks, without recursion, that the CBOR items in `data` nest at most `max` levels deep
/// (RFC 8949 §3: a tag counts as a level, as ciborium reads it). Malformed data passes: the
/// decoder reports it.
pub(crate) fn cbor_nesting(data: &[u8], max: usize) -> Result<(), String> {
    // Containers open around the next item: items left, `None` when of indefinite length.
    let mut open: Vec<Option<u64>> = Vec::new();
    let mut at = 0;
    while let Some(&initial) = data.get(at) {
        at += 1;
        if initial == 0xFF {
            // A break closes the innermost indefinite container.
            if !matches!(open.pop(), Some(None)) {
                return Ok(());
            }
        } else {
            if let Some(Some(left)) = open.last_mut() {
                *left -= 1;
            }
            let (major, info) = (initial >> 5, initial & 0x1F);
            let argument = match info {
                0..=23 => Some(u64::from(info)),
                24..=27 => {
                    let n = 1usize << (info - 24);
                    let Some(bytes) = data.get(at..at + n) else {
                        return Ok(());
                    };
                    at += n;
                    Some(bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)))
                }
                31 => None,
                _ => return Ok(()),
            };
            match (major, argument) {
                (2 | 3, Some(len)) => {
                    at = at.saturating_add(usize::try_from(len).unwrap_or(usize::MAX));
                }
                // Indefinite strings (chunks until a break), arrays, maps, tags: one level.
                (2 | 3, None) | (4, None) | (5, None) => open.push(None),
                (4, Some(n)) => open.push(Some(n)),
                (5, Some(n)) => open.push(Some(n.saturating_mul(2))),
                (6, _) => open.push(Some(1)),
                _ => {}
            }
            if open.len() > max {
                return Err(format!("CBOR nested deeper than {max} levels"));
            }
        }
        while open.last() == Some(&Some(0)) {
            open.pop();
        }
    }
    Ok(())
}

/// A COSE_Sign1, tagged (18) or untagged.
pub(crate) fn cose(data: &[u8]) -> Result<CoseSign1, String> {
    cbor_nesting(data, MAX_CBOR_DEPTH).map_err(|e| format!("not a COSE_Sign1: {e}"))?;
    CoseSign1::from_tagged_slice(data)
        .or_else(|_| CoseSign1::from_slice(data))
        .map_err(|e| format!("not a COSE_Sign1: {e:?}"))
}

/// The text of a signed COSE_Sign1: prefix + Base45(zlib(tagged CBOR)).
pub(crate) fn encode(prefix: Prefix, sign1: CoseSign1) -> Result<String, String> {
    use std::io::Write as _;
    let cbor = sign1
        .to_tagged_vec()
        .map_err(|e| format!("CBOR encoding: {e:?}"))?;
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(&cbor).map_err(|e| e.to_string())?;
    let compressed = z.finish().map_err(|e| e.to_string())?;
    Ok(format!("{}{}", prefix.text(), base45::encode(compressed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_any_qr_code_is_refused() {
        let long = format!("VN1:{}", "0".repeat(MAX_TEXT));
        assert!(
            prefix(&long)
                .unwrap_err()
                .contains("more than any QR code holds")
        );
        assert!(prefix(&long[..MAX_TEXT]).is_ok());
    }

    #[test]
    fn prefixes_and_bounds() {
        assert_eq!(prefix("VN1:ABC").unwrap(), (Prefix::Vn1, "ABC"));
        assert!(prefix("VN2:ABC").is_err());
        assert_eq!(base45("BB8").unwrap(), b"AB"); // RFC 9285 §4.3
        assert!(base45("GGW").is_err()); // 65536 does not fit in two bytes
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        std::io::Write::write_all(&mut z, &vec![0u8; 1 << 20]).unwrap();
        let bomb = z.finish().unwrap();
        assert!(inflate(&bomb, 1024).unwrap_err().contains("limit"));
        assert_eq!(inflate(&bomb, 1 << 20).unwrap().len(), 1 << 20);
        assert!(inflate(&bomb, (1 << 20) - 1).unwrap_err().contains("limit"));
    }

    /// The DCC vectors' "compression broken" cases (RFC 1950 §2.2): truncation, a wrong
    /// Adler-32 and bytes after the stream must all fail; uncompressed data passes through.
    #[test]
    fn broken_zlib_streams_are_refused() {
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        std::io::Write::write_all(&mut z, b"a COSE_Sign1 would be here, a few hundred bytes")
            .unwrap();
        let good = z.finish().unwrap();
        assert_eq!(inflate(&good, 1024).unwrap().len(), 47);
        for cut in [good.len() - 1, good.len() - 4, good.len() - 5, 3] {
            let e = inflate(&good[..cut], 1024).unwrap_err();
            assert!(e.contains("truncated"), "{cut}: {e}");
        }
        let mut bad_adler = good.clone();
        *bad_adler.last_mut().unwrap() ^= 1;
        assert!(inflate(&bad_adler, 1024).unwrap_err().contains("corrupt"));
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"garbage");
        let e = inflate(&trailing, 1024).unwrap_err();
        assert!(e.contains("7 bytes follow"), "{e}");
        // Uncompressed CBOR (tag 18 = 0xD2) is not a zlib header: passed through.
        assert_eq!(inflate(&[0xD2, 0x84], 1024).unwrap(), [0xD2, 0x84]);
    }

    #[test]
    fn cbor_nesting_is_bounded_without_recursion() {
        // [[[0]]]: 3 levels; {1: [h'', [_ 1]]} with an indefinite array: 3 levels.
        assert!(cbor_nesting(&[0x81, 0x81, 0x81, 0x00], 3).is_ok());
        assert!(cbor_nesting(&[0x81, 0x81, 0x81, 0x00], 2).is_err());
        let mixed = [0xA1, 0x01, 0x82, 0x40, 0x9F, 0x01, 0xFF];
        assert!(cbor_nesting(&mixed, 3).is_ok());
        assert!(cbor_nesting(&mixed, 2).is_err());
        // Siblings do not add up; a tag is a level.
        assert!(cbor_nesting(&[0x83, 0x81, 0x00, 0x81, 0x00, 0xD2, 0x00], 2).is_ok());
        assert!(cbor_nesting(&[0xD2, 0xD2, 0x00], 1).is_err());
        let deep = vec![0x81; 1_000_000];
        assert!(cbor_nesting(&deep, MAX_CBOR_DEPTH).is_err());
    }
}
