//! Reading a sampled QR module grid: format and version information, data codewords,
//! Reed–Solomon correction and the segments of the bit stream (ISO/IEC 18004:2015 §7).
//!
//! rqrr's decoder does the same, but computes each Reed–Solomon syndrome with a generic
//! square-and-multiply power per term: one read of a version 40 code took about 30 ms, and
//! every wrong grid the locator tried (a neighbouring version, the other sampling) paid that
//! before failing, 40 % of the QR search time on ../shared/qr-photos. Here syndromes are
//! Horner sums over log/antilog tables. The text is what rqrr gives: the bytes of every
//! numeric, alphanumeric, byte and kanji segment in order, ECI designators skipped, and UTF-8
//! required; like rqrr, a grid that does not read is also read transposed (mirrored codes).

/// A sampled module grid: row-major, `size` × `size`, `true` dark.
pub(crate) struct Modules {
    /// Modules per side (17 + 4 × version).
    pub(crate) size: usize,
    /// Row-major module colours.
    pub(crate) dark: Vec<bool>,
}

/// Why a grid did not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SymbolError {
    #[error("{size} modules is not a QR code size")]
    Size { size: usize },
    #[error("format information unreadable")]
    Format,
    #[error("version information says {read}, the grid has {size} modules")]
    Version { read: usize, size: usize },
    #[error("block {block} of {blocks} has too many errors")]
    Ecc { block: usize, blocks: usize },
    #[error("bit stream: {0}")]
    Stream(&'static str),
    #[error("text is not UTF-8")]
    Utf8,
}

/// The text of the code in `m`, read as it is and, failing that, transposed; the first
/// reading's error when neither reads.
pub(crate) fn read(m: &Modules) -> Result<String, SymbolError> {
    read_once(m).or_else(|first| {
        let n = m.size;
        let transposed = Modules {
            size: n,
            dark: (0..n * n).map(|i| m.dark[(i % n) * n + i / n]).collect(),
        };
        read_once(&transposed).map_err(|_| first)
    })
}

/// The version that the version information blocks of a grid of `m.size` modules name (either
/// copy, at most 3 bits wrong of 18), when the grid's version is 7 or more.
pub(crate) fn version_info(m: &Modules) -> Option<usize> {
    let n = m.size;
    if n < 45 {
        return None;
    }
    let (mut top_right, mut bottom_left) = (0u32, 0u32);
    for j in (0..6).rev() {
        for i in (n - 11..n - 8).rev() {
            top_right = top_right << 1 | u32::from(m.get(i, j));
            bottom_left = bottom_left << 1 | u32::from(m.get(j, i));
        }
    }
    (7..=40)
        .map(|v| {
            let code = version_code(v as u32);
            let d = (code ^ top_right)
                .count_ones()
                .min((code ^ bottom_left).count_ones());
            (d, v)
        })
        .min()
        .and_then(|(d, v)| (d <= 3).then_some(v))
}

impl Modules {
    fn get(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.size + x]
    }
}

fn read_once(m: &Modules) -> Result<String, SymbolError> {
    let n = m.size;
    if !(21..=177).contains(&n) || !(n - 17).is_multiple_of(4) {
        return Err(SymbolError::Size { size: n });
    }
    let version = (n - 17) / 4;
    if version >= 7
        && let Some(read) = version_info(m)
        && read != version
    {
        return Err(SymbolError::Version { read, size: n });
    }
    let (level, mask) = format(m).ok_or(SymbolError::Format)?;
    let function = function_modules(version);
    let mut raw = Vec::with_capacity(n * n / 8);
    let (mut byte, mut bits) = (0u8, 0);
    let mut up = true;
    let mut x = n - 1;
    while x > 0 {
        if x == 6 {
            x -= 1;
        }
        for count in 0..n {
            let y = if up { n - 1 - count } else { count };
            for col in [x, x - 1] {
                if function[y * n + col] {
                    continue;
                }
                byte = byte << 1 | u8::from(m.get(col, y) != masked(mask, y, col));
                bits += 1;
                if bits == 8 {
                    raw.push(byte);
                    (byte, bits) = (0, 0);
                }
            }
        }
        up = !up;
        x = x.saturating_sub(2);
    }
    let data = correct(&raw, version, level)?;
    segments(&data, version)
}

