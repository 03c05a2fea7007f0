//! The analysts' dashboard (000 §11): applications by stage, open overdue and nearing ones
//! by executing organization and by service, a 90-day chart, and the headline figures (open
//! overdue, nearing, and the share of this month's completions made on time) — of the whole
//! country, or of one organization's sub-tree when one is chosen: every figure follows the
//! choice.

use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::zone;
use qyzmet_store::{Alerts, Completions, DayCounts, Organization, Scope};

/// The figures of the dashboard, all of one scope.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The organization chosen (its sub-tree), or none: the whole country.
    pub organization: Option<Organization>,
    pub by_stage: Vec<(String, i64)>,
    /// Open applications by executing organization's path, within the scope.
    pub by_executor: Vec<Alerts<String>>,
    pub by_service: Vec<Alerts<String>>,
    /// The last 90 local days, `first_day..=today` (days since 1970-01-01, Almaty).
    pub days: Vec<DayCounts>,
    pub first_day: i64,
    pub today: i64,
    pub offset_secs: i64,
    pub headline: Headline,
}

/// The headline figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headline {
    pub open_overdue: i64,
    pub nearing: i64,
    /// Completed this month (Almaty), and of them before the deadline.
    pub this_month: Completions,
}

impl Headline {
    /// The share on time this month, in whole percent (none before the first completion).
    pub fn on_time_percent(&self) -> Option<i64> {
        let c = self.this_month;
        (c.completed > 0).then(|| (c.on_time * 100 + c.completed / 2) / c.completed)
    }
}

/// The dashboard of the caller's reach, or of the sub-tree of `organization` (its code)
/// within it; an organization outside the caller's reach, or none of that code, is not found.
pub async fn dashboard(
    state: &AppState,
    caller: &Caller,
    organization: Option<&str>,
    now: Timestamp,
) -> Result<Dashboard, AppError> {
    let organization = match organization.filter(|c| !c.is_empty()) {
        Some(code) => Some(crate::app::registry::organizations::show(state, caller, code).await?),
        None => None,
    };
    // Without a choice, the caller's whole reach: the country for analysts.
    let within = match (&organization, caller.scope()) {
        (Some(o), _) => Some(o.path.as_str()),
        (None, Scope::Admin) => None,
        (None, scope) => scope.path(),
    };
    let store = &state.store;
    let by_stage = store.count_by_stage(within).await?;
    let by_executor = store.alerts_by_executor(within).await?;
    let by_service = store.alerts_by_service(within).await?;
    let local = now.to_zoned(zone::almaty().clone());
    let offset_secs = i64::from(local.offset().seconds());
    let today = (now.as_second() + offset_secs).div_euclid(86_400);
    let first_day = today - 89;
    let from = Timestamp::from_second(first_day * 86_400 - offset_secs).unwrap_or(now);
    let to = now + SignedDuration::from_hours(24);
    let days = store.daily_counts(from, to, offset_secs, within).await?;
    let month_start = local
        .date()
        .first_of_month()
        .to_zoned(zone::almaty().clone())
        .map(|z| z.timestamp())
        .unwrap_or(now);
    let this_month = store.completions(month_start, to, within).await?;
    let headline = Headline {
        open_overdue: by_executor.iter().map(|a| a.overdue).sum(),
        nearing: by_executor.iter().map(|a| a.nearing).sum(),
        this_month,
    };
    Ok(Dashboard {
        organization,
        by_stage,
        by_executor,
        by_service,
        days,
        first_day,
        today,
        offset_secs,
        headline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_on_time_is_rounded_and_absent_without_completions() {
        let h = |completed, on_time| Headline {
            open_overdue: 0,
            nearing: 0,
            this_month: Completions { completed, on_time },
        };
        assert_eq!(h(0, 0).on_time_percent(), None);
        assert_eq!(h(3, 2).on_time_percent(), Some(67));
        assert_eq!(h(200, 199).on_time_percent(), Some(100));
        assert_eq!(h(8, 0).on_time_percent(), Some(0));
    }
}
