//! Organizations of the registry: adding one under its parent, its signature policy, reading
//! and listing them within the caller's sub-tree.

//! `/api/v1/organizations`, `/api/v1/services`, `/api/v1/information-systems`: the registry.
//! Anyone with a token reads it; only administrators change it.

use crate::app::now;
use crate::app::paging::{Page, PageRequest};
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::state::AppState;
use qyzmet_store::{
    LocalizedName, NewOrganization, OrgKind, Organization, OrganizationEdit, SignaturePolicy,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Names {
    #[schema(schema_with = crate::app::schema::line_500)]
    pub kk: String,
    #[schema(schema_with = crate::app::schema::line_500)]
    pub ru: String,
    #[schema(schema_with = crate::app::schema::line_500)]
    pub en: String,
}

impl Names {
    pub fn validate(&self, field: &str) -> Result<LocalizedName, AppError> {
        Ok(LocalizedName {
            kk: v::text(&format!("{field}.kk"), &self.kk, 500)?,
            ru: v::text(&format!("{field}.ru"), &self.ru, 500)?,
            en: v::text(&format!("{field}.en"), &self.en, 500)?,
        })
    }
}

impl From<&LocalizedName> for Names {
    fn from(n: &LocalizedName) -> Self {
        Names {
            kk: n.kk.clone(),
            ru: n.ru.clone(),
            en: n.en.clone(),
        }
    }
}

/// A new organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganizationRequest {
    /// Unique code: 1–64 of A–Z a–z 0–9 . _ -
    #[schema(schema_with = crate::app::schema::code)]
    pub code: String,
    /// Code of the parent organization (it must exist).
    #[schema(schema_with = crate::app::schema::opt_code)]
    pub parent: Option<String>,
    #[schema(schema_with = crate::app::schema::org_kind)]
    pub kind: String,
    /// 12 digits with a valid check digit, unique in the registry.
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin: String,
    pub name: Names,
    /// Half-open working hours, e.g. "09:00-18:30" (default 09:00-18:00), the start before the end.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub working_hours: Option<String>,
}

fn kinds() -> Vec<&'static str> {
    OrgKind::ALL.iter().map(|k| k.as_str()).collect()
}

impl NewOrganizationRequest {
    /// The organization it asks for, each field checked (the API, the workstation and the
    /// catalogue import alike).
    pub fn validate(&self) -> Result<NewOrganization, AppError> {
        Ok(NewOrganization {
            code: v::org_code("code", &self.code)?,
            parent: self
                .parent
                .as_deref()
                .map(|p| v::org_code("parent", p))
                .transpose()?,
            kind: v::one_of("kind", &self.kind, &kinds())?,
            bin: v::bin("bin", &self.bin)?,
            name: self.name.validate("name")?,
            working_hours: match &self.working_hours {
                Some(w) => v::working_hours("working_hours", w)?,
                None => Default::default(),
            },
        })
    }
}

/// Adds an organization under its parent, for the API and the workstation alike; audited.
pub async fn add_organization(
    state: &AppState,
    caller: &Caller,
    req: &NewOrganizationRequest,
) -> Result<Organization, AppError> {
    caller.require_admin()?;
    let new = req.validate()?;
    let at = now();
    let org = state.store.create_organization(&new, at).await?;
    crate::app::audit_change(
        state,
        caller,
        at,
        "organization.create",
        format!("organization:{}", org.code),
        format!(
            "{} under {}",
            org.kind.as_str(),
            org.parent_code.as_ref().map(|c| c.as_ref()).unwrap_or("-")
        ),
    )
    .await;
    Ok(org)
}

/// What an administrator may change of an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    /// Under required an unsigned or failing event is refused; under optional a signature is
    /// verified when present; under off signed forms are refused (issue 3).
    #[schema(schema_with = crate::app::schema::signature_policy)]
    pub signature_policy: String,
}

