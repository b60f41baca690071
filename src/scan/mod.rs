//! Scanned-page normalization: from a crooked scan to an upright, cropped page.
//!
//! [`normalize`] runs the stages in order, each a function over `image` buffers:
//!
//! 1. [`load`]: PNG, JPEG, TIFF, WebP, GIF or BMP within decode limits, EXIF orientation applied, converted to
//!    grey once (colour kept aside only when [`ColorMode::Color`] asks for it);
//! 2. [`find_page`] (`crop.rs`): the page quadrilateral against a dark scanner border, on a
//!    copy reduced to about 75 dpi, with a threshold that follows the light on the paper (a
//!    side-lit sheet's dim edge is still paper);
//!    when the page is a quadrilateral seen in perspective (a phone photo taken at an angle),
//!    [`warp`] (`perspective.rs`) maps it onto an upright rectangle by a homography and the
//!    stages below run on that rectangle ([`PerspectivePolicy`]);
//! 3. [`ink`] (`binarize.rs`): dark pixels inside the page by a local-mean threshold (integral
//!    image), so uneven light and shadows do not turn paper into ink; pieces as wide and as tall
//!    as a quarter of the page (a frame round it) are no text and are left out;
//! 4. [`estimate_skew`] (`deskew.rs`): projection profiles of the ink, coarse-to-fine over
//!    ±[`ScanOptions::max_skew_deg`] for text lines along the rows and along the columns, with
//!    a confidence ([`PageReport::skew_confidence`]);
//! 5. [`detect_orientation`] (`orient.rs`): which way is up, from the ink above and below the
//!    core of each text line (ascenders, capitals and Vietnamese diacritics sit above);
//! 6. [`render`] (`deskew.rs`): one bilinear resampling pass that turns, deskews, crops and
//!    resamples to [`ScanOptions::output_dpi`], with white fill;
//! 7. QR codes on the rendered grey page (unless [`QrSearch::Skip`]), with the QR module's
//!    decoder and its retry ladder, reported as [`PageReport::qr`]: always **before** the
//!    clean-up, which can destroy modules;
//! 8. only when asked ([`ScanOptions::cleanup`], `clean.rs`): `flatten` (uneven light) and
//!    [`sauvola`] binarization.
//!
//! [`assemble`] (`pdf.rs`) puts normalized pages into a digitized PDF with a conversion mark.
//!
//! **Memory.** Every image buffer (the decoded file, a progressive JPEG's coefficients, the
//! colour page, the output page) is checked against [`ScanOptions::max_alloc_bytes`] (default
//! 80 MiB) from the header, before it is allocated; a PNG's ICC profile and text chunks are
//! skipped unread and other ancillary data (PNG eXIf, JPEG APPn/COM) is capped at 4 MiB. With
//! the default options the pipeline stays under 256 MB resident for any input under 50 MB.
//! Measured peak resident memory of `digitize normalize` (dev build, dependencies at
//! `opt-level = 2`; every hostile file and how it was made: `testdata/scan/README.md`):
//!
//! | input | peak |
//! |---|---|
//! | PNG with an iCCP chunk inflating to 1 GiB (1 MB on disk) | 7 MB (518 MB before) |
//! | PNG with zTXt / iTXt inflating to 1 GiB | 7 MB |
//! | PNG, JPEG, TIFF pixel bombs (11,900² declared, ≤ 1.1 MB on disk) | 6 MB, `Limit` |
//! | JPEG behind 45 MB of APP2 segments | 49 MB, `Limit` |
//! | 12 MP phone photo, 4000 × 3000 colour JPEG | 46 MB grey, 87 MB colour |
//! | A4 scan at 300 dpi, 2480 × 3508 | 35 MB grey, 71 MB colour |
//! | images at the budget (9,100² grey; 5,250² RGB in colour) | 208 MB; 232 MB |
//!
//! Angles follow the issue's convention: `skew_deg` is the counter-clockwise rotation, as
//! displayed, of the content in the input; `orientation_deg` the counter-clockwise quarter
//! turn found in the input. The core reads no clock: [`normalize_observed`] calls an observer
//! at every stage boundary so a caller can time the stages.
//!
//! ```no_run
//! use docseal::scan::{ScanOptions, normalize};
//!
//! let page = normalize(&std::fs::read("scan.jpg")?, &ScanOptions::default())?;
//! println!("skew {:.2}°, turned {}°", page.report.skew_deg, page.report.orientation_deg);
//! page.image.save("page.png")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod binarize;
mod clean;
mod crop;
mod deskew;
mod load;
mod orient;
mod pdf;
mod perspective;

