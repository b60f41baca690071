//! Text ⇄ COSE_Sign1: context prefix, Base45 (RFC 9285), zlib (bounded), CBOR tag 18.

use std::io::Read as _;

use coset::{CborSerializable as _, CoseSign1, TaggedCborSerializable as _};
use flate2::{Compression, read::ZlibDecoder, write::ZlibEncoder};

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

/// zlib decompression, refusing output larger than `max` bytes (a zlib bomb). HCERT allows
/// uncompressed COSE as well: data that does not start with a zlib header is passed through.
pub(crate) fn inflate(data: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let zlib_header = data.len() >= 2
        && data[0] & 0x0F == 8
        && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
    if !zlib_header {
        return Ok(data.to_vec());
    }
    let mut out = Vec::new();
    ZlibDecoder::new(data)
        .take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("zlib data is corrupt: {e}"))?;
    if out.len() > max {
        return Err(format!("zlib data inflates beyond the {max}-byte limit"));
    }
    Ok(out)
}

/// A COSE_Sign1, tagged (18) or untagged.
pub(crate) fn cose(data: &[u8]) -> Result<CoseSign1, String> {
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
    }
}
