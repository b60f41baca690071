//! Scanned-page normalization against the rendered fixtures of `testdata/scan/` (generator
//! `testdata/scan/gen/make_scans.py`, truth in `testdata/scan/manifest.json`).
//!
//! Tolerances, stated once: skew within 0.2° on every page and 0.05° on average (the issue's
//! targets); orientation exact on every page, applied (confidence above the default
//! threshold); page corners within 1 mm (5.9 px at 150 dpi) on pages with a scanner border;
//! the page's QR text in the report exactly as the manifest has it (none on the grid traps), and
//! the QR code still decodes from the PNG-encoded output.

use std::{
    io::Cursor,
    path::{Path, PathBuf},
};

use docseal::scan::{
    Cleanup, ColorMode, CropPolicy, OrientationPolicy, PerspectivePolicy, QrSearch,
    ResolutionPolicy, ScanError, ScanOptions, load, normalize, normalize_loaded, pages,
};
use serde_json::Value;

use crate::util::testdata;

const MAX_SKEW_ERROR: f64 = 0.2;
const MEAN_SKEW_ERROR: f64 = 0.05;
/// A photographed sheet's skew (mean angle of its top and bottom edges): the target.
const PHONE_SKEW_ERROR: f64 = 0.5;

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(testdata().join("scan").join("manifest.json"))
        .expect("testdata/scan/manifest.json");
    serde_json::from_str::<Value>(&text).expect("manifest is JSON")["pages"]
        .as_array()
        .expect("pages")
        .clone()
}

fn file(entry: &Value) -> (String, Vec<u8>) {
    let name = entry["file"].as_str().expect("file").to_owned();
    let bytes = std::fs::read(testdata().join("scan").join(&name)).expect("fixture");
    (name, bytes)
}