use image::{DynamicImage, GrayImage};
use serde::Serialize;

use self::binarize::ink;
use self::clean::{flatten_mut, sauvola};
use self::crop::find_page;
use self::deskew::{estimate_skew, render};
pub(crate) use self::load::decode as decode_bounded;
pub use self::load::{Loaded, Pages, load, pages};
use self::orient::detect_orientation;
pub use self::pdf::{ConversionMark, PageImage, PdfPage, assemble, jpeg_as_is, page_image};
use self::perspective::{is_perspective, warp};

/// The pipeline's internal steps, public only so that `benches/scan_pipeline.rs` can time each
/// one: not part of the API, they change with the detectors. Use [`normalize`], [`pages`],
/// [`normalize_loaded`] and [`assemble`] with [`ScanOptions`].
#[doc(hidden)]
pub mod steps {
    pub use super::binarize::{Ink, ink};
    pub use super::clean::{flatten, flatten_mut, sauvola};
    pub use super::crop::{PageQuad, find_page};
    pub use super::deskew::{Axis, Skew, estimate_skew, render};
    pub use super::orient::{Orientation, detect_orientation};
    pub use super::perspective::{Homography, is_perspective, warp};
    pub use super::{reduce, work_factor};
}

/// What [`normalize`] does and how much it may spend. `ScanOptions::default()` is the safe
/// choice: every stage on, grey output, decode limits for grey pages up to A3 at 600 dpi.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Largest width or height accepted before decoding, in pixels. Default 12,000 (A3 at
    /// 600 dpi is 7,016 × 9,921).
    pub max_image_side: u32,
    /// Most bytes of one image buffer: the decoded file (a progressive JPEG's coefficients
    /// included), the colour page with [`ColorMode::Color`], and the output page, each checked
    /// from the header before it is allocated. Default 80 MiB: an A3 page at 600 dpi in grey
    /// (70 MB), a 12 MP phone photo in colour (36 MB) or an A4 page at 400 dpi in colour
    /// (47 MB) fit; an A4 page at 600 dpi in colour (104 MB) needs more. The whole pipeline
    /// then peaks under 256 MB resident for any input (measured: table in the module docs).
    pub max_alloc_bytes: u64,
    /// Most pages read from one file (a multi-page TIFF). Default 1,000: a thick dossier
    /// scanned in one go; past it [`pages`] yields a [`ScanError::Limit`].
    pub max_pages: u32,
    /// Widest skew searched, in degrees either way. Default 20; clamped to 1..=44.
    pub max_skew_deg: f32,
    /// Least orientation confidence (0..1) for turning the page by a quarter turn or more.
    /// Default 0.25: below it the page is left as it is and only deskewed.
    pub min_orientation_confidence: f32,
    /// Whether to detect and apply the orientation. Default [`OrientationPolicy::Detect`].
    pub orientation: OrientationPolicy,
    /// Whether to look for the page against a dark border and crop to it. Default
    /// [`CropPolicy::DetectPage`].
    pub crop: CropPolicy,
    /// Grey or colour output. Default [`ColorMode::Gray`].
    pub color: ColorMode,
    /// Resample the output to this resolution (dots per inch) when the input's is known.
    /// Default `None`: keep the input's resolution. Never below the legal minimum of 200 dpi
    /// that the national rules set for scans of paper documents: a lower value is refused with
    /// [`ScanError::OutputBelowLegalMinimum`]. (The caller's default should be 300.)
    pub output_dpi: Option<f32>,
    /// What to do with a scan whose real resolution is below the legal minimum of 200 dpi.
    /// Default [`ResolutionPolicy::Warn`].
    pub resolution: ResolutionPolicy,
    /// Clean-up of the normalized page. Default [`Cleanup::None`].
    pub cleanup: Cleanup,
    /// Whether to read the QR codes on the page. Default [`QrSearch::Decode`].
    pub qr: QrSearch,
    /// Whether to undo the perspective of a page photographed at an angle. Default
    /// [`PerspectivePolicy::Correct`].
    pub perspective: PerspectivePolicy,
}

