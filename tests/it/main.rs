//! The one integration test binary (one link on 2 cores): PDF fixtures, the officer CLI, the
//! real Vietnamese trust roots, the fuzz corpus replay, and Wycheproof signature vectors.

mod c_header;
mod chain;
mod cli;
mod dcc;
mod ffi;
mod fuzz_replay;
mod golden;
mod hostile;
mod pdf;
mod qr;
mod qr_interop;
mod qr_photos;
mod realworld;
mod scan;
mod util;
mod vn_trust;
mod wycheproof;
