//! The JSON shapes the API promises, as the types handlers read and serialise, so the OpenAPI
//! document generated from them cannot drift from what is sent: request bodies are the domain's
//! own body types (`NewEventBody`, `Codebook`, `FormFile`...), query strings the parameter
//! structs their readers take (`FilterParams`...), and responses the views here, by area.

mod analysis;
mod audit;
mod errors;
mod events;
mod forms;
mod indicators;

pub use analysis::*;
pub use audit::*;
pub use errors::*;
pub use events::*;
pub use forms::*;
pub use indicators::*;
