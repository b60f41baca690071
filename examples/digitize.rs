//! The counter's command for scanned pages: straighten, turn upright and crop scans, and put
//! them into one digitized PDF with a conversion mark.
//!
//! ```text
//! digitize [--dpi N] [--binarize] [--color] -o OUT.pdf IN...
//!          [--flatten] [--refuse-below-200] [--assume-dpi N]
//!          [--converter NAME] [--body ORG] [--at RFC3339] [--source TEXT]
//! digitize normalize IN -o OUT.png [--dpi N] [--color] [--flatten | --binarize]
//!                    [--keep-orientation] [--no-crop] [--refuse-below-200] [--json]
//! ```
//!
//! The first form normalizes every page of every input (PNG, JPEG, TIFF; every page of a
//! multi-page TIFF) in order, shows progress on stderr (`[page k] file (file f/n, page p): …`),
//! and assembles a digitized PDF with the conversion mark. `--dpi` is the output resolution,
//! default 300 (never below 200: lower is refused); a file that states no resolution (a phone
//! photo) needs `--assume-dpi`, else it is an error. A JPEG page that needs no change (upright,
//! no border, skew under 0.05°, no clean-up, already at the output resolution) is embedded as
//! it is. The conversion mark says who converted (`--converter`, default the `USER` of the
//! session), for which body (`--body`, default "not stated"), when (`--at`, default now, UTC)
//! and from what (`--source`, default "paper original scanned as" and the input names); a
//! default is announced on stderr.
//!
//! `normalize` writes one page as PNG. With `--json` it prints one object: `skew_deg`
//! (counter-clockwise as displayed positive), `orientation_deg` (the counter-clockwise quarter
//! turn found in the input and undone), `skew_confidence` and `orientation_confidence` (0..1;
//! near 0 the detector was unsure, see `docseal::scan::PageReport`), `page_quad` (corners TL, TR,
//! BR, BL of the upright page in input pixels), `border_found`, `perspective` (a photographed
//! page mapped onto a rectangle; `skew_deg` is then the sheet's in the photo), `dpi` (the real
//! resolution of the scan, as the file states it, or null), `output_dpi` (of the written page: `--dpi` when the
//! file's was known), `below_legal_minimum` (the real resolution is under 200 dpi),
//! `output_size`, `qr` (texts of the QR codes read on the normalized page before any clean-up),
//! `qr_unreadable` (codes located but not decoded) and `timings` (milliseconds per stage, `qr`
//! among them, plus `encode` and `total`).
//!
//! Below 200 dpi a page is flagged (`BELOW 200 dpi` on stderr, `below_legal_minimum` in JSON);
//! with `--refuse-below-200` it is refused, and so is a file that states no resolution.
//!
//! Exit code: 0 written, 3 could not read, process or write.

use std::{path::PathBuf, process::ExitCode, time::Instant};

use clap::{Args, Parser, Subcommand};
use docseal::scan::{
    Cleanup, ColorMode, ConversionMark, CropPolicy, OrientationPolicy, PdfPage, ResolutionPolicy,
    ScanOptions, Stage,
};
use serde_json::{Map, Value, json};

/// Normalize scanned pages into a digitized PDF.
#[derive(Parser, Debug)]
#[command(
    name = "digitize",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    pdf: PdfArgs,
}

/// The first form: pages in, one PDF out.
#[derive(Args, Debug)]
struct PdfArgs {
    /// The scanned pages, in order (a multi-page TIFF counts for all its pages).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write the PDF.
    #[arg(short, long, value_name = "OUT.pdf", required = true)]
    output: Option<PathBuf>,
    #[command(flatten)]
    page: PageArgs,
    /// Who converted (the conversion mark). Default: the session's USER.
    #[arg(long)]
    converter: Option<String>,
    /// The converting body. Default: "not stated".
    #[arg(long)]
    body: Option<String>,
    /// When, RFC 3339. Default: now, UTC.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// What was converted. Default: "paper original scanned as" and the input names.
    #[arg(long)]
    source: Option<String>,
    /// Resolution to assume for a file that states none (a phone photo), dots per inch: the
    /// PDF page size needs one. Default: none, such a file is an error.
    #[arg(long, value_name = "N")]
    assume_dpi: Option<f32>,
}

/// Options shared by both forms.
#[derive(Args, Debug)]
struct PageArgs {
    /// Output resolution in dots per inch (when the file states its own); at least 200.
    #[arg(long, value_name = "N", default_value_t = 300.0)]
    dpi: f32,
    /// Keep colour (red seals stay red); default grey.
    #[arg(long)]
    color: bool,
    /// Flatten uneven light (shadows, gradients).
    #[arg(long)]
    flatten: bool,
    /// Flatten, then binarize (Sauvola); PDF pages are stored 1-bit, losslessly. QR codes are
    /// read before, on the grey page.
    #[arg(long, conflicts_with = "flatten")]
    binarize: bool,
    /// Refuse scans below 200 dpi, and files that state no resolution (default: flag them).
    #[arg(long)]
    refuse_below_200: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Deskew, turn upright and crop one scanned page (PNG, JPEG, TIFF) into a PNG.
    Normalize {
        /// The scanned page (the first page of a multi-page TIFF).
        input: PathBuf,
        /// Where to write the normalized page (PNG).
        #[arg(short, long, value_name = "OUT.png")]
        output: PathBuf,
        #[command(flatten)]
        page: PageArgs,
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
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Normalize {
            input,
            output,
            page,
            keep_orientation,
            no_crop,
            json,
        }) => {
            let mut options = options(&page);
            if keep_orientation {
                options.orientation = OrientationPolicy::Keep;
            }
            if no_crop {
                options.crop = CropPolicy::Keep;
            }
            normalize(&input, &output, &options, json)
                .map_err(|e| format!("{}: {e}", input.display()).into())
        }
        None => pdf(cli.pdf),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("digitize: {e}");
            ExitCode::from(3)
        }
    }
}

