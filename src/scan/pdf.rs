//! The digitized PDF: normalized pages in one PDF (ISO 32000-2), page size from each page's
//! resolution, JPEG pages embedded as they are (`/DCTDecode`, no re-encoding), grey and colour
//! pages Flate-compressed, bilevel pages as 1-bit Flate (lossless), document information and a
//! conversion mark: visible on every page and, in full (UTF-8, Vietnamese names), in the
//! document information dictionary. The signature of the converting body comes later, as an
//! incremental update of these bytes.

use std::io::Write as _;

use image::{GrayImage, RgbImage};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};

use super::{Cleanup, ColorMode, Normalized, PageReport, ScanError, ScanOptions};

/// One page's pixels for [`assemble`].
#[derive(Clone, Debug)]
pub enum PageImage {
    /// A baseline or progressive JPEG with 1 (grey) or 3 (YCbCr / RGB) components, embedded
    /// byte for byte.
    Jpeg(Vec<u8>),
    /// 8-bit grey, Flate-compressed.
    Gray(GrayImage),
    /// 8-bit RGB, Flate-compressed.
    Rgb(RgbImage),
    /// Black and white (0 is black, anything else white), 1 bit per pixel, Flate-compressed.
    Bilevel(GrayImage),
}

/// Whether `source`, the file a page was normalized from, can go into the digitized PDF byte
/// for byte ([`PageImage::Jpeg`]) instead of the normalized pixels: only a JPEG with 1 or 3
/// components and metadata within the loader's cap, stored upright (EXIF Orientation absent
/// or 1: a PDF viewer ignores EXIF, so a turned JPEG would show sideways), that normalization
/// left as it was (no quarter turn, skew under 0.05°, no perspective, no crop, no resampling,
/// no clean-up: `report.output_size` is the file's size) at a known resolution, and not a
/// colour JPEG when grey output was asked for. `report` is the page's [`PageReport`], from
/// [`normalize`](super::normalize) or [`normalize_loaded`](super::normalize_loaded) with the
/// same `options`. [`normalize`](super::normalize) also states it as
/// [`PageReport::jpeg_as_is`].
pub fn jpeg_as_is(source: &[u8], report: &PageReport, options: &ScanOptions) -> bool {
    let Some((frame, metadata)) = super::load::jpeg_frame(source) else {
        return false;
    };
    let components_ok = match options.color {
        ColorMode::Gray => frame.components == 1,
        ColorMode::Color => matches!(frame.components, 1 | 3),
    };
    components_ok
        && metadata <= super::load::MAX_ANCILLARY_BYTES
        && exif_upright(source)
        && report.exif_orientation == 1
        && report.orientation_deg == 0
        && report.skew_deg.abs() < 0.05
        && !report.perspective
        && report.input_size == [frame.width, frame.height]
        && report.output_size == report.input_size
        && report.dpi.is_some()
        && report.output_dpi == report.dpi
        && options.cleanup == Cleanup::None
}

/// The image of a normalized page for [`assemble`]: `source` itself when [`jpeg_as_is`] says
/// so, else the normalized pixels (1-bit with [`Cleanup::Binarize`], RGB in colour, else grey).
pub fn page_image(source: &[u8], page: Normalized, options: &ScanOptions) -> PageImage {
    if jpeg_as_is(source, &page.report, options) {
        return PageImage::Jpeg(source.to_vec());
    }
    match (options.cleanup, page.image) {
        (Cleanup::Binarize, image) => PageImage::Bilevel(image.to_luma8()),
        (_, image::DynamicImage::ImageRgb8(rgb)) => PageImage::Rgb(rgb),
        (_, image) => PageImage::Gray(image.into_luma8()),
    }
}

/// A JPEG without EXIF orientation, or with Orientation 1 (EXIF 2.3 §4.6.4).
fn exif_upright(jpeg: &[u8]) -> bool {
    use zune_core::bytestream::ZCursor;
    let mut decoder = zune_jpeg::JpegDecoder::new(ZCursor::new(jpeg));
    if decoder.decode_headers().is_err() {
        return false;
    }
    decoder
        .exif()
        .and_then(|exif| image::metadata::Orientation::from_exif_chunk(exif))
        .is_none_or(|o| o == image::metadata::Orientation::NoTransforms)
}

