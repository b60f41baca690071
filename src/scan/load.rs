//! Decoding within limits: PNG, JPEG (EXIF orientation applied), TIFF (every page, its
//! Orientation tag applied), WebP, GIF (first frame) and BMP; grey once at the entry.

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

/// Decodes a PNG, JPEG, TIFF, WebP, GIF or BMP page within the options' limits, applies the EXIF
/// orientation, and converts to grey (and keeps RGB with [`ColorMode::Color`]).
///
/// Memory stays bounded whatever the file says: the decoded buffer (a progressive JPEG's
/// coefficients included) is checked against `max_alloc_bytes` from the header, before it is
/// allocated; a PNG's ICC profile and text chunks are skipped unread (they are zlib streams
/// that a few kilobytes can inflate to gigabytes) and the rest of its ancillary data may hold
/// at most 4 MiB; a JPEG's metadata segments (APPn, COM) too, and a WebP's metadata chunks
/// (EXIF, XMP, ICCP), whose bitstreams must also fit the limits by their own headers.
///
/// # Errors
/// [`ScanError::Limit`] when the header announces more than `max_image_side` pixels a side,
/// decoding would allocate more than `max_alloc_bytes`, or the metadata exceeds 4 MiB;
/// [`ScanError::Decode`] otherwise when the bytes are not a decodable
/// image.
pub fn load(bytes: &[u8], options: &ScanOptions) -> Result<Loaded, ScanError> {
    if is_tiff(bytes) {
        return pages(bytes, options)?
            .next()
            .unwrap_or_else(|| Err(ScanError::Decode("the TIFF file holds no image".into())));
    }
    if options.color == ColorMode::Gray && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        // Anything the luma-only path cannot do (CMYK, arithmetic coding) goes the general way.
        if let Some(loaded) = jpeg_luma(bytes, options)? {
            return Ok(loaded);
        }
    }
    let (image, orientation) = decode(bytes, options)?;
    Ok(upright(image, orientation, density(bytes), options))
}

/// Most bytes of ancillary data a decoder may keep besides the pixels: 4 MiB, far below the
/// pixel budget ([`ScanOptions::max_alloc_bytes`]). docseal reads only the EXIF orientation
/// (a few dozen bytes); what else such data holds is small in real files: an ICC profile is
/// 0.5 to 600 KB (PNG ICC profiles are skipped anyway), EXIF lives in one JPEG APP1 segment of
/// at most 64 KiB, XMP in a few more. Past it a PNG, JPEG or WebP is refused with
/// [`ScanError::Limit`].
pub(crate) const MAX_ANCILLARY_BYTES: u64 = 4 * 1024 * 1024;

/// Decodes a PNG, JPEG, WebP, GIF or BMP (anything `image` reads) within the limits, without
/// turning it:
/// the image as stored and its orientation tag. Shared with the QR reader.
pub(crate) fn decode(
    bytes: &[u8],
    options: &ScanOptions,
) -> Result<(DynamicImage, Orientation), ScanError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png_image(bytes, options);
    }
    let jpeg = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(jpeg_header(bytes, options)?)
    } else {
        None
    };
    if bytes.get(..4) == Some(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        webp_chunks(bytes, options)?;
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
    let (w, h) = decoder.dimensions();
    check_side(w, h, options)?;
    // image 0.25 does not hold every decoder to `max_alloc`: check the buffer it will allocate.
    let coefficients = jpeg.map_or(0, |j| j.coefficient_bytes());
    check_alloc(
        w,
        h,
        decoder.total_bytes().saturating_add(coefficients),
        options,
    )?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, options))?;
    Ok((image, orientation))
}

/// A decoded page turned as its orientation tag says, grey and (when asked) colour. Converts
/// before turning and drops each buffer as soon as it is no longer needed: at most the
/// decoded image, the grey page and the colour page are alive at once.
fn upright(
    image: DynamicImage,
    orientation: Orientation,
    dpi: Option<f32>,
    options: &ScanOptions,
) -> Loaded {
    let turn = |image: DynamicImage| {
        let mut image = image;
        image.apply_orientation(orientation);
        image
    };
    let (grey, color) = match options.color {
        ColorMode::Color => {
            let grey = image.to_luma8();
            (
                grey,
                turn(DynamicImage::ImageRgb8(image.into_rgb8())).into_rgb8(),
            )
        }
        ColorMode::Gray => (image.into_luma8(), RgbImage::new(0, 0)),
    };
    Loaded {
        grey: turn(DynamicImage::ImageLuma8(grey)).into_luma8(),
        color,
        dpi,
        exif_orientation: exif_value(orientation),
    }
}

