//! Refuses a request whose path or query string holds a percent-encoded control character (NUL
//! above all): no handler, database query or log line should ever see one, whatever the route.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use super::error::ApiError;

pub async fn refuse_control_characters(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let uri = request.uri();
    if encodes_control_character(uri.path()) || uri.query().is_some_and(encodes_control_character) {
        let refusal = ApiError::BadRequest("the address holds a control character".into()).error_response();
        return Ok(request.into_response(refusal).map_into_right_body());
    }
    Ok(next.call(request).await?.map_into_left_body())
}

/// `%00` to `%1F` and `%7F`.
fn encodes_control_character(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && ((matches!(w[1], b'0' | b'1') && w[2].is_ascii_hexdigit()) || (w[1] == b'7' && w[2] | 0x20 == b'f'))
    })
}

#[cfg(test)]
mod tests {
    use super::encodes_control_character;

    #[test]
    fn control_characters_are_found_in_any_case() {
        for text in ["/api/v1/forms/%00", "form=%1b", "a=%7F", "a=%7f&b=1", "x%0A"] {
            assert!(encodes_control_character(text), "{text}");
        }
        for text in [
            "/api/v1/forms/seminar",
            "q=%E5%9B%9E%E5%BE%A9",
            "a=%2500",
            "a=%20",
            "%7E",
        ] {
            assert!(!encodes_control_character(text), "{text}");
        }
    }
}