/// Error correction level and mask pattern from the format information (§7.9.1): either copy,
/// at most 3 bits wrong of 15.
fn format(m: &Modules) -> Option<(Level, u8)> {
    let n = m.size;
    let mut first = 0u32;
    for x in 0..6 {
        first = first << 1 | u32::from(m.get(x, 8));
    }
    for (x, y) in [(7, 8), (8, 8), (8, 7)] {
        first = first << 1 | u32::from(m.get(x, y));
    }
    for y in (0..6).rev() {
        first = first << 1 | u32::from(m.get(8, y));
    }
    let mut second = 0u32;
    for y in (n - 7..n).rev() {
        second = second << 1 | u32::from(m.get(8, y));
    }
    for x in n - 8..n {
        second = second << 1 | u32::from(m.get(x, 8));
    }
    let (d, data) = (0..32u32)
        .map(|data| {
            let code = format_code(data);
            let d = (code ^ first)
                .count_ones()
                .min((code ^ second).count_ones());
            (d, data)
        })
        .min()?;
    if d > 3 {
        return None;
    }
    let level = match data >> 3 {
        0b01 => Level::L,
        0b00 => Level::M,
        0b11 => Level::Q,
        _ => Level::H,
    };
    Some((level, (data & 7) as u8))
}

/// The 15-bit format code of 5 data bits: BCH(15, 5), masked with 101010000010010 (§7.9.1).
fn format_code(data: u32) -> u32 {
    (data << 10 | bch_remainder(data << 10, 0x537, 10)) ^ 0x5412
}

/// The 18-bit version code: BCH(18, 6) (§7.10).
fn version_code(version: u32) -> u32 {
    version << 12 | bch_remainder(version << 12, 0x1F25, 12)
}

fn bch_remainder(mut value: u32, generator: u32, degree: u32) -> u32 {
    for bit in (degree..32 - generator.leading_zeros() + degree).rev() {
        if value >> bit & 1 == 1 {
            value ^= generator << (bit - degree);
        }
    }
    value
}

/// Whether the data mask inverts the module at row `i`, column `j` (§7.8.2, Table 10).
fn masked(mask: u8, i: usize, j: usize) -> bool {
    match mask {
        0 => (i + j).is_multiple_of(2),
        1 => i.is_multiple_of(2),
        2 => j.is_multiple_of(3),
        3 => (i + j).is_multiple_of(3),
        4 => (i / 2 + j / 3).is_multiple_of(2),
        5 => (i * j) % 2 + (i * j) % 3 == 0,
        6 => ((i * j) % 2 + (i * j) % 3).is_multiple_of(2),
        _ => ((i + j) % 2 + (i * j) % 3).is_multiple_of(2),
    }
}

/// Modules that carry no data: finder patterns with their separators and the format
/// information, timing patterns, alignment patterns, version information (§6.3).
fn function_modules(version: usize) -> Vec<bool> {
    let n = 17 + 4 * version;
    let mut f = vec![false; n * n];
    let mut fill = |x0: usize, y0: usize, w: usize, h: usize| {
        for y in y0..y0 + h {
            f[y * n + x0..y * n + x0 + w].fill(true);
        }
    };
    fill(0, 0, 9, 9);
    fill(n - 8, 0, 8, 9);
    fill(0, n - 8, 9, 8);
    fill(6, 9, 1, n - 17);
    fill(9, 6, n - 17, 1);
    let centres = super::locate::alignment_centres(n);
    let last = centres.len().saturating_sub(1);
    for (j, &cy) in centres.iter().enumerate() {
        for (i, &cx) in centres.iter().enumerate() {
            // The three under the finder patterns.
            if (i == 0 && (j == 0 || j == last)) || (i == last && j == 0) {
                continue;
            }
            fill(cx - 2, cy - 2, 5, 5);
        }
    }
    if version >= 7 {
        fill(n - 11, 0, 3, 6);
        fill(0, n - 11, 6, 3);
    }
    f
}

#[derive(Clone, Copy)]
enum Level {
    L,
    M,
    Q,
    H,
}