/// What [`normalize`] does with a page whose outline is not a turned rectangle (a phone photo
/// taken at an angle: the far edge looks shorter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerspectivePolicy {
    /// When the page was found against a darker background ([`CropPolicy::DetectPage`]) and
    /// its opposite sides differ by more than 1.5° in direction or 1.5 % in length, map its
    /// four corners onto an upright rectangle ([`warp`]) before deskewing and turning.
    Correct,
    /// Treat every page as a turned rectangle.
    Ignore,
}

/// Opposite sides of a page found on a scanner bed agree within about 0.2° and 0.3 % (corners
/// from a 75 dpi outline, ±1 pixel); past 1.5° or 1.5 % the page was photographed at an angle.
const MAX_TURNED_RECTANGLE: f32 = 1.5;

/// What [`normalize`] does with a scan below the legal minimum of 200 dpi. Resampling adds no
/// detail: a 150 dpi scan resampled to 300 dpi is still a 150 dpi scan, so the rule looks at
/// the real resolution, the one stated by the file ([`PageReport::dpi`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolutionPolicy {
    /// Normalize it and flag it ([`PageReport::below_legal_minimum`]).
    Warn,
    /// Refuse it with [`ScanError::BelowLegalMinimum`]; also refuse a file that states no
    /// resolution ([`ScanError::UnknownResolution`]), since nothing shows it is 200 dpi or more.
    Refuse,
}

/// Whether [`normalize`] reads QR codes on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrSearch {
    /// Read every QR code on the rendered grey page, before any clean-up. Measured on a 2-core
    /// machine, release build, A4 at 300 dpi: 100 to 130 ms when the code reads at the first
    /// rung of the retry ladder, about 290 ms on a page without a code (every rung runs).
    Decode,
    /// Do not look for QR codes ([`PageReport::qr`] stays empty).
    Skip,
}

/// The legal minimum resolution of a digitized page (dots per inch): pages below it are
/// flagged in [`PageReport::below_legal_minimum`]. Not `pub`: cbindgen would put a public
/// constant into the C header.
pub(crate) const MIN_LEGAL_DPI: f32 = 200.0;

/// Clean-up of the normalized page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cleanup {
    /// None: the page as scanned, only turned, deskewed and cropped.
    None,
    /// Flatten uneven light (`clean.rs`); colour stays colour.
    Flatten,
    /// Flatten, then binarize ([`sauvola`]); the output is grey with only 0 and 255.
    Binarize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            max_image_side: 12_000,
            max_alloc_bytes: 80 * 1024 * 1024,
            max_pages: 1000,
            max_skew_deg: 20.0,
            min_orientation_confidence: 0.25,
            orientation: OrientationPolicy::Detect,
            crop: CropPolicy::DetectPage,
            color: ColorMode::Gray,
            output_dpi: None,
            resolution: ResolutionPolicy::Warn,
            cleanup: Cleanup::None,
            qr: QrSearch::Decode,
            perspective: PerspectivePolicy::Correct,
        }
    }
}

/// Whether [`normalize`] turns pages by quarter turns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrientationPolicy {
    /// Detect 0/90/180/270 and turn when the confidence is high enough.
    Detect,
    /// Never turn by a quarter turn (the skew is still corrected).
    Keep,
}

/// Whether [`normalize`] crops to the detected page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CropPolicy {
    /// Find the page against a dark scanner border and keep only the page.
    DetectPage,
    /// Keep the whole image (deskewed in place, same size). The page is still looked for,
    /// so that the border's edge does not count as text in the skew and orientation.
    Keep,
}

/// Output pixel format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    /// 8-bit grey.
    Gray,
    /// 8-bit RGB (red seals and signatures stay red).
    Color,
}

/// A stage of [`normalize`], as passed to the observer of [`normalize_observed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Decoding within limits, EXIF orientation, conversion to grey.
    Load,
    /// The page quadrilateral.
    Page,
    /// Ink mask inside the page.
    Binarize,
    /// Skew angle and text-line axis.
    Skew,
    /// Which way is up.
    Orientation,
    /// Perspective correction of a photographed page (then the stages from [`Stage::Page`]
    /// run again on the corrected page).
    Perspective,
    /// Resampling: turn, deskew, crop, resolution.
    Render,
    /// QR codes on the rendered page (when [`QrSearch::Decode`]).
    Qr,
    /// Flattening and binarization (when asked).
    Cleanup,
    /// Finished (the observer is called once more, with this, at the end).
    Done,
}