/// One page of the digitized PDF.
#[derive(Clone, Debug)]
pub struct PdfPage {
    /// The pixels.
    pub image: PageImage,
    /// Resolution in dots per inch: the page is `width / dpi` inches wide.
    pub dpi: f32,
}

/// Who converted what, when: the conversion mark (Law on Electronic Transactions 20/2023,
/// Art. 12: a document converted from paper carries a conversion mark and the converter's
/// identity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionMark {
    /// The person who converted (any script, e.g. "Nguyễn Thị Lan").
    pub converter: String,
    /// The converting body.
    pub organisation: String,
    /// When, RFC 3339 (the caller's clock: the core reads none).
    pub converted_at: String,
    /// What was converted (e.g. "Giấy phép xây dựng số 123/GPXD, bản giấy").
    pub source: String,
}

/// Assembles pages into a PDF with the conversion mark.
///
/// # Errors
/// [`ScanError::Decode`] when a JPEG page's header cannot be read or it has neither 1 nor 3
/// components, or when writing fails; [`ScanError::TooSmall`] for an empty page list, a page
/// without pixels or a resolution that is not positive.
pub fn assemble(pages: &[PdfPage], mark: &ConversionMark) -> Result<Vec<u8>, ScanError> {
    if pages.is_empty() {
        return Err(ScanError::TooSmall {
            width: 0,
            height: 0,
        });
    }
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut kids = Vec::new();
    for page in pages {
        let (xobject, width, height) = image_xobject(&page.image)?;
        if width == 0 || height == 0 || page.dpi.is_nan() || page.dpi <= 0.0 {
            return Err(ScanError::TooSmall { width, height });
        }
        let (w_pt, h_pt) = (
            f64::from(width) * 72.0 / f64::from(page.dpi),
            f64::from(height) * 72.0 / f64::from(page.dpi),
        );
        let image_id = doc.add_object(xobject);
        // The image fills the page; the mark is a line of 6 pt text in the bottom margin.
        let content = format!(
            "q {w_pt:.4} 0 0 {h_pt:.4} 0 0 cm /Im0 Do Q\n\
             BT /F1 6 Tf 0 g 18 8 Td ({}) Tj ET\n",
            pdf_escape(&visible_mark(mark))
        );
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), (w_pt as f32).into(), (h_pt as f32).into()],
            "Resources" => dictionary! {
                "XObject" => dictionary! { "Im0" => image_id },
                "Font" => dictionary! { "F1" => font },
            },
            "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => text(&mark.source),
        "Author" => text(&mark.converter),
        "Subject" => text(&format!(
            "Chuyển đổi từ văn bản giấy / converted from paper: {}",
            mark.source
        )),
        "Creator" => text(&mark.organisation),
        "Producer" => text("docseal"),
        "CreationDate" => text(&pdf_date(&mark.converted_at)),
        "DocsealConvertedBy" => text(&mark.converter),
        "DocsealConvertingBody" => text(&mark.organisation),
        "DocsealConvertedAt" => text(&mark.converted_at),
        "DocsealConvertedFrom" => text(&mark.source),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| ScanError::Decode(Box::new(e)))?;
    Ok(out)
}