/// Error correction codewords per block, by version (index 1–40) and level L, M, Q, H
/// (ISO/IEC 18004:2015 Table 9).
const EC_PER_BLOCK: [[u8; 41]; 4] = [
    [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
        30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30,
        30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Error correction blocks, by version and level (ISO/IEC 18004:2015 Table 9).
const BLOCKS: [[u8; 41]; 4] = [
    [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
        23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32,
        35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// Error correction codewords kept for misdecode protection, not correction (§7.5.1, Table 9
/// note: p = 3, 2, 1, 1 for version 1 L, M, Q, H; 2 for 2-L; 1 for 3-L).
fn protection(version: usize, level: Level) -> usize {
    match (version, level) {
        (1, Level::L) => 3,
        (1, Level::M) | (2, Level::L) => 2,
        (1, _) | (3, Level::L) => 1,
        _ => 0,
    }
}

/// The data codewords, blocks de-interleaved (§7.6) and corrected.
fn correct(raw: &[u8], version: usize, level: Level) -> Result<Vec<u8>, SymbolError> {
    let ec = usize::from(EC_PER_BLOCK[level as usize][version]);
    let blocks = usize::from(BLOCKS[level as usize][version]);
    let total = raw.len();
    // Short blocks first; a long block has one more data codeword (§7.6).
    let short_data = (total - blocks * ec) / blocks;
    let long = (total - blocks * ec) % blocks;
    let short = blocks - long;
    let max_errors = (ec - protection(version, level)) / 2;
    let mut data = Vec::with_capacity(total - blocks * ec);
    let mut block = Vec::with_capacity(short_data + 1 + ec);
    for b in 0..blocks {
        block.clear();
        block.extend((0..short_data).map(|i| raw[i * blocks + b]));
        if b >= short {
            block.push(raw[short_data * blocks + b - short]);
        }
        let ec_start = short_data * blocks + long;
        block.extend((0..ec).map(|i| raw[ec_start + i * blocks + b]));
        reed_solomon(&mut block, ec, max_errors)
            .map_err(|()| SymbolError::Ecc { block: b, blocks })?;
        data.extend_from_slice(&block[..block.len() - ec]);
    }
    Ok(data)
}

/// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1: antilogarithms (doubled, so that a
/// sum of two logarithms needs no reduction) and logarithms.
struct Field {
    exp: [u8; 512],
    log: [u8; 256],
}

static GF: Field = {
    let mut exp = [0u8; 512];
    let mut log = [0u8; 256];
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 255 {
        exp[i] = x as u8;
        log[x as usize] = i as u8;
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= 0x11D;
        }
        i += 1;
    }
    while i < 512 {
        exp[i] = exp[i - 255];
        i += 1;
    }
    Field { exp, log }
};

fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        GF.exp[usize::from(GF.log[usize::from(a)]) + usize::from(GF.log[usize::from(b)])]
    }
}

fn div(a: u8, b: u8) -> u8 {
    // Callers never divide by zero (b is a discrepancy or a derivative checked non-zero).
    if a == 0 || b == 0 {
        0
    } else {
        GF.exp[usize::from(GF.log[usize::from(a)]) + 255 - usize::from(GF.log[usize::from(b)])]
    }
}

/// Corrects at most `max_errors` wrong codewords of a block whose last `ec` codewords are
/// Reed–Solomon parity (generator roots α⁰ … α^(ec−1), §7.5.2): Berlekamp–Massey, Chien
/// search, Forney; the syndromes must vanish afterwards. `Err` when it cannot be corrected.
fn reed_solomon(block: &mut [u8], ec: usize, max_errors: usize) -> Result<(), ()> {
    let n = block.len();
    let mut s = [0u8; 64];
    let syndromes = |block: &[u8], s: &mut [u8; 64]| {
        let mut any = false;
        for (i, si) in s.iter_mut().enumerate().take(ec) {
            let a = GF.exp[i];
            let mut v = 0u8;
            for &c in block {
                v = mul(v, a) ^ c;
            }
            *si = v;
            any |= v != 0;
        }
        any
    };
    if !syndromes(block, &mut s) {
        return Ok(());
    }
    // Berlekamp–Massey: the shortest error locator σ with σ(0) = 1.
    let (mut sigma, mut prev) = ([0u8; 64], [0u8; 64]);
    sigma[0] = 1;
    prev[0] = 1;
    let (mut len, mut shift, mut last) = (0usize, 1usize, 1u8);
    for k in 0..ec {
        let mut d = s[k];
        for i in 1..=len {
            d ^= mul(sigma[i], s[k - i]);
        }
        if d == 0 {
            shift += 1;
            continue;
        }
        let factor = div(d, last);
        let before = sigma;
        for i in 0..64 - shift {
            sigma[i + shift] ^= mul(factor, prev[i]);
        }
        if 2 * len <= k {
            len = k + 1 - len;
            prev = before;
            last = d;
            shift = 1;
        } else {
            shift += 1;
        }
    }
    if len > max_errors || len == 0 {
        return Err(());
    }
    // Ω = S σ mod x^ec.
    let mut omega = [0u8; 64];
    for i in 0..ec {
        for j in 0..=i.min(len) {
            omega[i] ^= mul(sigma[j], s[i - j]);
        }
    }
    let eval = |p: &[u8], x: u8| p.iter().rev().fold(0u8, |acc, &c| mul(acc, x) ^ c);
    let mut found = 0;
    for k in 0..n {
        // Position k counts from the block's end (the x^k coefficient); X = α^k.
        let x_inv = GF.exp[(255 - k % 255) % 255];
        if eval(&sigma[..=len], x_inv) != 0 {
            continue;
        }
        let derivative: u8 = (1..=len)
            .step_by(2)
            .fold(0u8, |acc, i| acc ^ mul(sigma[i], pow(x_inv, i - 1)));
        if derivative == 0 {
            return Err(());
        }
        let x = GF.exp[k % 255];
        let magnitude = mul(x, div(eval(&omega[..ec], x_inv), derivative));
        block[n - 1 - k] ^= magnitude;
        found += 1;
    }
    if found != len || syndromes(block, &mut s) {
        return Err(());
    }
    Ok(())
}

fn pow(x: u8, e: usize) -> u8 {
    if e == 0 {
        1
    } else if x == 0 {
        0
    } else {
        GF.exp[usize::from(GF.log[usize::from(x)]) * e % 255]
    }
}

/// The segments of the corrected data (§7.4): numeric, alphanumeric, byte, kanji (as
/// Shift JIS bytes) and ECI designators, up to the terminator or the end.
fn segments(data: &[u8], version: usize) -> Result<String, SymbolError> {
    let mut stream = Stream { data, at: 0 };
    let mut out = Vec::new();
    let class = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    while stream.left() >= 4 {
        match stream.take(4)? {
            0 => break,
            1 => {
                let mut count = stream.take([10, 12, 14][class])?;
                while count > 0 {
                    let digits = count.min(3);
                    let mut v = stream.take([4, 7, 10][digits - 1])?;
                    if v >= [10, 100, 1000][digits - 1] {
                        return Err(SymbolError::Stream("numeric group out of range"));
                    }
                    let mut group = [0u8; 3];
                    for g in group[..digits].iter_mut().rev() {
                        *g = b'0' + (v % 10) as u8;
                        v /= 10;
                    }
                    out.extend_from_slice(&group[..digits]);
                    count -= digits;
                }
            }
            2 => {
                const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
                let mut count = stream.take([9, 11, 13][class])?;
                while count > 0 {
                    let pair = count >= 2;
                    let v = stream.take(if pair { 11 } else { 6 })?;
                    if pair {
                        let (a, b) = (v / 45, v % 45);
                        if a >= 45 {
                            return Err(SymbolError::Stream("alphanumeric pair out of range"));
                        }
                        out.extend_from_slice(&[ALPHABET[a], ALPHABET[b]]);
                        count -= 2;
                    } else {
                        let c = ALPHABET
                            .get(v)
                            .ok_or(SymbolError::Stream("alphanumeric character out of range"))?;
                        out.push(*c);
                        count -= 1;
                    }
                }
            }
            4 => {
                let count = stream.take([8, 16, 16][class])?;
                if stream.left() < count * 8 {
                    return Err(SymbolError::Stream("byte segment longer than the data"));
                }
                for _ in 0..count {
                    out.push(stream.take(8)? as u8);
                }
            }
            8 => {
                let count = stream.take([8, 10, 12][class])?;
                if stream.left() < count * 13 {
                    return Err(SymbolError::Stream("kanji segment longer than the data"));
                }
                for _ in 0..count {
                    let v = stream.take(13)?;
                    let packed = ((v / 0xC0) << 8) | (v % 0xC0);
                    let sjis = if packed + 0x8140 <= 0x9FFC {
                        packed + 0x8140
                    } else {
                        packed + 0xC140
                    };
                    out.extend_from_slice(&[(sjis >> 8) as u8, sjis as u8]);
                }
            }
            7 => {
                // ECI designator (§7.4.2.2): 1, 2 or 3 bytes; the text stays as bytes.
                let first = stream.take(8)?;
                if first & 0xC0 == 0x80 {
                    stream.take(8)?;
                } else if first & 0xE0 == 0xC0 {
                    stream.take(16)?;
                }
            }
            _ => return Err(SymbolError::Stream("unknown mode")),
        }
    }
    String::from_utf8(out).map_err(|_| SymbolError::Utf8)
}

struct Stream<'a> {
    data: &'a [u8],
    at: usize,
}