/// What [`normalize`] found and did on one page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageReport {
    /// Skew of the content in the input, degrees, counter-clockwise as displayed positive
    /// (the page was turned clockwise by this much to correct it).
    pub skew_deg: f64,
    /// How sure the skew is, 0..1 (the best score over the worst across the angles searched,
    /// Leptonica's ratio, 0 up to 2 and 1 from 10; see `Skew::confidence` in `scan/deskew.rs`): near 0 the page
    /// showed no text lines at any angle and `skew_deg` is a guess; 0 with too little ink to
    /// measure (`skew_deg` is then 0, not measured). For a photographed page, that of the lines
    /// on the mapped rectangle (the sheet's own skew comes from its corners).
    pub skew_confidence: f32,
    /// The counter-clockwise quarter turn found in the input and undone: 0, 90, 180 or 270.
    /// 0 also when the detector was unsure (see `orientation_candidate_deg`).
    pub orientation_deg: u16,
    /// The most likely quarter turn, applied or not.
    pub orientation_candidate_deg: u16,
    /// Confidence of the candidate, 0..1 (0 when there was too little text to judge).
    pub orientation_confidence: f32,
    /// The page corners in input pixels (after EXIF), in the order top-left, top-right,
    /// bottom-right, bottom-left of the upright page; the whole image when no border was found.
    pub page_quad: [[f32; 2]; 4],
    /// Whether a dark border around the page was found (and cropped, unless
    /// [`CropPolicy::Keep`]).
    pub border_found: bool,
    /// Whether the page was seen in perspective and mapped onto a rectangle
    /// ([`PerspectivePolicy::Correct`]); `skew_deg` is then the sheet's skew in the photo (the
    /// mean angle of its top and bottom edges, which perspective makes differ) plus what
    /// remained on the mapped rectangle.
    pub perspective: bool,
    /// The real resolution of the scan, dots per inch, as the file states it (JFIF density,
    /// PNG pHYs, TIFF XResolution); `None` when it states none. Resampling does not change it.
    pub dpi: Option<f32>,
    /// Resolution of the output image, dots per inch: [`ScanOptions::output_dpi`] when the
    /// scan's was known, else the scan's. Page sizes in the digitized PDF come from it.
    pub output_dpi: Option<f32>,
    /// The real resolution ([`Self::dpi`]) is known and below the legal minimum of 200 dpi
    /// (only possible with [`ResolutionPolicy::Warn`]).
    pub below_legal_minimum: bool,
    /// The EXIF orientation tag value applied at load (1 = none).
    pub exif_orientation: u8,
    /// Input size in pixels (after EXIF).
    pub input_size: [u32; 2],
    /// Output size in pixels.
    pub output_size: [u32; 2],
    /// How much of the page was ink, 0..1 (too little means the skew is a guess).
    pub ink_fraction: f32,
    /// Texts of the QR codes read on the normalized page (before clean-up), in the order found;
    /// empty when none was read or with [`QrSearch::Skip`].
    pub qr: Vec<String>,
    /// QR symbols located but not decodable (counted only when none on the page decoded: the
    /// decoder stops at the first variant of the page that reads a code).
    pub qr_unreadable: u32,
    /// Whether the input file itself may go into a digitized PDF unchanged ([`jpeg_as_is`]):
    /// an upright JPEG (no EXIF turn) that normalization left as it was. Set by [`normalize`];
    /// always `false` from [`normalize_loaded`], which never sees the file.
    pub jpeg_as_is: bool,
}

/// A normalized page and its report.
#[derive(Clone, Debug)]
pub struct Normalized {
    /// The upright, deskewed, cropped page: `Luma8`, or `Rgb8` with [`ColorMode::Color`].
    pub image: DynamicImage,
    /// What was found and done.
    pub report: PageReport,
}