/// A PNG decoded by the png crate itself, iCCP and text chunks skipped unread, ancillary data
/// capped at [`MAX_ANCILLARY_BYTES`], expanded to 8-bit grey, grey + alpha, RGB or RGBA
/// (palette and low bit depths expanded, 16-bit samples cut to their high byte: the pipeline
/// is 8-bit grey).
fn png_image(
    bytes: &[u8],
    options: &ScanOptions,
) -> Result<(DynamicImage, Orientation), ScanError> {
    // IHDR comes first (PNG §5.6): refuse absurd sides before the decoder reads further.
    if let Some(ihdr) = bytes.get(16..24) {
        let side = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        check_side(side(&ihdr[..4]), side(&ihdr[4..]), options)?;
    }
    let ancillary = usize::try_from(MAX_ANCILLARY_BYTES).unwrap_or(usize::MAX);
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: ancillary });
    decoder.set_ignore_iccp_chunk(true);
    decoder.set_ignore_text_chunk(true);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let err = |e: png::DecodingError| match e {
        png::DecodingError::LimitsExceeded => ScanError::Limit {
            what: "image metadata in bytes",
            max: MAX_ANCILLARY_BYTES,
        },
        other => ScanError::Decode(Box::new(other)),
    };
    let mut reader = decoder.read_info().map_err(err)?;
    let (w, h) = reader.info().size();
    check_side(w, h, options)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| ScanError::Limit {
            what: "decoder allocation in bytes",
            max: options.max_alloc_bytes,
        })?;
    check_alloc(w, h, size as u64, options)?;
    let mut buffer = vec![0u8; size];
    let frame = reader.next_frame(&mut buffer).map_err(err)?;
    buffer.truncate(frame.buffer_size());
    let orientation = reader
        .info()
        .exif_metadata
        .as_deref()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let (w, h) = (frame.width, frame.height);
    let bad = || ScanError::Decode("PNG frame does not match its header".into());
    let image = match frame.color_type {
        png::ColorType::Grayscale => {
            DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, buffer).ok_or_else(bad)?)
        }
        png::ColorType::GrayscaleAlpha => {
            DynamicImage::ImageLumaA8(image::ImageBuffer::from_raw(w, h, buffer).ok_or_else(bad)?)
        }
        png::ColorType::Rgb => {
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, buffer).ok_or_else(bad)?)
        }
        png::ColorType::Rgba => {
            DynamicImage::ImageRgba8(image::ImageBuffer::from_raw(w, h, buffer).ok_or_else(bad)?)
        }
        png::ColorType::Indexed => return Err(bad()),
    };
    Ok((image, orientation))
}

/// What a JPEG's headers say before any pixel is decoded (ITU-T T.81 §B.2): the frame and how
/// many bytes of metadata segments precede the first scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct JpegHeader {
    /// Width in pixels.
    pub(crate) width: u32,
    /// Height in pixels.
    pub(crate) height: u32,
    /// Colour components (1 grey, 3 YCbCr, 4 CMYK).
    pub(crate) components: u8,
    /// A progressive frame (SOF2, SOF6, SOF10, SOF14): the decoder keeps every coefficient.
    pub(crate) progressive: bool,
    /// Samples stored per pixel, summed over the components, in 64ths (4:2:0 colour is 96).
    samples_64: u32,
}

impl JpegHeader {
    /// Bytes a progressive decoder holds besides its output: one 16-bit coefficient per sample
    /// of every component (zune-jpeg keeps them all until the last scan).
    fn coefficient_bytes(self) -> u64 {
        if self.progressive {
            u64::from(self.width) * u64::from(self.height) * u64::from(self.samples_64) * 2 / 64
        } else {
            0
        }
    }
}

/// The JPEG's frame header, its metadata capped at [`MAX_ANCILLARY_BYTES`] and its sides at
/// `max_image_side`.
fn jpeg_header(bytes: &[u8], options: &ScanOptions) -> Result<JpegHeader, ScanError> {
    let (header, metadata) = jpeg_frame(bytes)
        .ok_or_else(|| ScanError::Decode("no JPEG frame header before the first scan".into()))?;
    if metadata > MAX_ANCILLARY_BYTES {
        return Err(ScanError::Limit {
            what: "image metadata in bytes",
            max: MAX_ANCILLARY_BYTES,
        });
    }
    check_side(header.width, header.height, options)?;
    Ok(header)
}