impl Stream<'_> {
    fn left(&self) -> usize {
        self.data.len() * 8 - self.at
    }

    fn take(&mut self, bits: usize) -> Result<usize, SymbolError> {
        if self.left() < bits {
            return Err(SymbolError::Stream("segment runs past the data"));
        }
        let mut v = 0;
        for _ in 0..bits {
            let bit = self.data[self.at / 8] >> (7 - self.at % 8) & 1;
            v = v << 1 | usize::from(bit);
            self.at += 1;
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use qrcode::{Color, EcLevel, QrCode, Version};

    use super::*;

    fn modules(code: &QrCode) -> Modules {
        Modules {
            size: code.width(),
            dark: code.to_colors().iter().map(|&c| c == Color::Dark).collect(),
        }
    }

    #[test]
    fn reads_every_version_and_level() {
        // The block table, placement, masks and format/version information against another
        // implementation: the qrcode crate's encoder, every version at every level.
        let levels = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];
        for version in 1..=40 {
            for level in levels {
                // Byte (with UTF-8), numeric and alphanumeric segments where they fit.
                let long = format!("v{version} {level:?} ÄÖ 0123456789 HELLO");
                let short = format!("{version}");
                let (text, code) = [long, short]
                    .into_iter()
                    .find_map(|text| {
                        QrCode::with_version(text.as_bytes(), Version::Normal(version), level)
                            .ok()
                            .map(|code| (text, code))
                    })
                    .expect("fits");
                let m = modules(&code);
                assert_eq!(
                    read(&m).expect("reads"),
                    text,
                    "version {version} {level:?}"
                );
                if version >= 7 {
                    assert_eq!(version_info(&m), Some(version as usize));
                }
                let rqrr = rqrr::Grid::new(rqrr::SimpleGrid::from_func(m.size, |x, y| {
                    m.dark[y * m.size + x]
                }))
                .decode()
                .expect("rqrr reads it")
                .1;
                assert_eq!(rqrr, text);
            }
        }
    }

    #[test]
    fn corrects_up_to_capacity_and_no_further() {
        // Version 5-Q: 4 blocks of 18 parity codewords, so 9 errors per block are corrected.
        let text = "0123456789".repeat(5);
        let code =
            QrCode::with_version(text.as_bytes(), Version::Normal(5), EcLevel::Q).expect("fits");
        let m = modules(&code);
        let function = function_modules(5);
        let data: Vec<usize> = (0..m.size * m.size).filter(|&i| !function[i]).collect();
        // Flip whole codewords in every block: the first 8 × 4 × 9 data modules in placement
        // order are not codewords in order, so flip module runs spread over the symbol and
        // check only the two outcomes that matter: few errors read, many never misread.
        let mut few = Modules {
            size: m.size,
            dark: m.dark.clone(),
        };
        for &i in data.iter().step_by(83).take(12) {
            few.dark[i] = !few.dark[i];
        }
        assert_eq!(read(&few).expect("corrected"), text);
        let mut many = Modules {
            size: m.size,
            dark: m.dark.clone(),
        };
        for &i in data.iter().step_by(3) {
            many.dark[i] = !many.dark[i];
        }
        assert!(read(&many).is_err());
    }

    #[test]
    fn reed_solomon_corrects_each_count_up_to_half_the_parity() {
        // Encode a block with the generator polynomial, then corrupt 0..=t codewords.
        let ec = 10;
        let mut generator = vec![1u8];
        for i in 0..ec {
            let mut next = vec![0u8; generator.len() + 1];
            for (j, &g) in generator.iter().enumerate() {
                next[j] ^= g;
                next[j + 1] ^= mul(g, GF.exp[i]);
            }
            generator = next;
        }
        let message: Vec<u8> = (0..20u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(5))
            .collect();
        let mut remainder = message.clone();
        remainder.extend(std::iter::repeat_n(0, ec));
        for i in 0..message.len() {
            let c = remainder[i];
            if c != 0 {
                for (j, &g) in generator.iter().enumerate() {
                    remainder[i + j] ^= mul(g, c);
                }
            }
        }
        let mut block = message.clone();
        block.extend_from_slice(&remainder[message.len()..]);
        for errors in 0..=ec / 2 {
            let mut bad = block.clone();
            for e in 0..errors {
                let at = e * 6 % bad.len();
                bad[at] ^= 0x5A + e as u8;
            }
            reed_solomon(&mut bad, ec, ec / 2).expect("correctable");
            assert_eq!(bad, block, "{errors} errors");
        }
        // Three errors where only two may be corrected (misdecode protection): refused.
        let mut bad = block.clone();
        for e in 0..3 {
            bad[e * 5] ^= 0xFF;
        }
        assert!(reed_solomon(&mut bad, ec, 2).is_err());
    }
}
