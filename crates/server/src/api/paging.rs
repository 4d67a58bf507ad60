//! Query parameters shared by the paged lists (news, agenda, facilities).

use crate::error::AppError;

/// `limit` as sent, `default` when absent; 400 when not a number, 422 outside `1..=max`.
pub fn parse_limit(param: Option<&str>, default: i64, max: i64) -> Result<i64, AppError> {
    let Some(text) = param else {
        return Ok(default);
    };
    let limit: i64 = text.trim().parse().map_err(|_| bad_param("limit"))?;
    if !(1..=max).contains(&limit) {
        return Err(AppError::Validation(format!(
            "Le paramètre « limit » doit être compris entre 1 et {max}."
        )));
    }
    Ok(limit)
}

/// A malformed paging parameter (`since`, `cursor`, `limit`…): 400, with the way out.
pub fn bad_param(name: &str) -> AppError {
    AppError::BadRequest(format!(
        "Le paramètre « {name} » n’est pas valide. Recommencez sans lui pour tout recharger."
    ))
}