/// Walks the marker segments from SOI to the frame header: the frame, and the bytes of APPn
/// and COM segments seen on the way (and after it, up to the first scan).
pub(crate) fn jpeg_frame(bytes: &[u8]) -> Option<(JpegHeader, u64)> {
    let mut at = 2usize;
    let mut metadata = 0u64;
    let mut frame = None;
    while let Some(&[0xFF, marker]) = bytes.get(at..at + 2) {
        if marker == 0xFF {
            at += 1; // fill byte (T.81 §B.1.1.2)
            continue;
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let body = bytes.get(at + 4..at + 2 + len)?;
        match marker {
            0xE0..=0xEF | 0xFE => metadata += len as u64,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                // Per component: id, sampling factors H << 4 | V, table (T.81 §B.2.2).
                let factors: Vec<(u32, u32)> = body
                    .get(6..)?
                    .chunks_exact(3)
                    .take(usize::from(*body.get(5)?))
                    .map(|c| (u32::from(c[1] >> 4).max(1), u32::from(c[1] & 15).max(1)))
                    .collect();
                let h_max = factors.iter().map(|f| f.0).max()?;
                let v_max = factors.iter().map(|f| f.1).max()?;
                let samples_64 = factors
                    .iter()
                    .map(|(h, v)| 64 * h * v / (h_max * v_max))
                    .sum();
                frame = Some(JpegHeader {
                    samples_64,
                    height: u32::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?])),
                    width: u32::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?])),
                    components: *body.get(5)?,
                    progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                });
            }
            0xDA => break,
            _ => {}
        }
        at += 2 + len;
    }
    Some((frame?, metadata))
}

/// Checks what a WebP file's chunks (RFC 9649 §2.5–2.7) announce before image-webp acts on
/// them: it reads a metadata chunk (EXIF, for the orientation) whole at its declared size, so
/// EXIF, XMP and ICCP together may declare at most [`MAX_ANCILLARY_BYTES`]; and it allocates a
/// bitstream's buffers from the bitstream's own sides (VP8: RFC 6386 §9.1; VP8L: RFC 9649
/// §3.2.1) before comparing them with the canvas, so every bitstream, those of animation
/// frames too, must fit the side and allocation limits (4 bytes a pixel, RGBA).
fn webp_chunks(bytes: &[u8], options: &ScanOptions) -> Result<(), ScanError> {
    let mut metadata = 0u64;
    let mut inspect = |fourcc: &[u8], declared: u64, body: &[u8]| {
        let sides = match fourcc {
            b"EXIF" | b"XMP " | b"ICCP" => {
                metadata += declared;
                if metadata > MAX_ANCILLARY_BYTES {
                    return Err(ScanError::Limit {
                        what: "image metadata in bytes",
                        max: MAX_ANCILLARY_BYTES,
                    });
                }
                None
            }
            // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
            b"VP8 " if body.get(3..6) == Some(&[0x9d, 0x01, 0x2a]) => body.get(6..10).map(|d| {
                let side = |lo: u8, hi: u8| u32::from(u16::from_le_bytes([lo, hi]) & 0x3fff);
                (side(d[0], d[1]), side(d[2], d[3]))
            }),
            // Signature 0x2f, then width − 1 and height − 1 in 14 bits each.
            b"VP8L" if body.first() == Some(&0x2f) => body.get(1..5).map(|d| {
                let bits = u32::from_le_bytes([d[0], d[1], d[2], d[3]]);
                ((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1)
            }),
            _ => None,
        };
        if let Some((w, h)) = sides {
            check_side(w, h, options)?;
            check_alloc(w, h, u64::from(w) * u64::from(h) * 4, options)?;
        }
        Ok(())
    };
    for (fourcc, declared, body) in riff_chunks(bytes.get(12..).unwrap_or_default()) {
        if fourcc == b"ANMF" {
            // A frame: position, size, duration and flags (16 bytes), then its own chunks.
            for (fourcc, declared, body) in riff_chunks(body.get(16..).unwrap_or_default()) {
                inspect(fourcc, declared, body)?;
            }
        } else {
            inspect(fourcc, declared, body)?;
        }
    }
    Ok(())
}

/// The RIFF chunks in `bytes` (RFC 9649 §2.3): four-character code, declared size, and the
/// body as far as the bytes go (a declared size may run past the end).
fn riff_chunks(bytes: &[u8]) -> impl Iterator<Item = (&[u8], u64, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let head = bytes.get(at..at.checked_add(8)?)?;
        let declared = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        let start = at + 8;
        let len = usize::try_from(declared).unwrap_or(usize::MAX);
        let body = &bytes[start..start.saturating_add(len).min(bytes.len())];
        // Odd sizes are padded to an even one.
        at = start.saturating_add(len).saturating_add(len & 1);
        Some((&head[..4], u64::from(declared), body))
    })
}

