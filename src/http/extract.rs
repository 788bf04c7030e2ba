//! Extractors that tie a request to a user and an organization.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::AppError;
use crate::app::AppState;
use crate::auth::sessions::{self, COOKIE};
use crate::auth::users::{self, User};
use crate::orgs::{Org, OrgId, store};

/// The logged-in user, their organization and session. Rejects with a redirect to the login page.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user: User,
    pub org: Org,
    pub csrf_token: String,
    /// How many lending tasks wait for this user (the menu's badge, from `lending::todo::badge`).
    /// Counted for pages (GET) only: a POST answers with a redirect, or a refused form whose menu
    /// then shows no badge rather than cost a query on every write.
    pub waiting: u32,
    /// Complaints past their deadline that this user may see, counted for executives only (the
    /// head of the organization, to whom overdue complaints rise), on pages (GET) only.
    pub complaints_overdue: u32,
}

impl CurrentUser {
    /// Fails unless the user may change records.
    pub fn require_editor(&self) -> Result<(), AppError> {
        if self.user.role.can_edit() { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub fn org_id(&self) -> OrgId {
        self.org.id
    }

    /// How the audit log names this user.
    pub fn actor(&self) -> String {
        format!("{} ({})", self.user.username, self.user.display_name)
    }

    /// The complaints badge's text, in the organization's digits.
    pub fn complaints_overdue_label(&self) -> String {
        crate::thai::format_int(i64::from(self.complaints_overdue), self.org.digits)
    }

    /// The badge's text, in the organization's digits.
    pub fn waiting_label(&self) -> String {
        crate::thai::format_int(i64::from(self.waiting), self.org.digits)
    }
}

/// The value of a cookie in the request, if present.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let current = match parts.extensions.get::<CurrentUser>() {
            Some(found) => found.clone(),
            None => {
                let current = load(parts, state).await?;
                parts.extensions.insert(current.clone());
                current
            }
        };
        // A temporary password from the admin: nothing but choosing a new one (or leaving).
        let path = parts.uri.path();
        if current.user.must_change_password && path != "/app/password" && !path.starts_with("/logout") {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(current)
    }
}

/// The session's user and organization, from the cookie.
async fn load(parts: &Parts, state: &AppState) -> Result<CurrentUser, AppError> {
    let token = cookie(&parts.headers, COOKIE).ok_or(AppError::LoginRequired)?;
    let session = sessions::find(&state.db, &token).await?.ok_or(AppError::LoginRequired)?;
    let user = users::find_by_id(&state.db, session.user_id).await?.ok_or(AppError::LoginRequired)?;
    let org = store::find_by_id(&state.db, user.org_id).await?.ok_or(AppError::LoginRequired)?;
    let waiting = if parts.method == axum::http::Method::GET {
        crate::lending::todo::badge(&state.db, org.id, &user, crate::lending::today()).await?
    } else {
        0
    };
    let mut current = CurrentUser { user, org, csrf_token: session.csrf_token, waiting, complaints_overdue: 0 };
    if parts.method == axum::http::Method::GET && current.user.role == crate::auth::Role::Executive {
        let overdue = crate::complaints::routes::overdue_badge(&state.db, &current).await?;
        current.complaints_overdue = u32::try_from(overdue).unwrap_or(u32::MAX);
    }
    Ok(current)
}
