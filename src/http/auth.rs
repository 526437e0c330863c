//! Bearer-token authentication. `Caller` is an extractor: a handler that takes one has already
//! got a live token, and `Caller::require` checks its role.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use super::error::ApiError;
use super::AppState;
use crate::db;
use crate::domain::token::{Role, Staff};
use crate::services;

#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub role: Role,
    /// The token presented: who coded a comment, when two analysts' codings are compared.
    pub token_id: uuid::Uuid,
}

pub const STAFF: &[Role] = &[Role::Admin, Role::Analyst];
/// Staff and researchers: for aggregated data only.
pub const AGGREGATE_READERS: &[Role] = &[Role::Admin, Role::Analyst, Role::Researcher];

impl Caller {
    /// The proof that the caller is staff, for live analyses; 403 for anyone else.
    pub fn staff(self) -> Result<Staff, ApiError> {
        Staff::of(self.role).ok_or(ApiError::Forbidden)
    }

    pub fn require(self, allowed: &[Role]) -> Result<Self, ApiError> {
        if allowed.contains(&self.role) {
            Ok(self)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

fn bearer_token(request: &HttpRequest) -> Option<String> {
    let header = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = header.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim().to_owned())
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let token = bearer_token(request);
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let request = request.clone();
        Box::pin(async move {
            let token = token.ok_or(ApiError::Unauthorized)?;
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let found = db::run(&state.pool, move |conn| services::tokens::authenticate(conn, &token)).await?;
            let found = found.ok_or(ApiError::Unauthorized)?;
            super::audit_trail::name_actor(&request, found.token_id, found.role);
            Ok(Caller {
                role: found.role,
                token_id: found.token_id,
            })
        })
    }
}