fn check_side(w: u32, h: u32, options: &ScanOptions) -> Result<(), ScanError> {
    if w > options.max_image_side || h > options.max_image_side {
        return Err(ScanError::Limit {
            what: "image side in pixels",
            max: u64::from(options.max_image_side),
        });
    }
    Ok(())
}

/// `bytes` of decoder buffers for a `w` × `h` image: within the budget, and so is the colour
/// page that [`ColorMode::Color`] makes of it (3 bytes a pixel, even from a grey file).
fn check_alloc(w: u32, h: u32, bytes: u64, options: &ScanOptions) -> Result<(), ScanError> {
    let page = match options.color {
        ColorMode::Color => u64::from(w) * u64::from(h) * 3,
        ColorMode::Gray => 0,
    };
    if bytes.max(page) > options.max_alloc_bytes {
        return Err(ScanError::Limit {
            what: "decoder allocation in bytes",
            max: options.max_alloc_bytes,
        });
    }
    Ok(())
}

/// Every page of a scan: the pages of a multi-page TIFF in file order (TIFF 6.0 §2: one image
/// file directory per page), or the one page of another format. Pages are decoded one at a time
/// as the iterator is advanced, each within the options' decode limits, so a long file never
/// holds more than one decoded page.
///
/// A TIFF page may be bilevel (1-bit, CCITT G3/G4, PackBits, LZW or Deflate), grey of 2, 4, 8
/// or 16 bits, RGB of 8 or 16 bits with or without alpha, CMYK, or
/// JPEG-compressed; its `Orientation` tag (274) is applied like EXIF
/// and its `XResolution`/`ResolutionUnit` (282, 296) give [`Loaded::dpi`].
///
/// # Errors
/// Up front, [`ScanError::Decode`] when a TIFF's header cannot be read. Each item is a page or,
/// as for [`load`], its [`ScanError::Limit`] / [`ScanError::Decode`]; after
/// [`ScanOptions::max_pages`] pages the next item is a [`ScanError::Limit`] on the page count
/// and the iteration ends. Iteration also ends after the first page that fails to decode (the
/// chain of directories cannot be trusted past it).
pub fn pages<'a>(bytes: &'a [u8], options: &ScanOptions) -> Result<Pages<'a>, ScanError> {
    let state = if is_tiff(bytes) {
        let mut limits = tiff::decoder::Limits::default();
        let max_alloc = usize::try_from(options.max_alloc_bytes).unwrap_or(usize::MAX);
        limits.decoding_buffer_size = max_alloc;
        limits.intermediate_buffer_size = limits.intermediate_buffer_size.min(max_alloc);
        let decoder = tiff::decoder::Decoder::new(Cursor::new(bytes))
            .map_err(|e| tiff_error(e, options))?
            .with_limits(limits);
        PagesState::Tiff(Box::new(decoder))
    } else {
        PagesState::Single(bytes)
    };
    Ok(Pages {
        state,
        options: *options,
        index: 0,
    })
}

/// The pages of a scan, from [`pages`].
pub struct Pages<'a> {
    state: PagesState<'a>,
    options: ScanOptions,
    index: u32,
}

impl std::fmt::Debug for Pages<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("index", &self.index).finish()
    }
}