fn options(args: &PageArgs) -> ScanOptions {
    let mut options = ScanOptions::default();
    options.output_dpi = Some(args.dpi);
    if args.flatten {
        options.cleanup = Cleanup::Flatten;
    }
    if args.binarize {
        options.cleanup = Cleanup::Binarize;
    }
    if args.color {
        options.color = ColorMode::Color;
    }
    if args.refuse_below_200 {
        options.resolution = ResolutionPolicy::Refuse;
    }
    options
}

/// The conversion mark from the arguments, defaults announced on stderr.
fn mark(args: &PdfArgs) -> ConversionMark {
    let default = |what: &str, value: String| {
        eprintln!("digitize: no --{what}, the conversion mark says: {value}");
        value
    };
    let converter = args.converter.clone().unwrap_or_else(|| {
        default(
            "converter",
            std::env::var("USER").unwrap_or_else(|_| "not stated".into()),
        )
    });
    let organisation = args
        .body
        .clone()
        .unwrap_or_else(|| default("body", "not stated".into()));
    let converted_at = args.at.clone().unwrap_or_else(|| {
        let now = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
        default(
            "at",
            now.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        )
    });
    let source = args.source.clone().unwrap_or_else(|| {
        let names: Vec<String> = args
            .inputs
            .iter()
            .map(|p| {
                p.file_name()
                    .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
            })
            .collect();
        default(
            "source",
            format!("paper original scanned as {}", names.join(", ")),
        )
    });
    ConversionMark {
        converter,
        organisation,
        converted_at,
        source,
    }
}

/// Every page of every input normalized, then one PDF; progress on stderr.
fn pdf(args: PdfArgs) -> Result<(), Box<dyn std::error::Error>> {
    let options = options(&args.page);
    let mark = mark(&args);
    let Some(output) = &args.output else {
        return Err("no output (-o OUT.pdf)".into());
    };
    let mut pages = Vec::new();
    for (f, input) in args.inputs.iter().enumerate() {
        let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
        let loaded = docseal::scan::pages(&bytes, &options)
            .map_err(|e| format!("{}: {e}", input.display()))?;
        for (p, loaded) in loaded.enumerate() {
            let at = format!("{} page {}", input.display(), p + 1);
            let mut assumed = false;
            let page = loaded
                .and_then(|mut l| {
                    if l.dpi.is_none() && args.assume_dpi.is_some() {
                        l.dpi = args.assume_dpi;
                        assumed = true;
                    }
                    docseal::scan::normalize_loaded(&l, &options, &mut |_| {})
                })
                .map_err(|e| format!("{at}: {e}"))?;
            // The library decides: an upright JPEG (no EXIF turn) left as it was goes in as
            // it is; a multi-page TIFF's pages never do.
            let untouched = docseal::scan::jpeg_as_is(&bytes, &page.report, &options);
            let r = &page.report;
            let Some(dpi) = r.output_dpi else {
                return Err(
                    format!("{at}: the file states no resolution (see --assume-dpi)").into(),
                );
            };
            eprintln!(
                "[page {}] {} (file {}/{}, page {}): skew {:+.2}°, turned {}°, {} dpi{}{}{}{}{}",
                pages.len() + 1,
                input.display(),
                f + 1,
                args.inputs.len(),
                p + 1,
                r.skew_deg,
                r.orientation_deg,
                dpi,
                if assumed {
                    format!(", {} dpi assumed", r.dpi.unwrap_or_default())
                } else {
                    String::new()
                },
                if r.perspective {
                    ", perspective corrected"
                } else {
                    ""
                },
                if untouched { ", embedded as it is" } else { "" },
                if r.qr.is_empty() {
                    String::new()
                } else {
                    format!(", QR {:?}", r.qr)
                },
                match r.dpi {
                    Some(real) if r.below_legal_minimum => format!(", BELOW 200 dpi ({real})"),
                    _ => String::new(),
                },
            );
            let image = docseal::scan::page_image(&bytes, page, &options);
            pages.push(PdfPage { image, dpi });
        }
    }
    std::fs::write(output, docseal::scan::assemble(&pages, &mark)?)?;
    eprintln!("{} pages -> {}", pages.len(), output.display());
    Ok(())
}

fn normalize(
    input: &PathBuf,
    output: &PathBuf,
    options: &ScanOptions,
    json: bool,
) -> Result<(), Box<dyn std::error::Error>> {
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
    if json {
        let report = json!({
            "skew_deg": r.skew_deg,
            "skew_confidence": r.skew_confidence,
            "orientation_deg": r.orientation_deg,
            "orientation_confidence": r.orientation_confidence,
            "page_quad": r.page_quad,
            "border_found": r.border_found,
            "perspective": r.perspective,
            "dpi": r.dpi,
            "output_dpi": r.output_dpi,
            "below_legal_minimum": r.below_legal_minimum,
            "output_size": r.output_size,
            "qr": r.qr,
            "qr_unreadable": r.qr_unreadable,
            "jpeg_as_is": r.jpeg_as_is,
            "timings": timings,
        });
        println!("{report:#}");
    } else {
        println!(
            "{}: skew {:+.2}°, turned {}°, page {}",
            input.display(),
            r.skew_deg,
            r.orientation_deg,
            output.display()
        );
    }
    if r.below_legal_minimum {
        eprintln!(
            "digitize: {}: BELOW 200 dpi ({} dpi)",
            input.display(),
            r.dpi.unwrap_or_default()
        );
    }
    Ok(())
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
