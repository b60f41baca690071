//! The counter's command for scanned pages: straighten, turn upright and crop a scan.
//!
//! ```text
//! digitize pdf [--dpi N] [--color] [--flatten | --binarize] --converter NAME --body ORG
//!              --at RFC3339 --source TEXT -o OUT.pdf IN...
//! digitize normalize IN -o OUT.png [--dpi N] [--color] [--flatten | --binarize]
//!                    [--keep-orientation] [--no-crop] [--json]
//! ```
//!
//! With `--json` it prints one object: `skew_deg` (counter-clockwise as displayed positive),
//! `orientation_deg` (the counter-clockwise quarter turn found in the input and undone),
//! `orientation_confidence`, `page_quad` (corners TL, TR, BR, BL of the upright page in input
//! pixels), `border_found`, `dpi` (of the output: `--dpi` when the file's was known, else the
//! file's, or null), `input_dpi`, `below_legal_minimum` (under 200 dpi), `output_size`, `qr`
//! (texts of the QR codes read on the normalized page before any clean-up), `qr_unreadable`
//! (codes located but not decoded) and `timings` (milliseconds per stage, `qr` among them, plus
//! `encode` and `total`).
//!
//! `pdf` normalizes every page (progress on stderr) and assembles a digitized PDF with the
//! conversion mark; a JPEG page that needs no change (upright, no border, skew under 0.05°,
//! no clean-up or resampling) is embedded as it is.
//!
//! Exit code: 0 written, 3 could not read, process or write.

use std::{path::PathBuf, process::ExitCode, time::Instant};

use clap::{Parser, Subcommand};
use docseal::scan::{
    Cleanup, ColorMode, ConversionMark, CropPolicy, OrientationPolicy, PageImage, PdfPage,
    ScanOptions, Stage,
};
use serde_json::{Map, Value, json};

