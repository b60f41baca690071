//! Decoding within limits: PNG, JPEG (EXIF orientation applied), TIFF; grey once at the entry.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageReader, RgbImage, metadata::Orientation};

use super::{ColorMode, ScanError, ScanOptions};

/// A decoded page: grey for the stages, colour when asked for, and what the file said.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The page in 8-bit grey (EXIF orientation applied).
    pub grey: GrayImage,
    /// The page in RGB when [`ColorMode::Color`] was asked for, else empty (0 × 0).
    pub color: RgbImage,
    /// Resolution from the file, dots per inch (JFIF density, PNG pHYs).
    pub dpi: Option<f32>,
    /// The EXIF orientation tag value that was applied (1 = none or absent).
    pub exif_orientation: u8,
}

/// Decodes a PNG, JPEG or TIFF page within the options' limits, applies the EXIF
/// orientation, and converts to grey (and keeps RGB with [`ColorMode::Color`]).
///
/// # Errors
/// [`ScanError::Limit`] when the header announces more than `max_image_side` pixels a side or
/// decoding would allocate more than `max_alloc_bytes`; [`ScanError::Decode`] otherwise when the
/// bytes are not a decodable image.
pub fn load(bytes: &[u8], options: &ScanOptions) -> Result<Loaded, ScanError> {
    if options.color == ColorMode::Gray && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        // Anything the luma-only path cannot do (CMYK, arithmetic coding) goes the general way.
        if let Some(loaded) = jpeg_luma(bytes, options)? {
            return Ok(loaded);
        }
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::Decode(Box::new(e)))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(options.max_image_side);
    limits.max_image_height = Some(options.max_image_side);
    limits.max_alloc = Some(options.max_alloc_bytes);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| classify(e, options))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, options))?;
    image.apply_orientation(orientation);
    let color = match options.color {
        ColorMode::Color => image.to_rgb8(),
        ColorMode::Gray => RgbImage::new(0, 0),
    };
    Ok(Loaded {
        grey: image.to_luma8(),
        color,
        dpi: density(bytes),
        exif_orientation: exif_value(orientation),
    })
}

/// A JPEG decoded to luma only (the Y of YCbCr: no chroma upsampling, no colour conversion),
/// with its EXIF orientation applied; `None` when this decoder cannot handle the file.
fn jpeg_luma(bytes: &[u8], options: &ScanOptions) -> Result<Option<Loaded>, ScanError> {
    use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    let side = options.max_image_side as usize;
    let decoder_options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(side)
        .set_max_height(side);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), decoder_options);
    if decoder.decode_headers().is_err() {
        return Ok(None);
    }
    let Some(info) = decoder.info() else {
        return Ok(None);
    };
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    if w > options.max_image_side || h > options.max_image_side {
        return Err(ScanError::Limit {
            what: "image side in pixels",
            max: u64::from(options.max_image_side),
        });
    }
    if u64::from(w) * u64::from(h) > options.max_alloc_bytes {
        return Err(ScanError::Limit {
            what: "decoder allocation in bytes",
            max: options.max_alloc_bytes,
        });
    }
    let orientation = decoder
        .exif()
        .and_then(|exif| Orientation::from_exif_chunk(exif))
        .unwrap_or(Orientation::NoTransforms);
    let Ok(pixels) = decoder.decode() else {
        return Ok(None);
    };
    let Some(grey) = GrayImage::from_raw(w, h, pixels) else {
        return Ok(None);
    };
    let mut image = DynamicImage::ImageLuma8(grey);
    image.apply_orientation(orientation);
    Ok(Some(Loaded {
        grey: image.into_luma8(),
        color: RgbImage::new(0, 0),
        dpi: density(bytes),
        exif_orientation: exif_value(orientation),
    }))
}

fn classify(e: image::ImageError, options: &ScanOptions) -> ScanError {
    match e {
        image::ImageError::Limits(l) => match l.kind() {
            image::error::LimitErrorKind::DimensionError => ScanError::Limit {
                what: "image side in pixels",
                max: u64::from(options.max_image_side),
            },
            _ => ScanError::Limit {
                what: "decoder allocation in bytes",
                max: options.max_alloc_bytes,
            },
        },
        other => ScanError::Decode(Box::new(other)),
    }
}

/// The EXIF tag value (TIFF 6.0 / EXIF 2.3 §4.6.4 "Orientation") of an orientation.
fn exif_value(o: Orientation) -> u8 {
    match o {
        Orientation::NoTransforms => 1,
        Orientation::FlipHorizontal => 2,
        Orientation::Rotate180 => 3,
        Orientation::FlipVertical => 4,
        Orientation::Rotate90FlipH => 5,
        Orientation::Rotate90 => 6,
        Orientation::Rotate270FlipH => 7,
        Orientation::Rotate270 => 8,
    }
}

/// Dots per inch from a JFIF APP0 segment (JFIF 1.02: units 1 = per inch, 2 = per cm) or a
/// PNG `pHYs` chunk (PNG §11.3.5.3: unit 1 = per metre); `None` when absent or unitless.
fn density(bytes: &[u8]) -> Option<f32> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]) && bytes.get(6..11) == Some(b"JFIF\0") {
        let units = *bytes.get(13)?;
        let x = u16::from_be_bytes([*bytes.get(14)?, *bytes.get(15)?]);
        return match (units, x) {
            (_, 0) => None,
            (1, x) => Some(f32::from(x)),
            (2, x) => Some(f32::from(x) * 2.54),
            _ => None,
        };
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // Chunks before IDAT: length, type, data, CRC.
        let mut at = 8usize;
        while let Some(head) = bytes.get(at..at + 8) {
            let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
            let kind = &head[4..8];
            if kind == b"IDAT" {
                return None;
            }
            if kind == b"pHYs" {
                let d = bytes.get(at + 8..at + 17)?;
                let ppu = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
                return (d[8] == 1 && ppu > 0).then_some(ppu as f32 * 0.0254);
            }
            at = at.checked_add(12)?.checked_add(len)?;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_from_png_phys() {
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        png.extend_from_slice(&[0, 0, 0, 9]);
        png.extend_from_slice(b"pHYs");
        png.extend_from_slice(&11811u32.to_be_bytes()); // 300 dpi
        png.extend_from_slice(&11811u32.to_be_bytes());
        png.extend_from_slice(&[1, 0, 0, 0, 0]);
        let dpi = density(&png).expect("pHYs");
        assert!((dpi - 300.0).abs() < 0.1, "{dpi}");
        assert_eq!(density(&png[..20]), None);
    }

    #[test]
    fn huge_header_is_a_limit_not_an_allocation() {
        // A PNG header announcing 100,000 × 100,000 pixels and nothing else.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR");
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 0, 0, 0, 0]);
        let crc = crc32(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        let err = load(&png, &ScanOptions::default()).expect_err("refused");
        assert!(matches!(err, ScanError::Limit { .. }), "{err:?}");
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