enum PagesState<'a> {
    Single(&'a [u8]),
    Tiff(Box<tiff::decoder::Decoder<Cursor<&'a [u8]>>>),
    Done,
}

impl Iterator for Pages<'_> {
    type Item = Result<Loaded, ScanError>;

    fn next(&mut self) -> Option<Self::Item> {
        let state = std::mem::replace(&mut self.state, PagesState::Done);
        match state {
            PagesState::Done => None,
            PagesState::Single(bytes) => Some(load(bytes, &self.options)),
            PagesState::Tiff(mut decoder) => {
                if self.index >= self.options.max_pages {
                    return Some(Err(ScanError::Limit {
                        what: "pages in the file",
                        max: u64::from(self.options.max_pages),
                    }));
                }
                if self.index > 0
                    && let Err(e) = decoder.next_image()
                {
                    return Some(Err(tiff_error(e, &self.options)));
                }
                self.index += 1;
                let page = tiff_page(&mut decoder, &self.options);
                if page.is_ok() && decoder.more_images() {
                    self.state = PagesState::Tiff(decoder);
                }
                Some(page)
            }
        }
    }
}

/// Little- or big-endian TIFF, classic or BigTIFF (TIFF 6.0 §2, BigTIFF: version 43).
fn is_tiff(bytes: &[u8]) -> bool {
    matches!(
        bytes.get(..4),
        Some(b"II*\0" | b"MM\0*" | b"II+\0" | b"MM\0+")
    )
}

/// The current TIFF directory's image as a [`Loaded`] page.
fn tiff_page(
    decoder: &mut tiff::decoder::Decoder<Cursor<&[u8]>>,
    options: &ScanOptions,
) -> Result<Loaded, ScanError> {
    use tiff::{ColorType as T, decoder::DecodingResult as D, tags::Tag};
    let err = |e| tiff_error(e, options);
    let (w, h) = decoder.dimensions().map_err(err)?;
    if w > options.max_image_side || h > options.max_image_side {
        return Err(ScanError::Limit {
            what: "image side in pixels",
            max: u64::from(options.max_image_side),
        });
    }
    let color = decoder.colortype().map_err(err)?;
    // Bytes of the decoded buffer, before it is allocated (the decoder's own limit applies too).
    let samples: u64 = match color {
        T::Gray(_) => 1,
        T::GrayA(_) => 2,
        T::RGB(_) | T::YCbCr(_) => 3,
        _ => 4,
    };
    check_alloc(w, h, u64::from(w) * u64::from(h) * samples * 2, options)?;
    let unsupported = || ScanError::Decode(format!("TIFF colour type {color:?}").into());
    let buffer = decoder.read_image().map_err(err)?;
    let image = match (color, buffer) {
        (T::Gray(bits @ (1 | 2 | 4)), D::U8(packed)) => {
            let max = (1u16 << bits) - 1;
            let levels = unpack(&packed, w, h, bits)
                .into_iter()
                .map(|v| (u16::from(v) * 255 / max) as u8)
                .collect();
            DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, levels).ok_or_else(unsupported)?)
        }
        (T::Gray(8), D::U8(v)) => {
            DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, v).ok_or_else(unsupported)?)
        }
        (T::Gray(16), D::U16(v)) => DynamicImage::ImageLuma16(
            image::ImageBuffer::from_raw(w, h, v).ok_or_else(unsupported)?,
        ),
        (T::GrayA(8), D::U8(v)) => DynamicImage::ImageLumaA8(
            image::ImageBuffer::from_raw(w, h, v).ok_or_else(unsupported)?,
        ),
        (T::RGB(8), D::U8(v)) => {
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, v).ok_or_else(unsupported)?)
        }
        (T::RGB(16), D::U16(v)) => {
            DynamicImage::ImageRgb16(image::ImageBuffer::from_raw(w, h, v).ok_or_else(unsupported)?)
        }
        (T::RGBA(8), D::U8(v)) => {
            DynamicImage::ImageRgba8(image::ImageBuffer::from_raw(w, h, v).ok_or_else(unsupported)?)
        }
        (T::RGBA(16), D::U16(v)) => DynamicImage::ImageRgba16(
            image::ImageBuffer::from_raw(w, h, v).ok_or_else(unsupported)?,
        ),
        (T::CMYK(8), D::U8(v)) => {
            let rgb: Vec<u8> = v
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = 255 - u16::from(p[3]);
                    p[..3]
                        .iter()
                        .map(move |&c| ((255 - u16::from(c)) * k / 255) as u8)
                })
                .collect();
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, rgb).ok_or_else(unsupported)?)
        }
        _ => return Err(unsupported()),
    };
    let tag =
        |decoder: &mut tiff::decoder::Decoder<Cursor<&[u8]>>, t| decoder.find_tag(t).ok().flatten();
    let orientation = tag(decoder, Tag::Orientation)
        .and_then(|v| v.into_u16().ok())
        .and_then(|v| u8::try_from(v).ok())
        .and_then(Orientation::from_exif)
        .unwrap_or(Orientation::NoTransforms);
    // ResolutionUnit: 1 none, 2 inch (the default), 3 centimetre (TIFF 6.0 §8).
    let unit = tag(decoder, Tag::ResolutionUnit)
        .and_then(|v| v.into_u16().ok())
        .unwrap_or(2);
    let dpi = tag(decoder, Tag::XResolution)
        .and_then(rational)
        .filter(|x| x.is_finite() && *x > 0.0)
        .and_then(|x| match unit {
            2 => Some(x as f32),
            3 => Some((x * 2.54) as f32),
            _ => None,
        });
    Ok(upright(image, orientation, dpi, options))
}