/// Normalize scanned pages.
#[derive(Parser, Debug)]
#[command(name = "digitize", version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Normalize scanned pages into one digitized PDF with a conversion mark.
    Pdf {
        /// The scanned pages, in order.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the PDF.
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
        /// Resample to this resolution (dots per inch) when the file states its own.
        #[arg(long, value_name = "N")]
        dpi: Option<f32>,
        /// Keep colour (red seals stay red); default grey.
        #[arg(long)]
        color: bool,
        /// Flatten uneven light (shadows, gradients).
        #[arg(long)]
        flatten: bool,
        /// Flatten, then binarize (Sauvola); pages are stored 1-bit, losslessly.
        #[arg(long, conflicts_with = "flatten")]
        binarize: bool,
        /// Who converted (the conversion mark).
        #[arg(long)]
        converter: String,
        /// The converting body.
        #[arg(long)]
        body: String,
        /// When, RFC 3339.
        #[arg(long, value_name = "RFC3339")]
        at: String,
        /// What was converted.
        #[arg(long)]
        source: String,
    },
    /// Deskew, turn upright and crop one scanned page (PNG, JPEG, TIFF) into a PNG.
    Normalize {
        /// The scanned page.
        input: PathBuf,
        /// Where to write the normalized page (PNG).
        #[arg(short, long, value_name = "OUT.png")]
        output: PathBuf,
        /// Resample to this resolution (dots per inch) when the file states its own.
        #[arg(long, value_name = "N")]
        dpi: Option<f32>,
        /// Keep colour (red seals stay red); default grey.
        #[arg(long)]
        color: bool,
        /// Flatten uneven light (shadows, gradients).
        #[arg(long)]
        flatten: bool,
        /// Flatten, then binarize (Sauvola); QR codes are read before, on the grey page.
        #[arg(long, conflicts_with = "flatten")]
        binarize: bool,
        /// Never turn by quarter turns (only deskew).
        #[arg(long)]
        keep_orientation: bool,
        /// Do not look for a scanner border; keep the whole image.
        #[arg(long)]
        no_crop: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let (input, output, dpi, color, flatten, binarize, keep_orientation, no_crop, json) =
        match Args::parse().command {
            Command::Pdf {
                inputs,
                output,
                dpi,
                color,
                flatten,
                binarize,
                converter,
                body,
                at,
                source,
            } => {
                let options = options(dpi, color, flatten, binarize);
                let mark = ConversionMark {
                    converter,
                    organisation: body,
                    converted_at: at,
                    source,
                };
                return match pdf(&inputs, &output, &options, &mark) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("digitize: {e}");
                        ExitCode::from(3)
                    }
                };
            }
            Command::Normalize {
                input,
                output,
                dpi,
                color,
                flatten,
                binarize,
                keep_orientation,
                no_crop,
                json,
            } => (
                input,
                output,
                dpi,
                color,
                flatten,
                binarize,
                keep_orientation,
                no_crop,
                json,
            ),
        };
    let mut options = options(dpi, color, flatten, binarize);
    if keep_orientation {
        options.orientation = OrientationPolicy::Keep;
    }
    if no_crop {
        options.crop = CropPolicy::Keep;
    }
    match run(&input, &output, &options) {
        Ok(report) => {
            if json {
                println!("{report:#}");
            } else {
                println!(
                    "{}: skew {:+.2}°, turned {}°, page {}",
                    input.display(),
                    report["skew_deg"],
                    report["orientation_deg"],
                    output.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("digitize: {}: {e}", input.display());
            ExitCode::from(3)
        }
    }
}

fn options(dpi: Option<f32>, color: bool, flatten: bool, binarize: bool) -> ScanOptions {
    let mut options = ScanOptions::default();
    options.output_dpi = dpi;
    if flatten {
        options.cleanup = Cleanup::Flatten;
    }
    if binarize {
        options.cleanup = Cleanup::Binarize;
    }
    if color {
        options.color = ColorMode::Color;
    }
    options
}

/// Every page normalized, then one PDF; progress on stderr.
fn pdf(
    inputs: &[PathBuf],
    output: &PathBuf,
    options: &ScanOptions,
    mark: &ConversionMark,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut pages = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let bytes = std::fs::read(input)?;
        let page = docseal::scan::normalize(&bytes, options)
            .map_err(|e| format!("{}: {e}", input.display()))?;
        let r = &page.report;
        let untouched = bytes.starts_with(&[0xFF, 0xD8])
            && r.orientation_deg == 0
            && !r.border_found
            && r.skew_deg.abs() < 0.05
            && options.cleanup == Cleanup::None
            && r.dpi == r.input_dpi;
        let Some(dpi) = r.dpi else {
            return Err(format!("{}: the file states no resolution", input.display()).into());
        };
        eprintln!(
            "[{}/{}] {}: skew {:+.2}°, turned {}°, {} dpi{}{}",
            i + 1,
            inputs.len(),
            input.display(),
            r.skew_deg,
            r.orientation_deg,
            dpi,
            if untouched { ", embedded as it is" } else { "" },
            if r.below_legal_minimum {
                ", BELOW 200 dpi"
            } else {
                ""
            },
        );
        let image = if untouched {
            PageImage::Jpeg(bytes)
        } else {
            match (options.cleanup, page.image) {
                (Cleanup::Binarize, image) => PageImage::Bilevel(image.to_luma8()),
                (_, image::DynamicImage::ImageRgb8(rgb)) => PageImage::Rgb(rgb),
                (_, image) => PageImage::Gray(image.to_luma8()),
            }
        };
        pages.push(PdfPage { image, dpi });
    }
    std::fs::write(output, docseal::scan::assemble(&pages, mark)?)?;
    Ok(())
}

fn run(
    input: &PathBuf,
    output: &PathBuf,
    options: &ScanOptions,
) -> Result<Value, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(input)?;
    let start = Instant::now();
    let mut timings = Map::new();
    let mut current: Option<(Stage, Instant)> = None;
    let mut observer = |stage: Stage| {
        let now = Instant::now();
        if let Some((previous, since)) = current.take() {
            timings.insert(name(previous), ms(now - since));
        }
        if stage != Stage::Done {
            current = Some((stage, now));
        }
    };
    let page = docseal::scan::normalize_observed(&bytes, options, &mut observer)?;
    let encode = Instant::now();
    let mut png = Vec::new();
    page.image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    std::fs::write(output, &png)?;
    timings.insert("encode".into(), ms(encode.elapsed()));
    timings.insert("total".into(), ms(start.elapsed()));
    let r = &page.report;
    Ok(json!({
        "skew_deg": r.skew_deg,
        "orientation_deg": r.orientation_deg,
        "orientation_confidence": r.orientation_confidence,
        "page_quad": r.page_quad,
        "border_found": r.border_found,
        "dpi": r.dpi,
        "input_dpi": r.input_dpi,
        "below_legal_minimum": r.below_legal_minimum,
        "output_size": r.output_size,
        "qr": r.qr,
        "qr_unreadable": r.qr_unreadable,
        "timings": timings,
    }))
}

fn name(stage: Stage) -> String {
    serde_json::to_value(stage)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn ms(d: std::time::Duration) -> Value {
    json!((d.as_secs_f64() * 1e5).round() / 100.0)
}