/// Sets an organization's signature policy, for the API and the workstation alike (audited
/// by the store); the token caches of this node are cleared so that it applies at once.
pub async fn set_signature_policy(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &UpdateOrganizationRequest,
) -> Result<Organization, AppError> {
    caller.require_admin()?;
    let code =
        v::org_code("code", code).map_err(|_| AppError::not_found("organization_not_found"))?;
    let policies: Vec<&str> = SignaturePolicy::ALL.iter().map(|p| p.as_str()).collect();
    let policy: SignaturePolicy = v::one_of("signature_policy", &req.signature_policy, &policies)?;
    let org = state
        .store
        .set_signature_policy(&code, policy, &caller.actor(), now())
        .await?;
    state.tokens.clear();
    Ok(org)
}

/// An edit of an organization (`PATCH`): a field left out keeps its value. Its code and parent
/// are not editable: the tree they make scopes every token, user and report under it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditOrganizationRequest {
    /// The revision the edit was made from (as last read); an edit made from an older one is
    /// refused with 409 `stale_revision` instead of overwriting the newer edit.
    #[schema(minimum = 1)]
    pub revision: i64,
    #[serde(default)]
    pub name: Option<Names>,
    /// 12 digits with a valid check digit, unique in the registry.
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_bin)]
    pub bin: Option<String>,
    /// Half-open working hours, e.g. "09:00-18:30", the start before the end.
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_working_hours)]
    pub working_hours: Option<String>,
}

/// Edits an organization's names, BIN and working hours, for the API and the workstation
/// alike (administrators). Atomic and audited with the values before and after (by the store,
/// in the edit's transaction); refused when made from an older revision.
pub async fn edit_organization(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &EditOrganizationRequest,
) -> Result<Organization, AppError> {
    caller.require_admin()?;
    let code =
        v::org_code("code", code).map_err(|_| AppError::not_found("organization_not_found"))?;
    let current = state
        .store
        .organization(&code)
        .await?
        .ok_or_else(|| AppError::not_found("organization_not_found"))?;
    let edit = OrganizationEdit {
        name: match &req.name {
            Some(n) => n.validate("name")?,
            None => current.name,
        },
        bin: match &req.bin {
            Some(b) => v::bin("bin", b)?,
            None => current.bin,
        },
        working_hours: match &req.working_hours {
            Some(w) => v::working_hours("working_hours", w)?,
            None => current.working_hours,
        },
    };
    let org = state
        .store
        .update_organization(&code, req.revision, &edit, &caller.actor(), now())
        .await?;
    // A token's organization carries its BIN (the signer's): this node's caches forget it.
    state.tokens.clear();
    Ok(org)
}

/// The organizations (in the caller's sub-tree) whose code, BIN or name in any language
/// contains `query`, ignoring case, in tree order; every one for an empty query.
pub async fn search(
    state: &AppState,
    caller: &Caller,
    query: &str,
) -> Result<Vec<Organization>, AppError> {
    let needle = query.trim().to_lowercase();
    let mut orgs = state
        .store
        .every_organization(caller.scope().path())
        .await?;
    orgs.retain(|o| {
        needle.is_empty()
            || [
                o.code.as_ref(),
                o.bin.to_string().as_str(),
                &o.name.kk,
                &o.name.ru,
                &o.name.en,
            ]
            .iter()
            .any(|t| t.to_lowercase().contains(&needle))
    });
    orgs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(orgs)
}

/// One organization in the caller's sub-tree (any for administrators); a malformed code
/// finds nothing.
pub async fn show(state: &AppState, caller: &Caller, code: &str) -> Result<Organization, AppError> {
    let code =
        v::org_code("code", code).map_err(|_| AppError::not_found("organization_not_found"))?;
    state
        .store
        .organization(&code)
        .await?
        .filter(|o| match caller.scope() {
            qyzmet_store::Scope::Admin => true,
            qyzmet_store::Scope::Organization { path, .. } => o.path.starts_with(path.as_str()),
        })
        .ok_or_else(|| AppError::not_found("organization_not_found"))
}

/// A page of the organizations in the caller's sub-tree (everything for administrators), in
/// id order.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    page: PageRequest,
) -> Result<Page<Organization>, AppError> {
    let within = caller.scope().path();
    let orgs = state
        .store
        .organizations(within, page.after, page.limit + 1)
        .await?;
    Ok(Page::of(orgs, page.limit, |o| o.id))
}
