//! QR codes of event links, for posters and slides.

use std::io::Cursor;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("cannot encode the link as a QR code: {0}")]
    Encode(#[from] qrcode::types::QrError),
    #[error("cannot write the PNG: {0}")]
    Png(#[from] image::ImageError),
}

/// Level M survives a crease or a smudge on a printed poster and keeps the code small.
fn code(link: &str) -> Result<QrCode, QrError> {
    Ok(QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)?)
}

/// A scalable SVG, black on white with the quiet zone scanners need.
pub fn svg(link: &str) -> Result<String, QrError> {
    Ok(code(link)?
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

/// A PNG at least `size` pixels square.
pub fn png(link: &str, size: u32) -> Result<Vec<u8>, QrError> {
    let image = code(link)?
        .render::<image::Luma<u8>>()
        .min_dimensions(size, size)
        .quiet_zone(true)
        .build();
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(image).write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)?;
    Ok(bytes)
}