/// Samples of `bits` (1, 2, 4 or 8) packed most significant first, rows padded to a byte
/// (TIFF 6.0 §4, FillOrder 1), as one byte each; missing bytes read as 0.
fn unpack(packed: &[u8], w: u32, h: u32, bits: u8) -> Vec<u8> {
    let (w, bits) = (w as usize, usize::from(bits));
    let row = (w * bits).div_ceil(8);
    let mask = ((1u16 << bits) - 1) as u8;
    let mut out = Vec::with_capacity(w * h as usize);
    for y in 0..h as usize {
        for x in 0..w {
            let bit = x * bits;
            let byte = packed.get(y * row + bit / 8).copied().unwrap_or(0);
            out.push((byte >> (8 - bits - bit % 8)) & mask);
        }
    }
    out
}

/// A TIFF RATIONAL (or a plain number, which some writers use) as a float.
fn rational(value: tiff::decoder::ifd::Value) -> Option<f64> {
    use tiff::decoder::ifd::Value as V;
    match value {
        V::Rational(n, d) if d != 0 => Some(f64::from(n) / f64::from(d)),
        V::Short(n) => Some(f64::from(n)),
        V::Unsigned(n) => Some(f64::from(n)),
        V::Float(x) => Some(f64::from(x)),
        V::Double(x) => Some(x),
        _ => None,
    }
}

fn tiff_error(e: tiff::TiffError, options: &ScanOptions) -> ScanError {
    match e {
        tiff::TiffError::LimitsExceeded => ScanError::Limit {
            what: "decoder allocation in bytes",
            max: options.max_alloc_bytes,
        },
        other => ScanError::Decode(Box::new(other)),
    }
}

