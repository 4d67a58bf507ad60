//! `GET /api/v1/health`: what an operator's probe or the app needs to know.

use serde::{Deserialize, Serialize};

/// Liveness and readiness of one server instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers, `degraded` otherwise.
    pub status: String,
    /// The server's version (its crate version).
    pub version: String,
    /// Whether the database answered a trivial query.
    pub database: bool,
}
