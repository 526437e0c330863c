use actix_web::http::header::{
    CacheControl, CacheDirective, ContentDisposition, ContentType, DispositionParam, DispositionType,
};
use actix_web::mime::Mime;
use actix_web::HttpResponse;

/// A file to save rather than show. Never cached: downloads may hold raw answers, and a shared
/// office computer's browser cache should not keep them.
pub fn attachment(content_type: Mime, filename: String, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType(content_type))
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .body(body)
}

/// A rendered report: a page to view, or a file to save where it has a file name.
pub fn rendered_file(rendered: crate::reports::programme::Rendered) -> HttpResponse {
    match rendered.filename {
        Some(filename) => attachment(
            rendered
                .content_type
                .parse()
                .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM),
            filename.to_owned(),
            rendered.body,
        ),
        None => HttpResponse::Ok()
            .content_type(rendered.content_type)
            .body(rendered.body),
    }
}
