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