/// The image XObject of a page and its pixel size.
fn image_xobject(image: &PageImage) -> Result<(Stream, u32, u32), ScanError> {
    let (dict, data, width, height) = match image {
        PageImage::Jpeg(bytes) => {
            let (width, height, components) = jpeg_header(bytes)?;
            let space = if components == 1 {
                "DeviceGray"
            } else {
                "DeviceRGB"
            };
            let dict = dictionary! {
                "ColorSpace" => space, "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            };
            (dict, bytes.clone(), width, height)
        }
        PageImage::Gray(g) => (
            flate_dict("DeviceGray", 8),
            deflate(g.as_raw())?,
            g.width(),
            g.height(),
        ),
        PageImage::Rgb(c) => (
            flate_dict("DeviceRGB", 8),
            deflate(c.as_raw())?,
            c.width(),
            c.height(),
        ),
        PageImage::Bilevel(g) => {
            // Rows padded to whole bytes; with DeviceGray 1 bit, 0 is black and 1 white.
            let row_bytes = (g.width() as usize).div_ceil(8);
            let mut packed = vec![0u8; row_bytes * g.height() as usize];
            for (y, row) in g
                .as_raw()
                .chunks_exact(g.width().max(1) as usize)
                .enumerate()
            {
                for (x, &v) in row.iter().enumerate() {
                    if v != 0 {
                        packed[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
                    }
                }
            }
            (
                flate_dict("DeviceGray", 1),
                deflate(&packed)?,
                g.width(),
                g.height(),
            )
        }
    };
    let mut dict = dict;
    dict.set("Type", "XObject");
    dict.set("Subtype", "Image");
    dict.set("Width", i64::from(width));
    dict.set("Height", i64::from(height));
    Ok((
        Stream::new(dict, data).with_compression(false),
        width,
        height,
    ))
}

fn flate_dict(space: &str, bits: i64) -> Dictionary {
    dictionary! { "ColorSpace" => space, "BitsPerComponent" => bits, "Filter" => "FlateDecode" }
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, ScanError> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data)
        .and_then(|()| z.finish())
        .map_err(|e| ScanError::Decode(Box::new(e)))
}

/// Width, height and component count from a JPEG's frame header (ITU-T T.81 §B.2.2).
fn jpeg_header(bytes: &[u8]) -> Result<(u32, u32, u8), ScanError> {
    use zune_core::bytestream::ZCursor;
    let mut decoder = zune_jpeg::JpegDecoder::new(ZCursor::new(bytes));
    decoder
        .decode_headers()
        .map_err(|e| ScanError::Decode(format!("JPEG page: {e:?}").into()))?;
    let info = decoder
        .info()
        .ok_or_else(|| ScanError::Decode("JPEG page without a frame header".into()))?;
    match info.components {
        1 | 3 => Ok((
            u32::from(info.width),
            u32::from(info.height),
            info.components,
        )),
        n => Err(ScanError::Decode(
            format!("JPEG page with {n} components (1 or 3 embed as they are)").into(),
        )),
    }
}

/// The visible mark, in the ASCII that the standard Helvetica shows everywhere; the full mark
/// with its Vietnamese names is in the document information.
fn visible_mark(mark: &ConversionMark) -> String {
    format!(
        "Ban chuyen doi tu van ban giay / converted from paper - {} - converter and source: see document properties",
        mark.converted_at
            .chars()
            .filter(char::is_ascii)
            .collect::<String>()
    )
}

/// A PDF text string (ISO 32000-2 §7.9.2.2): UTF-16BE with a byte order mark.
fn text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `D:YYYYMMDDHHmmSS+HH'mm'` (ISO 32000-2 §7.9.4) from RFC 3339; the text as given otherwise.
fn pdf_date(rfc3339: &str) -> String {
    match time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339) {
        Ok(t) => {
            let (h, m, _) = t.offset().as_hms();
            format!(
                "D:{:04}{:02}{:02}{:02}{:02}{:02}{}{:02}'{:02}'",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                if t.offset().is_negative() { '-' } else { '+' },
                h.unsigned_abs(),
                m.unsigned_abs()
            )
        }
        Err(_) => rfc3339.to_owned(),
    }
}

fn pdf_escape(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii)
        .flat_map(|c| match c {
            '(' | ')' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_and_text_strings() {
        assert_eq!(
            pdf_date("2030-03-16T09:05:00+07:00"),
            "D:20300316090500+07'00'"
        );
        assert_eq!(
            text("Ủy"),
            Object::String(
                vec![0xFE, 0xFF, 0x1E, 0xE6, 0, b'y'],
                StringFormat::Hexadecimal
            )
        );
        assert_eq!(pdf_escape("a(b)\\ư"), "a\\(b\\)\\\\");
    }
}