/// A JPEG decoded to luma only (the Y of YCbCr: no chroma upsampling, no colour conversion),
/// with its EXIF orientation applied; `None` when this decoder cannot handle the file.
fn jpeg_luma(bytes: &[u8], options: &ScanOptions) -> Result<Option<Loaded>, ScanError> {
    use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    // Metadata and sides are checked on the raw markers, before zune-jpeg gathers any of it.
    let header = jpeg_header(bytes, options)?;
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
    check_side(w, h, options)?;
    check_alloc(
        w,
        h,
        (u64::from(w) * u64::from(h)).saturating_add(header.coefficient_bytes()),
        options,
    )?;
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

    /// A two-page TIFF written by the tiff crate's encoder: a grey 40 × 60 page at 300 dpi
    /// stored with Orientation 6 ("rotate 90° clockwise to display"), then an RGB page in
    /// dots per centimetre. The first comes out turned (60 × 40), both with their resolution.
    #[test]
    fn tiff_pages_apply_orientation_and_resolution() {
        use tiff::{
            encoder::{Rational, TiffEncoder, colortype},
            tags::{ResolutionUnit, Tag},
        };
        let mut bytes = Vec::new();
        {
            let mut encoder = TiffEncoder::new(Cursor::new(&mut bytes)).expect("encoder");
            let mut page = encoder
                .new_image::<colortype::Gray8>(40, 60)
                .expect("page 1");
            page.resolution(ResolutionUnit::Inch, Rational { n: 300, d: 1 });
            page.encoder()
                .write_tag(Tag::Orientation, 6u16)
                .expect("tag");
            page.write_data(&[200u8; 40 * 60]).expect("data");
            let mut page = encoder
                .new_image::<colortype::RGB8>(30, 20)
                .expect("page 2");
            page.resolution(ResolutionUnit::Centimeter, Rational { n: 2000, d: 10 });
            page.write_data(&[10u8; 30 * 20 * 3]).expect("data");
        }
        let options = ScanOptions {
            color: ColorMode::Color,
            ..ScanOptions::default()
        };
        let loaded: Vec<Loaded> = pages(&bytes, &options)
            .expect("header")
            .map(|p| p.expect("page"))
            .collect();
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded[0].grey.dimensions(), (60, 40));
        assert_eq!(loaded[0].exif_orientation, 6);
        assert_eq!(loaded[0].dpi, Some(300.0));
        assert_eq!(loaded[1].color.dimensions(), (30, 20));
        assert_eq!(loaded[1].color.get_pixel(0, 0).0, [10, 10, 10]);
        assert!((loaded[1].dpi.expect("dpi") - 508.0).abs() < 0.01);
        // `load` is the first page.
        assert_eq!(
            load(&bytes, &options).expect("page").grey.dimensions(),
            (60, 40)
        );
    }

    /// A little-endian, uncompressed, one-strip TIFF written by hand (TIFF 6.0 §2): `entries`
    /// are (tag, SHORT values); the pixel bytes follow the directory.
    fn tiff_by_hand(entries: &[(u16, Vec<u16>)], pixels: &[u8]) -> Vec<u8> {
        let n = entries.len() + 2; // + StripOffsets, StripByteCounts
        let ifd_len = 2 + n * 12 + 4;
        let mut extra = Vec::new(); // values longer than 4 bytes
        let extra_at = 8 + ifd_len;
        let mut dir: Vec<(u16, u16, u32, [u8; 4])> = Vec::new();
        for (tag, values) in entries {
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            let field = if bytes.len() <= 4 {
                let mut f = [0u8; 4];
                f[..bytes.len()].copy_from_slice(&bytes);
                f
            } else {
                let at = (extra_at + extra.len()) as u32;
                extra.extend_from_slice(&bytes);
                at.to_le_bytes()
            };
            dir.push((*tag, 3, values.len() as u32, field));
        }
        let pixels_at = (extra_at + extra.len()) as u32;
        dir.push((273, 4, 1, pixels_at.to_le_bytes()));
        dir.push((279, 4, 1, (pixels.len() as u32).to_le_bytes()));
        dir.sort_by_key(|e| e.0);
        let mut out = b"II*\0".to_vec();
        out.extend_from_slice(&8u32.to_le_bytes());
        out.extend_from_slice(&(n as u16).to_le_bytes());
        for (tag, kind, count, field) in dir {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&field);
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&extra);
        out.extend_from_slice(pixels);
        out
    }

    /// A 4-bit grey page (rows padded to a byte): each pixel its level. Palette pages, which the
    /// tiff crate does not decode, are a decode error, not a panic.
    #[test]
    fn tiff_4_bit_grey_and_palette() {
        // 3 × 2 pixels, 4-bit grey 0 1 2 / 15 0 1: rows of 2 bytes.
        let pixels = [0x01, 0x20, 0xF0, 0x10];
        let mut map = vec![0u16; 768];
        for i in 0..256 {
            map[i] = (i as u16) << 8; // red ramps
            map[512 + i] = 0xFFFF - ((i as u16) << 8); // blue falls
        }
        let common = |bits: u16, photometric: u16| {
            vec![
                (256, vec![3]),
                (257, vec![2]),
                (258, vec![bits]),
                (259, vec![1]),
                (262, vec![photometric]),
                (277, vec![1]),
                (278, vec![2]),
            ]
        };
        let mut entries = common(8, 3);
        entries.push((320, map));
        let indices = [0, 1, 2, 255, 0, 1];
        let options = ScanOptions {
            color: ColorMode::Color,
            ..ScanOptions::default()
        };
        assert!(matches!(
            load(&tiff_by_hand(&entries, &indices), &options),
            Err(ScanError::Decode(_))
        ));
        let grey = load(&tiff_by_hand(&common(4, 1), &pixels), &options).expect("grey page");
        let row: Vec<u8> = (0..3).map(|x| grey.grey.get_pixel(x, 0).0[0]).collect();
        assert_eq!(row, [0, 17, 34]);
        assert_eq!(grey.grey.get_pixel(0, 1).0[0], 255);
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
