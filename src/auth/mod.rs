//! Users, roles, passwords and sessions.

pub mod accounts;
pub mod admin;
pub mod login;
pub mod password;
pub mod routes;
pub mod secrets;
pub mod sessions;
pub mod throttle;
pub mod users;

use serde::Serialize;

/// What a user may do. Staff edit their organization's records; executives read and approve;
/// admins also manage users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    Admin,
    Staff,
    Executive,
}

crate::from_str_by_parse!(Role);

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Executive => "executive",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        match code {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            "executive" => Some(Role::Executive),
            _ => None,
        }
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Role::Admin => "ผู้ดูแลระบบ",
            Role::Staff => "เจ้าหน้าที่",
            Role::Executive => "ผู้บริหาร",
        }
    }

    /// May change the measures register and other records.
    pub fn can_edit(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }
}