/// Why a page could not be normalized at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The bytes are not an image in a supported format (PNG, JPEG, TIFF, WebP, GIF, BMP).
    #[error("input is not a decodable image")]
    Decode(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A configured limit was reached before decoding finished.
    #[error("limit reached: {what} exceeds {max}")]
    Limit {
        /// What was too large.
        what: &'static str,
        /// The limit.
        max: u64,
    },
    /// [`ScanOptions::output_dpi`] asks for less than the legal minimum of 200 dpi.
    #[error("output resolution of {dpi} dpi is below the legal minimum of 200 dpi")]
    OutputBelowLegalMinimum {
        /// The resolution asked for.
        dpi: f32,
    },
    /// The scan's real resolution is below the legal minimum of 200 dpi
    /// ([`ResolutionPolicy::Refuse`]).
    #[error("scan resolution of {dpi} dpi is below the legal minimum of 200 dpi")]
    BelowLegalMinimum {
        /// The resolution the file states.
        dpi: f32,
    },
    /// The file states no resolution, so it cannot be shown to meet the legal minimum
    /// ([`ResolutionPolicy::Refuse`]).
    #[error("the file states no resolution")]
    UnknownResolution,
    /// The image is too small to hold a page (fewer than 32 pixels a side).
    #[error("image of {width} x {height} pixels is too small for a page")]
    TooSmall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// Normalizes one scanned page: load, find the page, deskew, turn upright, crop.
///
/// # Errors
/// [`ScanError::Decode`] when the bytes are not a PNG, JPEG, TIFF, WebP, GIF or BMP image,
/// [`ScanError::Limit`] when the image exceeds the options' decode limits,
/// [`ScanError::TooSmall`] below 32 pixels a side; [`ScanError::Limit`] also when the output
/// page would exceed `max_alloc_bytes`.
pub fn normalize(bytes: &[u8], options: &ScanOptions) -> Result<Normalized, ScanError> {
    normalize_observed(bytes, options, &mut |_| {})
}

/// [`normalize`], calling `observer` as each stage starts and once with [`Stage::Done`] at the
/// end (the core reads no clock; a caller times the stages here).
///
/// # Errors
/// As [`normalize`].
pub fn normalize_observed(
    bytes: &[u8],
    options: &ScanOptions,
    observer: &mut dyn FnMut(Stage),
) -> Result<Normalized, ScanError> {
    observer(Stage::Load);
    let loaded = load(bytes, options)?;
    let mut page = normalize_loaded(&loaded, options, observer)?;
    page.report.jpeg_as_is = jpeg_as_is(bytes, &page.report, options);
    Ok(page)
}

/// The stages after [`load`], on an already decoded page.
///
/// # Errors
/// [`ScanError::TooSmall`] below 32 pixels a side, [`ScanError::Limit`] when the output page
/// (after resampling to [`ScanOptions::output_dpi`]) would exceed `max_alloc_bytes`;
/// [`ScanError::OutputBelowLegalMinimum`] when `output_dpi` is below 200;
/// [`ScanError::BelowLegalMinimum`] and [`ScanError::UnknownResolution`] with
/// [`ResolutionPolicy::Refuse`].
pub fn normalize_loaded(
    loaded: &Loaded,
    options: &ScanOptions,
    observer: &mut dyn FnMut(Stage),
) -> Result<Normalized, ScanError> {
    if let Some(want) = options.output_dpi
        && (want.is_nan() || want < MIN_LEGAL_DPI)
    {
        return Err(ScanError::OutputBelowLegalMinimum { dpi: want });
    }
    if options.resolution == ResolutionPolicy::Refuse {
        match loaded.dpi {
            None => return Err(ScanError::UnknownResolution),
            Some(dpi) if dpi < MIN_LEGAL_DPI => {
                return Err(ScanError::BelowLegalMinimum { dpi });
            }
            Some(_) => {}
        }
    }
    let grey = &loaded.grey;
    let (width, height) = grey.dimensions();
    if width < 32 || height < 32 {
        return Err(ScanError::TooSmall { width, height });
    }
    observer(Stage::Page);
    let factor = work_factor(width, height);
    let work = reduce(grey, factor);
    // Found even when not cropping: the analysis must not take the border's edge for ink.
    // The page's outline needs no detail: half the working resolution (about 75 dpi).
    let page = find_page(&reduce(&work, 2)).scaled(2.0);
    let scale = factor as f32;
    let quad_in = page.corners.map(|[x, y]| [x * scale, y * scale]);
    if options.crop == CropPolicy::DetectPage
        && options.perspective == PerspectivePolicy::Correct
        && page.border
        && is_perspective(&quad_in, MAX_TURNED_RECTANGLE)
    {
        return rectify(loaded, options, observer, quad_in, 2.0 * scale);
    }
    observer(Stage::Binarize);
    let ink = ink(&work, &page);
    observer(Stage::Skew);
    let skew = estimate_skew(&ink, options.max_skew_deg);
    observer(Stage::Orientation);
    let found = detect_orientation(&ink, &skew);
    let turn = match options.orientation {
        OrientationPolicy::Detect if found.confidence >= options.min_orientation_confidence => {
            found.degrees
        }
        _ => 0,
    };
    observer(Stage::Render);
    let source = match options.color {
        ColorMode::Gray => Source::Gray(grey),
        ColorMode::Color => Source::Rgb(&loaded.color),
    };
    // Output pixels per input pixel: resampling to the asked resolution when the input's is
    // known (a file without density is never guessed at).
    let (zoom, output_dpi) = output_zoom(options, loaded);
    let crop = options.crop == CropPolicy::DetectPage && page.border;
    let (out_w, out_h, centre) = if crop {
        let (w, h) = quad_size(&quad_in);
        // A page shows its border at the anti-aliased edge: keep one reduced pixel inside.
        let inset = 2.0 * scale;
        (w - inset, h - inset, quad_centre(&quad_in))
    } else {
        let (w, h) = (width as f32, height as f32);
        (w, h, [w / 2.0, h / 2.0])
    };
    let (out_w, out_h) = (
        ((out_w * zoom).round() as u32).max(1),
        ((out_h * zoom).round() as u32).max(1),
    );
    let (out_w, out_h) = if turn % 180 == 90 {
        (out_h, out_w)
    } else {
        (out_w, out_h)
    };
    let channels: u64 = if matches!(source, Source::Rgb(_)) {
        3
    } else {
        1
    };
    if u64::from(out_w) * u64::from(out_h) * channels > options.max_alloc_bytes {
        return Err(ScanError::Limit {
            what: "output page in bytes",
            max: options.max_alloc_bytes,
        });
    }
    let angle = f64::from(turn) + skew.angle_deg;
    let mut image = match source {
        Source::Gray(g) => DynamicImage::ImageLuma8(render(g, centre, angle, zoom, out_w, out_h)),
        Source::Rgb(c) => DynamicImage::ImageRgb8(render(c, centre, angle, zoom, out_w, out_h)),
    };
    let (qr, qr_unreadable) = match options.qr {
        QrSearch::Decode => {
            observer(Stage::Qr);
            let found = match &image {
                DynamicImage::ImageLuma8(grey) => crate::qr::decode_grey(grey),
                other => crate::qr::decode_grey(&other.to_luma8()),
            };
            let unreadable = found.iter().filter(|r| r.is_err()).count();
            (
                found.into_iter().filter_map(Result::ok).collect(),
                u32::try_from(unreadable).unwrap_or(u32::MAX),
            )
        }
        QrSearch::Skip => (Vec::new(), 0),
    };
    if options.cleanup != Cleanup::None {
        observer(Stage::Cleanup);
        image = cleanup(image, options.cleanup, output_dpi);
    }
    observer(Stage::Done);
    // Image-frame corners (TL, TR, BR, BL) to the upright page's order.
    let k = usize::from(turn / 90);
    let page_quad = std::array::from_fn(|i| quad_in[(i + 4 - k) % 4]);
    Ok(Normalized {
        image,
        report: PageReport {
            skew_deg: skew.angle_deg,
            skew_confidence: skew.confidence as f32,
            orientation_deg: turn,
            orientation_candidate_deg: found.degrees,
            orientation_confidence: found.confidence,
            page_quad,
            border_found: page.border,
            perspective: false,
            dpi: loaded.dpi,
            output_dpi,
            below_legal_minimum: loaded.dpi.is_some_and(|d| d < MIN_LEGAL_DPI),
            exif_orientation: loaded.exif_orientation,
            input_size: [width, height],
            output_size: [out_w, out_h],
            ink_fraction: ink.fraction,
            qr,
            qr_unreadable,
            jpeg_as_is: false,
        },
    })
}

/// Output pixels per input pixel, and the output resolution: resampling to the asked resolution
/// when the input's is known (a file without density is never guessed at).
fn output_zoom(options: &ScanOptions, loaded: &Loaded) -> (f32, Option<f32>) {
    match (options.output_dpi, loaded.dpi) {
        (Some(want), Some(have)) if want > 0.0 && have > 0.0 => {
            ((want / have).clamp(0.05, 8.0), Some(want))
        }
        (_, have) => (1.0, have),
    }
}

/// A page seen in perspective: `quad` (image frame, TL, TR, BR, BL, in input pixels) mapped
/// onto an upright rectangle as long as its longer opposite sides, `inset` pixels inside the
/// outline, then the stages again on that rectangle (no border left to find, no second
/// resampling to a resolution), the report made to speak of the input.
fn rectify(
    loaded: &Loaded,
    options: &ScanOptions,
    observer: &mut dyn FnMut(Stage),
    quad: [[f32; 2]; 4],
    inset: f32,
) -> Result<Normalized, ScanError> {
    observer(Stage::Perspective);
    let centre = quad_centre(&quad);
    let inner_quad = quad.map(|[x, y]| {
        let (dx, dy) = (centre[0] - x, centre[1] - y);
        let d = dx.hypot(dy).max(f32::EPSILON);
        let step = inset * std::f32::consts::SQRT_2;
        [x + dx / d * step, y + dy / d * step]
    });
    let d = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
    let w = d(inner_quad[0], inner_quad[1]).max(d(inner_quad[3], inner_quad[2]));
    let h = d(inner_quad[0], inner_quad[3]).max(d(inner_quad[1], inner_quad[2]));
    // A photo's stated density is the camera's nominal one (72 dpi from most phones), not the
    // sheet's: the sheet is sampled by the photo's own pixels, and enlarging adds nothing to
    // them (a 12 MP photo "at 72 dpi" asked at 300 dpi came out 4.2 times larger, past the
    // budget). A photographed page is reduced to the asked resolution, never enlarged.
    let (zoom, output_dpi) = match output_zoom(options, loaded) {
        (zoom, _) if zoom > 1.0 => (1.0, loaded.dpi),
        kept => kept,
    };
    let (out_w, out_h) = (
        ((w * zoom).round() as u32).max(1),
        ((h * zoom).round() as u32).max(1),
    );
    let channels: u64 = if options.color == ColorMode::Color {
        3
    } else {
        1
    };
    if u64::from(out_w) * u64::from(out_h) * channels > options.max_alloc_bytes {
        return Err(ScanError::Limit {
            what: "output page in bytes",
            max: options.max_alloc_bytes,
        });
    }
    let flat = Loaded {
        grey: warp(&loaded.grey, &inner_quad, out_w, out_h),
        color: match options.color {
            ColorMode::Color => warp(&loaded.color, &inner_quad, out_w, out_h),
            ColorMode::Gray => image::RgbImage::new(0, 0),
        },
        dpi: output_dpi,
        exif_orientation: loaded.exif_orientation,
    };
    let inner = ScanOptions {
        crop: CropPolicy::Keep,
        output_dpi: None,
        resolution: ResolutionPolicy::Warn,
        perspective: PerspectivePolicy::Ignore,
        ..*options
    };
    let mut page = normalize_loaded(&flat, &inner, observer)?;
    let r = &mut page.report;
    let k = usize::from(r.orientation_deg / 90);
    r.page_quad = std::array::from_fn(|i| quad[(i + 4 - k) % 4]);
    // The skew of the content in the photo: the sheet's (the mean angle of its top and bottom
    // edges, as the upright page has them) plus what remained on the mapped rectangle.
    r.skew_deg += sheet_skew(&r.page_quad, r.orientation_deg);
    r.border_found = true;
    r.perspective = true;
    r.dpi = loaded.dpi;
    r.below_legal_minimum = loaded.dpi.is_some_and(|d| d < MIN_LEGAL_DPI);
    r.exif_orientation = loaded.exif_orientation;
    r.input_size = [loaded.grey.width(), loaded.grey.height()];
    Ok(page)
}

/// The counter-clockwise angle (degrees, as displayed) of a sheet's top and bottom edges, mean
/// of the two, for corners in the upright page's order (TL, TR, BR, BL) turned by `turn`
/// degrees: 0 for a sheet whose top edge runs along the rows (or, turned, the columns).
fn sheet_skew(q: &[[f32; 2]; 4], turn: u16) -> f64 {
    let edge = |a: [f32; 2], b: [f32; 2]| {
        // Image y points down: counter-clockwise as displayed is atan2(−dy, dx).
        let deg = f64::from(a[1] - b[1])
            .atan2(f64::from(b[0] - a[0]))
            .to_degrees();
        (deg - f64::from(turn) + 540.0).rem_euclid(360.0) - 180.0
    };
    (edge(q[0], q[1]) + edge(q[3], q[2])) / 2.0
}

#[doc(hidden)]
/// The reduction factor that brings a page to about 150 dpi for A4 (long side ≤ 2,400 px):
/// enough for skew to a few hundredths of a degree, and cheap.
pub fn work_factor(width: u32, height: u32) -> u32 {
    width.max(height).div_ceil(2400).max(1)
}

#[doc(hidden)]
/// `grey` reduced by an integer factor, each output pixel the mean of a `factor` × `factor`
/// block (partial blocks at the right and bottom edges are averaged over what exists).
pub fn reduce(grey: &GrayImage, factor: u32) -> GrayImage {
    if factor <= 1 || grey.width() == 0 || grey.height() == 0 {
        return grey.clone();
    }
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let f = factor as usize;
    let (ow, oh) = (w.div_ceil(f), h.div_ceil(f));
    let raw = grey.as_raw();
    let mut column_sums = vec![0u32; w];
    let mut out = Vec::with_capacity(ow * oh);
    for rows in raw.chunks(w * f) {
        // Sum the block's rows column by column (vectorizes), then each block of columns.
        column_sums.fill(0);
        for row in rows.chunks_exact(w) {
            for (sum, &v) in column_sums.iter_mut().zip(row) {
                *sum += u32::from(v);
            }
        }
        let n_rows = (rows.len() / w) as u32;
        out.extend(
            column_sums
                .chunks(f)
                .map(|block| (block.iter().sum::<u32>() / (block.len() as u32 * n_rows)) as u8),
        );
    }
    GrayImage::from_raw(ow as u32, oh as u32, out)
        .unwrap_or_else(|| GrayImage::new(ow as u32, oh as u32))
}

fn cleanup(image: DynamicImage, cleanup: Cleanup, dpi: Option<f32>) -> DynamicImage {
    match (cleanup, image) {
        (Cleanup::None, image) => image,
        (Cleanup::Flatten, DynamicImage::ImageRgb8(mut rgb)) => {
            let grey = DynamicImage::ImageRgb8(rgb.clone()).to_luma8();
            flatten_mut(&mut rgb, &grey);
            DynamicImage::ImageRgb8(rgb)
        }
        (Cleanup::Flatten, image) => {
            let mut grey = image.to_luma8();
            let copy = grey.clone();
            flatten_mut(&mut grey, &copy);
            DynamicImage::ImageLuma8(grey)
        }
        (Cleanup::Binarize, image) => {
            let mut grey = image.to_luma8();
            let copy = grey.clone();
            flatten_mut(&mut grey, &copy);
            // A window of about 5 mm (60 px at 300 dpi): several strokes and their paper.
            let window = dpi.map_or(grey.width().max(grey.height()) / 58, |d| (d / 5.0) as u32);
            DynamicImage::ImageLuma8(sauvola(&grey, window.max(15)))
        }
    }
}

enum Source<'a> {
    Gray(&'a GrayImage),
    Rgb(&'a image::RgbImage),
}

/// Mean side lengths (width, height) of a quadrilateral TL, TR, BR, BL.
fn quad_size(q: &[[f32; 2]; 4]) -> (f32, f32) {
    let d = |a: [f32; 2], b: [f32; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    (
        (d(q[0], q[1]) + d(q[3], q[2])) / 2.0,
        (d(q[0], q[3]) + d(q[1], q[2])) / 2.0,
    )
}

fn quad_centre(q: &[[f32; 2]; 4]) -> [f32; 2] {
    [
        q.iter().map(|p| p[0]).sum::<f32>() / 4.0,
        q.iter().map(|p| p[1]).sum::<f32>() / 4.0,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_averages_blocks() {
        let img = GrayImage::from_fn(5, 3, |x, _| image::Luma([if x < 2 { 0 } else { 200 }]));
        let r = reduce(&img, 2);
        assert_eq!(r.dimensions(), (3, 2));
        assert_eq!(r.get_pixel(0, 0).0[0], 0);
        assert_eq!(r.get_pixel(1, 0).0[0], 200);
        assert_eq!(r.get_pixel(2, 1).0[0], 200);
        assert_eq!(reduce(&GrayImage::new(0, 5), 3).dimensions(), (0, 5));
    }

    #[test]
    fn work_factor_targets_150_dpi() {
        assert_eq!(work_factor(1240, 1754), 1);
        assert_eq!(work_factor(2480, 3508), 2);
        assert_eq!(work_factor(4960, 7016), 3);
    }
}