/// 150 and 200 dpi pages: every page's skew, orientation, (with a border) corners and QR texts
/// against the truth.
#[test]
fn skew_orientation_and_crop_match_the_truth() {
    let mut errors = Vec::new();
    let mut failures = Vec::new();
    for entry in manifest()
        .iter()
        .filter(|e| e["dpi"] == 150 || e["dpi"] == 200)
    {
        let (name, bytes) = file(entry);
        let page =
            normalize(&bytes, &ScanOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_page(&name, entry, &page.report, &mut errors, &mut failures);
    }
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    let max = errors.iter().copied().fold(0.0, f64::max);
    eprintln!(
        "skew error over {} pages: mean {mean:.4}°, max {max:.4}°",
        errors.len()
    );
    assert!(errors.len() >= 20, "fixtures missing: {}", errors.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        mean <= MEAN_SKEW_ERROR,
        "mean skew error {mean:.4}° > {MEAN_SKEW_ERROR}°"
    );
}

/// One page's report against its manifest entry: skew error into `errors`, every mismatch
/// (skew over the maximum, orientation, QR texts, corners, border, resolution) into `failures`.
fn check_page(
    name: &str,
    entry: &Value,
    r: &docseal::scan::PageReport,
    errors: &mut Vec<f64>,
    failures: &mut Vec<String>,
) {
    let json = serde_json::to_string(r).expect("report serializes");
    let truth_skew = entry["skew_deg"].as_f64().expect("skew");
    let error = (r.skew_deg - truth_skew).abs();
    errors.push(error);
    eprintln!(
        "{name}: skew {:+.3} (truth {truth_skew:+.2}, error {error:.3}), orientation {} \
             (conf {:.2}, truth {})",
        r.skew_deg, r.orientation_deg, r.orientation_confidence, entry["orientation_deg"]
    );
    if error > MAX_SKEW_ERROR {
        failures.push(format!(
            "{name}: skew error {error:.3}° > {MAX_SKEW_ERROR}°: {json}"
        ));
    }
    if Some(u64::from(r.orientation_deg)) != entry["orientation_deg"].as_u64() {
        failures.push(format!(
            "{name}: orientation {}: {json}",
            entry["orientation_deg"]
        ));
    }
    let qr_truth: Vec<&str> = entry["qr"]
        .as_array()
        .expect("qr")
        .iter()
        .map(|t| t.as_str().expect("text"))
        .collect();
    if r.qr != qr_truth {
        failures.push(format!("{name}: QR {:?}, truth {qr_truth:?}: {json}", r.qr));
    }
    if entry["scanner_border"] == true {
        let truth: Vec<[f64; 2]> = entry["page_quad"]
            .as_array()
            .expect("quad")
            .iter()
            .map(|p| [p[0].as_f64().expect("x"), p[1].as_f64().expect("y")])
            .collect();
        let one_mm = entry["dpi"].as_f64().expect("dpi") / 25.4;
        for (found, want) in r.page_quad.iter().zip(&truth) {
            let d = ((f64::from(found[0]) - want[0]).powi(2)
                + (f64::from(found[1]) - want[1]).powi(2))
            .sqrt();
            if d > one_mm {
                failures.push(format!(
                    "{name}: corner {found:?} is {d:.1} px from {want:?}"
                ));
            }
        }
        if !r.border_found {
            failures.push(format!("{name}: border not found: {json}"));
        }
    }
    if r.perspective {
        failures.push(format!(
            "{name}: a scan taken for a photo in perspective: {json}"
        ));
    }
    let dpi = entry["dpi"].as_f64().expect("dpi") as f32;
    if r.dpi != Some(dpi) || r.output_dpi != Some(dpi) || r.below_legal_minimum != (dpi < 200.0) {
        failures.push(format!("{name}: resolution: {json}"));
    }
}

fn entry(name: &str) -> Value {
    manifest()
        .into_iter()
        .find(|e| e["file"] == name)
        .unwrap_or_else(|| panic!("{name} not in the manifest"))
}

fn png(image: &image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("PNG encodes");
    out
}

/// The QR code survives normalization: read by the pipeline and, again, from the PNG-encoded
/// output by [`docseal::qr::decode_image`], on the pages where it is smallest and most degraded
/// (150 dpi, JPEG q40-45, 13-15° skew, turned by 270°); not looked for with `QrSearch::Skip`.
#[test]
fn qr_decodes_after_normalization() {
    for name in ["pages/skew_p15.jpg", "pages/rot270_skew_m13_7.jpg"] {
        let truth = entry(name);
        let (_, bytes) = file(&truth);
        let page = normalize(&bytes, &ScanOptions::default()).expect("normalizes");
        assert_eq!(
            page.report.qr,
            [truth["qr"][0].as_str().expect("text")],
            "{name}"
        );
        assert_eq!(page.report.qr_unreadable, 0, "{name}");
        let mut skip = ScanOptions::default();
        skip.qr = QrSearch::Skip;
        let skipped = normalize(&bytes, &skip).expect("normalizes").report;
        assert!(skipped.qr.is_empty(), "{name}: {skipped:?}");
        let texts: Vec<String> = docseal::qr::decode_image(&png(&page.image))
            .expect("PNG decodes")
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        assert_eq!(texts, [truth["qr"][0].as_str().expect("text")], "{name}");
    }
}

/// Full resolution, colour kept: the 300 dpi page comes out A4-sized at 300 dpi, deskewed, and
/// the red seal is still red (the seal's outer ring, left of its centre, at the position it was
/// drawn on the upright page: x 1636-1650, y 2988, see gen/make_scans.py).
#[test]
fn colour_page_at_300_dpi_keeps_the_red_seal() {
    let truth = entry("pages/a4_300dpi_skew_p3_1.jpg");
    let (_, bytes) = file(&truth);
    let mut options = ScanOptions::default();
    options.color = ColorMode::Color;
    let page = normalize(&bytes, &options).expect("normalizes");
    let r = &page.report;
    assert!((r.skew_deg - 3.1).abs() <= MAX_SKEW_ERROR, "{r:?}");
    assert_eq!(r.orientation_deg, 0);
    assert_eq!(r.dpi, Some(300.0));
    // A4 at 300 dpi is 2480 × 3508; the crop keeps the page within 1 %.
    assert!(
        r.output_size[0].abs_diff(2480) < 25 && r.output_size[1].abs_diff(3508) < 35,
        "{r:?}"
    );
    let rgb = page.image.as_rgb8().expect("colour output");
    // The output starts at most a few pixels inside the page's edge: search a small window.
    let red = (1625..1665)
        .flat_map(|x| (2975..3000).map(move |y| (x, y)))
        .filter(|&(x, y)| {
            let [r, g, b] = rgb.get_pixel(x, y).0;
            r > 150 && g < 110 && b < 110
        })
        .count();
    assert!(red > 40, "only {red} red pixels where the seal's ring is");
}

/// EXIF orientation 6 is honoured at load: the page is upright, so nothing is turned.
#[test]
fn exif_orientation_is_applied_at_load() {
    let (_, bytes) = file(&entry("pages/exif_rot6.jpg"));
    let page = normalize(&bytes, &ScanOptions::default()).expect("normalizes");
    let r = &page.report;
    assert_eq!(r.exif_orientation, 6);
    assert_eq!(r.input_size, [826, 1169], "{r:?}");
    assert_eq!(r.orientation_deg, 0, "{r:?}");
    assert!(r.skew_deg.abs() <= MAX_SKEW_ERROR, "{r:?}");
}

/// The policies: `Keep` never turns (the candidate is still reported) and never crops.
#[test]
fn keep_policies_neither_turn_nor_crop() {
    let (_, bytes) = file(&entry("pages/rot180_skew_p0_8.jpg"));
    let mut options = ScanOptions::default();
    options.orientation = OrientationPolicy::Keep;
    options.crop = CropPolicy::Keep;
    let page = normalize(&bytes, &options).expect("normalizes");
    let r = &page.report;
    assert_eq!(
        (r.orientation_deg, r.orientation_candidate_deg),
        (0, 180),
        "{r:?}"
    );
    assert_eq!(r.output_size, r.input_size);
    assert!((r.skew_deg - 0.8).abs() <= MAX_SKEW_ERROR, "{r:?}");
}

/// Hostile and degenerate input: errors or a report, never a panic; an empty page is neither
/// turned nor deskewed.
#[test]
fn hostile_and_blank_inputs() {
    let options = ScanOptions::default();
    assert!(matches!(
        normalize(b"not an image", &options),
        Err(ScanError::Decode(_))
    ));
    let (_, jpeg) = file(&entry("pages/skew_p1_7.jpg"));
    for cut in [2, 100, jpeg.len() / 3] {
        // Truncated JPEG: zune-jpeg may fill the rest grey or refuse; either is fine.
        let _ = normalize(&jpeg[..cut], &options);
    }
    let tiny = png(&image::DynamicImage::ImageLuma8(image::GrayImage::new(
        8, 8,
    )));
    assert!(matches!(
        normalize(&tiny, &options),
        Err(ScanError::TooSmall {
            width: 8,
            height: 8
        })
    ));
    let mut small = options;
    small.max_image_side = 1000;
    assert!(matches!(
        normalize(&jpeg, &small),
        Err(ScanError::Limit { .. })
    ));
    let blank = png(&image::DynamicImage::ImageLuma8(
        image::GrayImage::from_pixel(400, 600, image::Luma([250])),
    ));
    let page = normalize(&blank, &options).expect("blank page normalizes");
    let r = &page.report;
    assert_eq!(
        (r.skew_deg, r.orientation_deg, r.orientation_confidence),
        (0.0, 0, 0.0)
    );
    assert_eq!(r.output_size, [400, 600]);
    // All dark: no page, no ink worth a turn.
    let dark = png(&image::DynamicImage::ImageLuma8(image::GrayImage::new(
        300, 300,
    )));
    let page = normalize(&dark, &options).expect("dark image normalizes");
    assert_eq!(page.report.orientation_deg, 0);
}

/// Paper level of a page: the 90th percentile of each cell of a 6 × 8 grid (cells are mostly
/// paper on this page), as (darkest cell, brightest cell).
fn paper_levels(grey: &image::GrayImage) -> (u8, u8) {
    let (w, h) = (grey.width() / 6, grey.height() / 8);
    let mut levels = Vec::new();
    for cy in 0..8 {
        for cx in 0..6 {
            let mut cell: Vec<u8> = (0..h)
                .flat_map(|y| (0..w).map(move |x| (cx * w + x, cy * h + y)))
                .map(|(x, y)| grey.get_pixel(x, y).0[0])
                .collect();
            cell.sort_unstable();
            levels.push(cell[cell.len() * 9 / 10]);
        }
    }
    (
        *levels.iter().min().expect("cells"),
        *levels.iter().max().expect("cells"),
    )
}

/// Flattening: the page was rendered on uniformly white paper, then dimmed to 70 % across the
/// diagonal with a −25 % shadow band; after flattening every cell's paper is within 16 grey
/// levels of white. Binarizing the same page leaves only 0 and 255, black only where there is
/// ink (the blank left margin, inside the shadow band, stays white), and the QR code readable.
#[test]
fn cleanup_flattens_uneven_light_and_binarizes() {
    let truth = entry("pages/skew_p4_8.jpg");
    assert_eq!(truth["uneven_light"], true);
    let (_, bytes) = file(&truth);
    let mut options = ScanOptions::default();
    let plain = normalize(&bytes, &options).expect("normalizes");
    let (dark, _) = paper_levels(plain.image.as_luma8().expect("grey"));
    assert!(
        dark < 200,
        "the fixture's paper is not dim enough to test: {dark}"
    );
    options.cleanup = Cleanup::Flatten;
    let flat = normalize(&bytes, &options).expect("normalizes");
    let (dark, bright) = paper_levels(flat.image.as_luma8().expect("grey"));
    assert!(
        dark >= 239 && bright - dark <= 16,
        "paper levels {dark}..{bright}"
    );

    options.cleanup = Cleanup::Binarize;
    let bin = normalize(&bytes, &options).expect("normalizes");
    // Read on the grey page, before binarization.
    assert_eq!(bin.report.qr, [truth["qr"][0].as_str().expect("text")]);
    let grey = bin.image.as_luma8().expect("grey");
    assert!(grey.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    // Left margin of the upright page: x < 300 px at 300 dpi (150 here), above the QR code.
    let margin_black = (0..120)
        .flat_map(|x| (100..1200).map(move |y| (x, y)))
        .filter(|&(x, y)| grey.get_pixel(x, y).0[0] == 0)
        .count();
    assert_eq!(margin_black, 0, "black specks in the blank margin");
    let black = grey.pixels().filter(|p| p.0[0] == 0).count() as f64;
    let fraction = black / f64::from(grey.width() * grey.height());
    assert!((0.02..0.2).contains(&fraction), "ink fraction {fraction}");
    let texts: Vec<String> = docseal::qr::decode_image(&png(&bin.image))
        .expect("PNG decodes")
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(texts, [truth["qr"][0].as_str().expect("text")]);
}

/// Resampling to a resolution: the 150 dpi page asked at 300 dpi comes out twice the size, A4 at
/// 300 dpi within 1 %; the report keeps the real 150 dpi as `dpi` and flags it below the legal
/// 200 dpi whatever the output resolution (resampling adds no detail). A 200 dpi page is not
/// flagged. `ResolutionPolicy::Refuse` refuses the 150 dpi page and a PNG without a stated
/// resolution, and accepts the 200 dpi page; an output resolution under 200 is refused.
#[test]
fn output_resolution_and_the_legal_minimum() {
    let (_, bytes) = file(&entry("pages/skew_m7_15.jpg"));
    let mut options = ScanOptions::default();
    let native = normalize(&bytes, &options).expect("normalizes").report;
    assert_eq!(
        (native.dpi, native.output_dpi, native.below_legal_minimum),
        (Some(150.0), Some(150.0), true)
    );
    options.output_dpi = Some(300.0);
    let up = normalize(&bytes, &options).expect("normalizes").report;
    assert_eq!(
        (up.dpi, up.output_dpi, up.below_legal_minimum),
        (Some(150.0), Some(300.0), true)
    );
    assert!(
        up.output_size[0].abs_diff(2480) < 25 && up.output_size[1].abs_diff(3508) < 35,
        "{up:?}"
    );
    for i in 0..2 {
        assert!(
            up.output_size[i].abs_diff(native.output_size[i] * 2) <= 2,
            "{up:?} {native:?}"
        );
    }

    let mut strict = ScanOptions::default();
    strict.resolution = ResolutionPolicy::Refuse;
    strict.qr = QrSearch::Skip;
    assert!(
        matches!(
            normalize(&bytes, &strict),
            Err(ScanError::BelowLegalMinimum { dpi }) if dpi == 150.0
        ),
        "150 dpi accepted"
    );
    let (_, at_200) = file(&entry("pages/dpi200_skew_m2_4.jpg"));
    let r = normalize(&at_200, &strict)
        .expect("200 dpi is enough")
        .report;
    assert_eq!((r.dpi, r.below_legal_minimum), (Some(200.0), false));
    let no_density = png(&image::DynamicImage::ImageLuma8(
        image::GrayImage::from_pixel(400, 600, image::Luma([250])),
    ));
    assert!(matches!(
        normalize(&no_density, &strict),
        Err(ScanError::UnknownResolution)
    ));
    for low in [150.0, 0.0, f32::NAN] {
        let mut options = ScanOptions::default();
        options.output_dpi = Some(low);
        assert!(
            matches!(
                normalize(&at_200, &options),
                Err(ScanError::OutputBelowLegalMinimum { .. })
            ),
            "output at {low} dpi accepted"
        );
    }
}

/// The multi-page TIFF made by ImageMagick and tiffcp (`pages/three_pages_200dpi.tif`: a
/// bilevel CCITT G4 page stored min-is-white, a grey LZW page, an RGB Deflate page with a
/// predictor): every page comes out in order and meets its truth like the JPEG pages (skew,
/// orientation, corners, QR text, 200 dpi from the TIFF resolution tags). A page-count limit
/// of 2 yields two pages, then the limit; a decode allocation limit below one page is a limit,
/// not an allocation.
#[test]
fn multipage_tiff_pages_each_meet_their_truth() {
    let text =
        std::fs::read_to_string(testdata().join("scan").join("manifest.json")).expect("manifest");
    let multipage = &serde_json::from_str::<Value>(&text).expect("JSON")["multipage"][0];
    let (name, bytes) = file(multipage);
    let truth = multipage["pages"].as_array().expect("pages");
    let options = ScanOptions::default();
    let (mut errors, mut failures) = (Vec::new(), Vec::new());
    let mut count = 0;
    for (i, loaded) in pages(&bytes, &options).expect("TIFF header").enumerate() {
        let loaded = loaded.unwrap_or_else(|e| panic!("{name} page {}: {e}", i + 1));
        let entry = &truth[i];
        assert_eq!(
            loaded.grey.dimensions(),
            (
                entry["width"].as_u64().expect("w") as u32,
                entry["height"].as_u64().expect("h") as u32
            ),
            "{name} page {}",
            i + 1
        );
        let page = normalize_loaded(&loaded, &options, &mut |_| {}).expect("normalizes");
        let at = format!("{name} page {} ({})", i + 1, entry["storage"]);
        check_page(&at, entry, &page.report, &mut errors, &mut failures);
        count += 1;
    }
    assert_eq!(count, truth.len(), "{name}: pages read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The bilevel page really is 0 and 255 only, and `load` reads the first page.
    let first = load(&bytes, &options).expect("first page");
    assert!(first.grey.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    assert_eq!(first.dpi, Some(200.0));

    let mut two = options;
    two.max_pages = 2;
    let results: Vec<_> = pages(&bytes, &two).expect("TIFF header").collect();
    assert_eq!(results.len(), 3, "two pages, then the limit");
    assert!(results[..2].iter().all(Result::is_ok));
    assert!(matches!(
        results[2],
        Err(ScanError::Limit {
            what: "pages in the file",
            max: 2
        })
    ));
    let mut small = options;
    small.max_alloc_bytes = 1 << 20;
    let first = pages(&bytes, &small).expect("TIFF header").next();
    assert!(
        matches!(first, Some(Err(ScanError::Limit { .. }))),
        "{first:?}"
    );
    // A truncated file: errors, never a panic, and the iteration ends.
    for cut in [8, 200, bytes.len() / 2] {
        if let Ok(it) = pages(&bytes[..cut], &options) {
            assert!(it.take(5).count() <= 3);
        }
    }
}

/// The digitized PDF: an untouched JPEG page embedded byte for byte, a normalized grey page and
/// a binarized page stored losslessly, page sizes from the resolution (150 dpi A4 = 595.2 ×
/// 841.9 pt), and the conversion mark with its Vietnamese name in the document information.
#[test]
fn digitized_pdf_keeps_pages_and_mark() {
    use docseal::scan::{ConversionMark, PageImage, PdfPage, assemble};
    let (_, jpeg) = file(&entry("pages/upright.jpg"));
    let (_, skewed) = file(&entry("pages/skew_p4_8.jpg"));
    let mut options = ScanOptions::default();
    let grey = normalize(&skewed, &options).expect("normalizes");
    options.cleanup = Cleanup::Binarize;
    let bilevel = normalize(&skewed, &options).expect("normalizes");
    let bilevel = bilevel.image.as_luma8().expect("grey").clone();
    let mark = ConversionMark {
        converter: "Nguyễn Thị Lan".into(),
        organisation: "Bộ phận một cửa, UBND phường Bến Nghé".into(),
        converted_at: "2030-03-16T09:05:00+07:00".into(),
        source: "Giấy phép xây dựng số 123/GPXD, bản giấy".into(),
    };
    let pages = [
        PdfPage {
            image: PageImage::Jpeg(jpeg.clone()),
            dpi: 150.0,
        },
        PdfPage {
            image: PageImage::Gray(grey.image.to_luma8()),
            dpi: 150.0,
        },
        PdfPage {
            image: PageImage::Bilevel(bilevel.clone()),
            dpi: 150.0,
        },
    ];
    let pdf = assemble(&pages, &mark).expect("assembles");
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf reads it back");
    let ids: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(ids.len(), 3);
    let image_of = |page: lopdf::ObjectId| {
        let dict = doc.get_dictionary(page).expect("page");
        let media: Vec<f32> = dict
            .get(b"MediaBox")
            .and_then(lopdf::Object::as_array)
            .expect("MediaBox")
            .iter()
            .map(|o| o.as_float().expect("number"))
            .collect();
        let xobjects = dict
            .get(b"Resources")
            .and_then(lopdf::Object::as_dict)
            .and_then(|r| r.get(b"XObject"))
            .and_then(lopdf::Object::as_dict)
            .expect("XObject");
        let id = xobjects
            .get(b"Im0")
            .and_then(lopdf::Object::as_reference)
            .expect("Im0");
        (
            media,
            doc.get_object(id)
                .and_then(lopdf::Object::as_stream)
                .expect("stream")
                .clone(),
        )
    };
    let (media, first) = image_of(ids[0]);
    assert!(
        (media[2] - 595.2).abs() < 0.01 && (media[3] - 841.92).abs() < 0.01,
        "{media:?}"
    );
    assert_eq!(
        first.content, jpeg,
        "the JPEG page is embedded byte for byte"
    );
    let (_, third) = image_of(ids[2]);
    assert_eq!(
        third
            .dict
            .get(b"BitsPerComponent")
            .and_then(lopdf::Object::as_i64)
            .ok(),
        Some(1)
    );
    let packed = third.decompressed_content().expect("Flate decodes");
    let row = (bilevel.width() as usize).div_ceil(8);
    let unpacked = image::GrayImage::from_fn(bilevel.width(), bilevel.height(), |x, y| {
        let byte = packed[y as usize * row + x as usize / 8];
        image::Luma([if byte & (0x80 >> (x % 8)) != 0 {
            255
        } else {
            0
        }])
    });
    assert!(unpacked == bilevel, "the bilevel page is stored losslessly");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .expect("Info");
    let utf16 = |key: &[u8]| {
        let bytes = info
            .get(key)
            .and_then(lopdf::Object::as_str)
            .expect("text string");
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).expect("UTF-16")
    };
    assert_eq!(utf16(b"DocsealConvertedBy"), mark.converter);
    assert_eq!(utf16(b"DocsealConvertedFrom"), mark.source);
    assert_eq!(utf16(b"CreationDate"), "D:20300316090500+07'00'");
}

/// The `digitize` command in the form, `digitize [--dpi N] [--binarize] [--color] -o
/// out.pdf IN...`: the three pages of the multi-page TIFF become three PDF pages sized from the
/// output resolution (cropped pages: A4, 595 × 842 pt within 1 %), with progress on stderr; an
/// output resolution under 200 dpi is refused (exit 3). `digitize normalize --json` reports the
/// real resolution as `dpi`, the output's as `output_dpi`, the legal flag and the QR text.
#[test]
fn digitize_cli_pdf_form_and_normalize_json() {
    let dir = std::env::temp_dir().join(format!("docseal-digitize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("dossier.pdf");
    let run = |args: &[&str]| {
        let o = crate::cli::example("digitize")
            .args(args)
            .output()
            .expect("runs");
        (
            o.status.code().expect("exit code"),
            String::from_utf8(o.stdout).expect("utf-8"),
            String::from_utf8(o.stderr).expect("utf-8"),
        )
    };
    let out_arg = out.to_str().expect("UTF-8 path");
    let (code, _, err) = run(&[
        "--dpi",
        "200",
        "-o",
        out_arg,
        "scan/pages/three_pages_200dpi.tif",
        "--converter",
        "Nguyễn Thị Lan",
        "--body",
        "UBND phường Bến Nghé",
        "--at",
        "2030-03-16T09:05:00+07:00",
        "--source",
        "hồ sơ giấy",
    ]);
    assert_eq!(code, 0, "{err}");
    for k in 1..=3 {
        assert!(
            err.contains(&format!("[page {k}]")),
            "no progress for page {k}: {err}"
        );
    }
    let doc = lopdf::Document::load(&out).expect("a PDF");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 3, "{err}");
    // Page 1 has no scanner border: the whole (skewed) image is kept, 1755 × 2409 px = 631.8 ×
    // 867.2 pt; pages 2 and 3 are cropped to the page.
    let sizes = [[631.8, 867.24], [595.3, 841.9], [595.3, 841.9]];
    for (id, want) in pages.values().zip(sizes) {
        let media: Vec<f32> = doc
            .get_dictionary(*id)
            .and_then(|d| d.get(b"MediaBox"))
            .and_then(lopdf::Object::as_array)
            .expect("MediaBox")
            .iter()
            .map(|o| o.as_float().expect("number"))
            .collect();
        assert!(
            (media[2] - want[0]).abs() < 6.0 && (media[3] - want[1]).abs() < 8.5,
            "{media:?}"
        );
    }
    let (code, _, err) = run(&["--dpi", "150", "-o", out_arg, "scan/pages/upright.jpg"]);
    assert_eq!(code, 3, "150 dpi output accepted: {err}");
    assert!(err.contains("below the legal minimum"), "{err}");

    let png_out = dir.join("page.png");
    let (code, json, err) = run(&[
        "normalize",
        "scan/pages/rot270_skew_m13_7.jpg",
        "-o",
        png_out.to_str().expect("UTF-8 path"),
        "--dpi",
        "200",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["dpi"], 150.0, "{v}");
    assert_eq!(v["output_dpi"], 200.0, "{v}");
    assert_eq!(v["below_legal_minimum"], true, "{v}");
    assert_eq!(v["orientation_deg"], 270, "{v}");
    assert_eq!(v["qr"][0], manifest()[0]["qr"][0], "{v}");
    assert!(err.contains("BELOW 200 dpi"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Largest difference, in grey levels, between a normalized page and its golden image for a
/// pixel to count as equal: 16 of 255. A change of the estimated angle within the skew tolerance
/// (a few thousandths of a degree) moves stroke edges by a fraction of a pixel; that shows as
/// differences of a few levels, never as a moved page.
const GOLDEN_LEVELS: u8 = 16;
/// Largest share of the page's pixels allowed past [`GOLDEN_LEVELS`]: 0.5 %. A crop one pixel
/// off, a wrong turn or a lost stroke each break it: the test checks, on each golden, that a
/// copy moved by one pixel would be caught (at least twice this share past the tolerance).
const GOLDEN_SHARE: f64 = 0.005;

/// Golden images (STYLE §6): three pages, normalized as the pipeline does today, against
/// `testdata/expected/scan/*.png`, with the per-pixel tolerance above and the exact size;
/// `UPDATE_GOLDEN=1` rewrites them (review the pictures like code).
#[test]
fn golden_pages_within_tolerance() {
    let expected = testdata().join("expected").join("scan");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (fixture, cleanup, golden) in [
        (
            "pages/rot180_skew_m9_4.jpg",
            Cleanup::None,
            "rot180_skew_m9_4.png",
        ),
        (
            "pages/skew_p4_8.jpg",
            Cleanup::Binarize,
            "skew_p4_8_binarized.png",
        ),
        (
            "pages/dpi200_rot90_skew_p0_6.jpg",
            Cleanup::Binarize,
            "dpi200_rot90_skew_p0_6_binarized.png",
        ),
    ] {
        let (_, bytes) = file(&entry(fixture));
        let mut options = ScanOptions::default();
        options.cleanup = cleanup;
        options.qr = QrSearch::Skip;
        let page = normalize(&bytes, &options).expect("normalizes");
        let got = page.image.to_luma8();
        let path = expected.join(golden);
        if update {
            std::fs::create_dir_all(&expected).expect("testdata/expected/scan");
            got.save(&path).expect("golden written");
            continue;
        }
        let want = image::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()))
            .to_luma8();
        if got.dimensions() != want.dimensions() {
            failures.push(format!(
                "{fixture}: {:?}, golden {:?}",
                got.dimensions(),
                want.dimensions()
            ));
            continue;
        }
        let over = got
            .pixels()
            .zip(want.pixels())
            .filter(|(a, b)| a.0[0].abs_diff(b.0[0]) > GOLDEN_LEVELS)
            .count();
        let share = over as f64 / f64::from(got.width() * got.height());
        // The tolerance must still see a page moved by one pixel.
        let (w, h) = want.dimensions();
        let shifted = (0..h)
            .flat_map(|y| (1..w).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                want.get_pixel(x, y).0[0].abs_diff(want.get_pixel(x - 1, y).0[0]) > GOLDEN_LEVELS
            })
            .count() as f64
            / f64::from(w * h);
        eprintln!(
            "{fixture}: {over} pixels ({:.3} %) past the tolerance; moved by one pixel: {:.2} %",
            share * 100.0,
            shifted * 100.0
        );
        assert!(
            shifted > 2.0 * GOLDEN_SHARE,
            "{fixture}: the tolerance would not see a one-pixel move"
        );
        if share > GOLDEN_SHARE {
            let actual = std::env::temp_dir().join(format!("docseal-actual-{golden}"));
            let _ = got.save(&actual);
            failures.push(format!(
                "{fixture}: {:.3} % of pixels differ by more than {GOLDEN_LEVELS} levels from {} \
                 (actual written to {})",
                share * 100.0,
                path.display(),
                actual.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Phone photos on a wooden table, taken at an angle (`pages/photo_perspective*.jpg`, corners
/// known): the page is found as a quadrilateral (every corner within 2 mm of the truth: 12 px,
/// the page being about 6 px per mm in these photos), seen as in perspective and mapped onto a
/// rectangle, turned upright (the second photo is turned by 90°), the skew reported as the
/// sheet's (mean angle of its top and bottom edges, within 0.5°), the text lines of the output
/// straight (normalized again: skew under 0.2°, not turned), the QR code read, and the page's aspect ratio that of A4 within
/// 5 % (four corners do not fix the aspect ratio: that needs the camera's focal length). A scan
/// on a scanner bed is never taken for a photo (`perspective` is false on every scan page, see
/// `check_page`).
#[test]
fn phone_photos_are_rectified() {
    for name in [
        "pages/photo_perspective.jpg",
        "pages/photo_perspective_rot90.jpg",
    ] {
        let truth = entry(name);
        let (_, bytes) = file(&truth);
        let page = normalize(&bytes, &ScanOptions::default()).expect("normalizes");
        let r = &page.report;
        let json = serde_json::to_string(r).expect("serializes");
        assert!(r.perspective && r.border_found, "{name}: {json}");
        assert_eq!(
            Some(u64::from(r.orientation_deg)),
            truth["orientation_deg"].as_u64(),
            "{name}: {json}"
        );
        for (found, want) in r
            .page_quad
            .iter()
            .zip(truth["page_quad"].as_array().expect("quad"))
        {
            let (x, y) = (want[0].as_f64().expect("x"), want[1].as_f64().expect("y"));
            let d = (f64::from(found[0]) - x).hypot(f64::from(found[1]) - y);
            assert!(
                d <= 12.0,
                "{name}: corner {found:?} is {d:.1} px from [{x}, {y}]: {json}"
            );
        }
        // The skew of a photographed sheet: the mean angle of its top and bottom edges (the
        // shared set's convention), here from the true corners; the text lines of the output
        // are then straight (normalized again, nothing left to turn).
        let corner = |i: usize| {
            let p = &truth["page_quad"][i];
            (p[0].as_f64().expect("x"), p[1].as_f64().expect("y"))
        };
        let turn = truth["orientation_deg"].as_f64().expect("turn");
        let edge = |a: (f64, f64), b: (f64, f64)| {
            ((a.1 - b.1).atan2(b.0 - a.0).to_degrees() - turn + 540.0).rem_euclid(360.0) - 180.0
        };
        let sheet = (edge(corner(0), corner(1)) + edge(corner(3), corner(2))) / 2.0;
        assert!(
            (r.skew_deg - sheet).abs() < PHONE_SKEW_ERROR,
            "{name}: sheet skew {sheet:.3}: {json}"
        );
        let mut again = ScanOptions::default();
        again.qr = QrSearch::Skip;
        let residual = normalize(&png(&page.image), &again)
            .expect("normalizes")
            .report;
        assert!(
            residual.skew_deg.abs() < MAX_SKEW_ERROR && residual.orientation_deg == 0,
            "{name}: output not straight: {residual:?}"
        );
        assert_eq!(
            r.qr,
            [truth["qr"][0].as_str().expect("text")],
            "{name}: {json}"
        );
        let [w, h] = r.output_size;
        let aspect = f64::from(h) / f64::from(w);
        assert!(
            (aspect / 2f64.sqrt() - 1.0).abs() < 0.05,
            "{name}: aspect {aspect:.3}: {json}"
        );
        assert_eq!(r.dpi, None, "{name}: a photo states no resolution");
        // Ignoring the perspective keeps the old behaviour: no mapping.
        let mut ignore = ScanOptions::default();
        ignore.perspective = PerspectivePolicy::Ignore;
        ignore.qr = QrSearch::Skip;
        let plain = normalize(&bytes, &ignore).expect("normalizes").report;
        assert!(!plain.perspective, "{name}");
    }
}

/// Real scans from a public test set (OCRmyPDF's test resources: a Project Gutenberg page,
/// a scanned manual page, typewritten text; `testdata/scan/real/`), whose true skew is unknown:
/// the original's skew must agree with Leptonica's (an independent estimate) within the
/// maximum error, and each copy turned by a known angle must come out as the original's skew
/// plus the turn, with the quarter turn found.
#[test]
fn real_scans_keep_their_known_turns() {
    let dir = testdata().join("scan");
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.join("real/manifest.json")).expect("real/manifest.json"),
    )
    .expect("JSON");
    let scans = manifest["scans"].as_array().expect("scans");
    assert_eq!(scans.len(), 3);
    let mut failures = Vec::new();
    let run = |file: &str| {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        normalize(&bytes, &ScanOptions::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .report
    };
    for scan in scans {
        let file = scan["file"].as_str().expect("file");
        let base = run(file);
        let leptonica = scan["leptonica_skew_deg"].as_f64().expect("reference");
        if base.orientation_deg != 0 || (base.skew_deg - leptonica).abs() > MAX_SKEW_ERROR {
            failures.push(format!(
                "{file}: orientation {}, skew {:.3}° (Leptonica {leptonica:.3}°)",
                base.orientation_deg, base.skew_deg
            ));
        }
        for turn in scan["turns"].as_array().expect("turns") {
            let turned_file = turn["file"].as_str().expect("file");
            let report = run(turned_file);
            let want = base.skew_deg + turn["turn_deg"].as_f64().expect("turn");
            let orientation = turn["orientation_deg"].as_i64().expect("orientation");
            if i64::from(report.orientation_deg) != orientation
                || (report.skew_deg - want).abs() > MAX_SKEW_ERROR
            {
                failures.push(format!(
                    "{turned_file}: orientation {} (want {orientation}), skew {:.3}° (want {want:.3}°)",
                    report.orientation_deg, report.skew_deg
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The hostile images of `testdata/scan/hostile/` (`gen/make_hostile.py`), and a JPEG behind
/// 45 MB of APP2 segments built here: each ends in the typed error named, or decodes the small
/// page it really holds (the ancillary bombs: their ICC profile and text are skipped unread).
/// The peak memory of each is measured in `testdata/scan/README.md`; a test cannot measure it,
/// so this one checks that every refusal comes from the header, before the pixels.
#[test]
fn hostile_images_end_in_a_limit_or_a_small_page() {
    let dir = testdata().join("scan").join("hostile");
    let side = "image side in pixels";
    let alloc = "decoder allocation in bytes";
    let metadata = "image metadata in bytes";
    let cases: [(&str, Option<&str>); 19] = [
        ("png_iccp_bomb.png", None),
        ("png_ztxt_bomb.png", None),
        ("png_itxt_bomb.png", None),
        ("png_idat_bomb.png", Some(alloc)),
        ("png_rgba16_bomb.png", Some(alloc)),
        ("png_huge_dims.png", Some(side)),
        ("jpeg_huge_dims.jpg", Some(side)),
        ("jpeg_truncated_big.jpg", Some(alloc)),
        ("jpeg_progressive_big.jpg", Some(alloc)),
        ("tiff_huge_icc.tif", None),
        ("tiff_huge_strip.tif", Some(alloc)),
        ("tiff_huge_tile.tif", Some(alloc)),
        ("tiff_deflate_bomb.tif", Some(alloc)),
        ("webp_huge_dims.webp", Some(side)),
        ("webp_bitstream_big.webp", Some(alloc)),
        ("webp_exif_bomb.webp", Some(metadata)),
        ("gif_huge_dims.gif", Some(side)),
        ("gif_frame_big.gif", Some(alloc)),
        ("bmp_big.bmp", Some(alloc)),
    ];
    for color in [ColorMode::Gray, ColorMode::Color] {
        let mut options = ScanOptions::default();
        options.color = color;
        options.qr = QrSearch::Skip;
        for (name, want) in cases {
            let bytes = std::fs::read(dir.join(name)).expect(name);
            match (normalize(&bytes, &options), want) {
                (Ok(page), None) => assert_eq!(page.report.input_size, [64, 64], "{name}"),
                (Err(ScanError::Limit { what, .. }), Some(want)) => {
                    assert_eq!(what, want, "{name}")
                }
                (other, _) => panic!("{name} ({color:?}): {other:?}, expected {want:?}"),
            }
            let qr = docseal::qr::decode_image(&bytes);
            assert!(
                want.is_some() == qr.is_err() || name.starts_with("tiff"),
                "{name}: QR reader {qr:?}"
            );
        }
    }
    // 700 APP2 ICC_PROFILE segments of 64 KiB ahead of a real page: refused on the markers.
    let (_, jpeg) = file(&entry("pages/upright.jpg"));
    let mut segment = vec![0xFF, 0xE2, 0xFF, 0xFF];
    segment.extend_from_slice(b"ICC_PROFILE\0\x01\x01");
    segment.resize(4 + 65_533, 0);
    let mut flood = jpeg[..2].to_vec();
    for _ in 0..700 {
        flood.extend_from_slice(&segment);
    }
    flood.extend_from_slice(&jpeg[2..]);
    for color in [ColorMode::Gray, ColorMode::Color] {
        let mut options = ScanOptions::default();
        options.color = color;
        let err = load(&flood, &options).expect_err("metadata flood refused");
        assert!(
            matches!(
                err,
                ScanError::Limit {
                    what: "image metadata in bytes",
                    max: 4_194_304
                }
            ),
            "{err:?}"
        );
    }
    assert!(docseal::qr::decode_image(&flood).is_err());
    // The default budget is what the measurements were made with.
    assert_eq!(ScanOptions::default().max_alloc_bytes, 80 * 1024 * 1024);
}

/// A 300 dpi page stored sideways with EXIF Orientation 6 (`pages/exif_rot6_300dpi.jpg`):
/// normalization has nothing to change once the turn is applied, yet the file must not go into
/// the PDF as it is (viewers ignore EXIF): the digitized page comes out portrait, 2480 × 3508.
/// An upright JPEG left as it was does go in byte for byte.
#[test]
fn exif_turned_jpeg_is_never_embedded_as_it_is() {
    use docseal::scan::{ConversionMark, PdfPage, assemble, jpeg_as_is, page_image};
    let bytes = std::fs::read(
        testdata()
            .join("scan")
            .join("pages")
            .join("exif_rot6_300dpi.jpg"),
    )
    .expect("fixture");
    let mut options = ScanOptions::default();
    options.output_dpi = Some(300.0);
    options.qr = QrSearch::Skip;
    let page = normalize(&bytes, &options).expect("normalizes");
    let r = page.report.clone();
    assert_eq!(
        (r.exif_orientation, r.orientation_deg, r.border_found),
        (6, 0, false),
        "{r:?}"
    );
    assert_eq!((r.input_size, r.output_size), ([2480, 3508], [2480, 3508]));
    assert!(r.skew_deg.abs() < 0.05, "{r:?}");
    assert!(!r.jpeg_as_is && !jpeg_as_is(&bytes, &r, &options));
    let image = page_image(&bytes, page, &options);
    assert!(
        !matches!(image, docseal::scan::PageImage::Jpeg(_)),
        "embedded sideways"
    );
    let mark = ConversionMark {
        converter: "x".into(),
        organisation: "y".into(),
        converted_at: "2030-01-01T00:00:00Z".into(),
        source: "z".into(),
    };
    let pdf = assemble(&[PdfPage { image, dpi: 300.0 }], &mark).expect("assembles");
    let doc = lopdf::Document::load_mem(&pdf).expect("a PDF");
    let id = *doc.get_pages().values().next().expect("one page");
    let media: Vec<f32> = doc
        .get_dictionary(id)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(lopdf::Object::as_array)
        .expect("MediaBox")
        .iter()
        .map(|o| o.as_float().expect("number"))
        .collect();
    assert!(
        (media[2] - 595.2).abs() < 0.5 && (media[3] - 841.9).abs() < 0.5,
        "not portrait A4: {media:?}"
    );

    // Upright, 150 dpi kept: nothing to change, the file goes in as it is.
    let (_, upright) = file(&entry("pages/upright.jpg"));
    options.output_dpi = None;
    let page = normalize(&upright, &options).expect("normalizes");
    assert!(page.report.jpeg_as_is, "{:?}", page.report);
    assert!(matches!(
        page_image(&upright, page.clone(), &options),
        docseal::scan::PageImage::Jpeg(b) if b == upright
    ));
    // Not as it is: asked to resample, or from `normalize_loaded` (which never sees the file).
    options.output_dpi = Some(300.0);
    let resampled = normalize(&upright, &options).expect("normalizes");
    assert!(!resampled.report.jpeg_as_is);
    let loaded = load(&upright, &options).expect("loads");
    let page = normalize_loaded(&loaded, &options, &mut |_| {}).expect("normalizes");
    assert!(!page.report.jpeg_as_is);

    // The digitize command: the page lands upright in the PDF.
    let dir = std::env::temp_dir().join(format!("docseal-exif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("exif.pdf");
    let o = crate::cli::example("digitize")
        .args(["--dpi", "300", "-o", out.to_str().expect("UTF-8 path")])
        .args([
            "--converter",
            "x",
            "--body",
            "y",
            "--at",
            "2030-01-01T00:00:00Z",
        ])
        .args(["--source", "z", "scan/pages/exif_rot6_300dpi.jpg"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("embedded as it is"), "{err}");
    let doc = lopdf::Document::load(&out).expect("a PDF");
    let id = *doc.get_pages().values().next().expect("one page");
    let dict = doc.get_dictionary(id).expect("page");
    let media: Vec<f32> = dict
        .get(b"MediaBox")
        .and_then(lopdf::Object::as_array)
        .expect("MediaBox")
        .iter()
        .map(|o| o.as_float().expect("number"))
        .collect();
    assert!(media[3] > media[2], "sideways page: {media:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The shared set of simulated scans and phone photos of issue 13 §3 (`../shared/scan-pages/`
/// beside the checkout, truth in its `manifest.json`; not committed here): its pages that
/// `keep` selects, or `None`, with a message, when the set is absent.
fn shared_pages(keep: impl Fn(&Value) -> bool) -> Option<(PathBuf, Vec<Value>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/scan-pages");
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        eprintln!("skipped: no shared set at {}", dir.display());
        return None;
    };
    let pages = serde_json::from_str::<Value>(&text).expect("manifest is JSON")["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .filter(|p| keep(p))
        .cloned()
        .collect::<Vec<_>>();
    assert!(!pages.is_empty(), "no page of the shared set selected");
    Some((dir, pages))
}

/// One page of the shared set normalized with `options`, against its truth: skew within the
/// maximum error (a phone page within [`PHONE_SKEW_ERROR`] of the sheet's), the quarter turn
/// found and sure enough to be applied, a scan never taken for a photo nor a photo for a scan.
/// Every miss goes into `misses`; the report comes back when there was one.
fn shared_page(
    dir: &Path,
    entry: &Value,
    options: &ScanOptions,
    misses: &mut Vec<String>,
) -> Option<docseal::scan::PageReport> {
    let name = entry["file"].as_str().expect("file");
    let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let r = match normalize(&bytes, options) {
        Ok(page) => page.report,
        Err(e) => {
            misses.push(format!("{name}: {e}"));
            return None;
        }
    };
    let json = serde_json::to_string(&r).expect("report serializes");
    let phone = entry["kind"] == "phone";
    let truth = entry["skew_deg"].as_f64().expect("skew");
    let error = ((r.skew_deg - truth + 180.0).rem_euclid(360.0) - 180.0).abs();
    let max = if phone {
        PHONE_SKEW_ERROR
    } else {
        MAX_SKEW_ERROR
    };
    let class = format!(
        "{name} ({}, lighting {}, {})",
        entry["kind"], entry["lighting"], entry["color"]
    );
    eprintln!(
        "{class}: skew {:+.3} (truth {truth:+.3}), orientation {} (conf {:.2})",
        r.skew_deg, r.orientation_deg, r.orientation_confidence
    );
    if error > max {
        misses.push(format!("{class}: skew error {error:.3}° > {max}°: {json}"));
    }
    let turn = entry["orientation_deg"].as_u64().expect("orientation");
    if u64::from(r.orientation_deg) != turn
        || u64::from(r.orientation_candidate_deg) != turn
        || r.orientation_confidence < options.min_orientation_confidence
    {
        misses.push(format!("{class}: orientation, truth {turn}: {json}"));
    }
    if r.skew_confidence < 0.5 {
        misses.push(format!("{class}: skew measured as a guess: {json}"));
    }
    if r.perspective != phone {
        misses.push(format!("{class}: perspective {}: {json}", r.perspective));
    }
    Some(r)
}

/// Normalizes every page of the shared set that `keep` selects (without the QR search) and
/// fails with every page that misses its truth (`shared_page`); skips without the set.
fn shared_pages_meet_their_truth(keep: impl Fn(&Value) -> bool) {
    let Some((dir, pages)) = shared_pages(keep) else {
        return;
    };
    let mut misses = Vec::new();
    for entry in &pages {
        shared_page(&dir, entry, &no_qr(), &mut misses);
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

fn no_qr() -> ScanOptions {
    let mut options = ScanOptions::default();
    options.qr = QrSearch::Skip;
    options
}

/// Bilevel scans of the shared set. On a bilevel page the scanner's dark bed comes out as a
/// black line round the page (its shadow) that the page finder cannot take for a border; that
/// line was ink along both axes at once, and decided which way the text lines run: the page
/// turned by a quarter turn came out upright. A piece of ink as wide and as tall as a quarter of
/// the page is no text and is left out.
#[test]
fn shared_bilevel_pages_keep_their_text_axis() {
    shared_pages_meet_their_truth(|p| p["color"] == "bilevel");
}

/// Scans of the shared set lit from one side. Under a side light the paper at the dim edge was
/// darker than Otsu's threshold over the whole image, so the page was cut there: its outline was
/// no rectangle, the page was taken for a photo in perspective and mapped (the skew reported as
/// 0, what remained on the mapped page). The page finder now scales the threshold by the light
/// on the paper: the whole sheet is found, corners within 1 mm, and it is deskewed as a scan.
#[test]
fn shared_side_lit_scans_are_found_whole() {
    let Some((dir, pages)) = shared_pages(|p| p["kind"] == "scan" && p["lighting"] == "side")
    else {
        return;
    };
    let mut misses = Vec::new();
    for entry in &pages {
        let Some(r) = shared_page(&dir, entry, &no_qr(), &mut misses) else {
            continue;
        };
        let name = entry["file"].as_str().expect("file");
        if entry["border"] != "dark" {
            continue;
        }
        if !r.border_found {
            misses.push(format!("{name}: border not found"));
        }
        let one_mm = entry["dpi"].as_f64().expect("dpi") / 25.4;
        for (found, want) in r
            .page_quad
            .iter()
            .zip(entry["page_quad"].as_array().expect("quad"))
        {
            let (x, y) = (want[0].as_f64().expect("x"), want[1].as_f64().expect("y"));
            let d = (f64::from(found[0]) - x).hypot(f64::from(found[1]) - y);
            if d > one_mm {
                misses.push(format!(
                    "{name}: corner {found:?} is {d:.1} px from [{x}, {y}]"
                ));
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Scans of the shared set under a radial vignette or a light gradient, some turned by quarter
/// turns. The up/down vote summed the ink above and below the lines' cores: under uneven light
/// the threshold cut descender tips and rows of diacritics into fragments that shrank the median
/// line, the real lines were dropped as too tall and a few odd ones turned pages by 180°. Every
/// line now counts once (`orient.rs`).
#[test]
fn shared_unevenly_lit_scans_turn_the_right_way() {
    shared_pages_meet_their_truth(|p| {
        p["kind"] == "scan"
            && (p["lighting"] == "radial" || p["lighting"] == "gradient")
            && p["color"] != "bilevel"
    });
}

/// Phone photos of the shared set, asked at 300 dpi as `digitize` asks: a photo states the
/// camera's nominal 72 dpi, and the mapped page was enlarged 4.2 times past the memory budget
/// (`Limit`); it is now never enlarged, and its skew is the sheet's in the photo (within 0.5°),
/// where it was the residual on the mapped page (0.0 on every photo).
#[test]
fn shared_phone_photos_are_never_enlarged() {
    let Some((dir, pages)) = shared_pages(|p| p["kind"] == "phone") else {
        return;
    };
    let mut options = no_qr();
    options.output_dpi = Some(300.0);
    let mut misses = Vec::new();
    for entry in &pages {
        let Some(r) = shared_page(&dir, entry, &options, &mut misses) else {
            continue;
        };
        let [w, h] = r.output_size;
        let [iw, ih] = r.input_size;
        if u64::from(w) * u64::from(h) > u64::from(iw) * u64::from(ih) {
            misses.push(format!("{}: enlarged to {w} x {h}", entry["file"]));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
