//! The queue's figures (003 §7(2)(3); decision Q10): per visit the ticket, first call, start
//! and finish; grouped by day, counter, employee or service: visits, served, not shown, the
//! waiting time (ticket to first call) and the service time (start to finish) as average, p90
//! and maximum, and how many visits waited or were served longer than the service's passport
//! allows. Pure: the store reads the visits, the server names the groups.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// One visit as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub day: Date,
    pub counter: Option<i64>,
    pub employee: Option<i64>,
    pub service: Option<String>,
    pub arrived: Timestamp,
    pub first_call: Option<Timestamp>,
    pub started: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    pub no_show: bool,
    /// The passport's maximum waiting and service time, in minutes (003 §7(2)(3)).
    pub max_wait_minutes: Option<u32>,
    pub max_service_minutes: Option<u32>,
    /// When the application behind the visit is due (issue of its result, completing its
    /// documents), if the ticket names one.
    pub due: Option<Timestamp>,
    /// Its call was decided by the near-deadline raise: without it, another ticket would
    /// have been called.
    pub raised: bool,
}

impl Visit {
    /// Seconds from the ticket to its first call, once called.
    pub fn wait_secs(&self) -> Option<i64> {
        self.first_call
            .map(|c| c.duration_since(self.arrived).as_secs().max(0))
    }

    /// Seconds from the start of service to its end, once finished.
    pub fn service_secs(&self) -> Option<i64> {
        match (self.started, self.finished) {
            (Some(s), Some(f)) => Some(f.duration_since(s).as_secs().max(0)),
            _ => None,
        }
    }

    pub fn wait_exceeded(&self) -> bool {
        matches!((self.wait_secs(), self.max_wait_minutes), (Some(w), Some(m)) if w > i64::from(m) * 60)
    }

    /// Whether the visit ended before its application's due moment (issue 18, point 7).
    pub fn finished_before_due(&self) -> bool {
        matches!((self.finished, self.due), (Some(f), Some(d)) if f <= d)
    }

    pub fn service_exceeded(&self) -> bool {
        matches!((self.service_secs(), self.max_service_minutes), (Some(s), Some(m)) if s > i64::from(m) * 60)
    }
}

/// Average, 90th percentile (nearest rank) and maximum of durations, in seconds; `None`
/// when there are none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Spread {
    pub count: usize,
    pub avg_secs: Option<i64>,
    pub p90_secs: Option<i64>,
    pub max_secs: Option<i64>,
}

impl Spread {
    pub fn of(mut secs: Vec<i64>) -> Spread {
        if secs.is_empty() {
            return Spread::default();
        }
        secs.sort_unstable();
        let n = secs.len();
        let rank = (n * 9).div_ceil(10).max(1);
        Spread {
            count: n,
            avg_secs: Some(secs.iter().sum::<i64>() / n as i64),
            p90_secs: Some(secs[rank - 1]),
            max_secs: secs.last().copied(),
        }
    }
}

/// The figures of a group of visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Figures {
    pub visits: usize,
    pub served: usize,
    pub no_shows: usize,
    pub wait: Spread,
    pub service: Spread,
    /// Visits that waited longer than the passport's maximum waiting time.
    pub wait_exceeded: usize,
    /// Visits served longer than the passport's maximum service time.
    pub service_exceeded: usize,
    /// Visits about a running application (issue of its result, completing its documents),
    /// and those of them finished before the application was due: with the office's
    /// near-deadline raise on and off, what the raise changes (issue 18, point 7).
    pub with_application: usize,
    pub finished_before_due: usize,
    /// Visits called ahead by the raise, and those of them finished before the application
    /// was due: the raise's effect, measured when it is on.
    pub raised: usize,
    pub raised_finished_before_due: usize,
}

impl Figures {
    pub fn of<'a>(visits: impl IntoIterator<Item = &'a Visit>) -> Figures {
        let (mut f, mut waits, mut services) = (Figures::default(), Vec::new(), Vec::new());
        for v in visits {
            f.visits += 1;
            f.no_shows += usize::from(v.no_show);
            f.wait_exceeded += usize::from(v.wait_exceeded());
            f.service_exceeded += usize::from(v.service_exceeded());
            f.with_application += usize::from(v.due.is_some());
            f.finished_before_due += usize::from(v.finished_before_due());
            f.raised += usize::from(v.raised);
            f.raised_finished_before_due += usize::from(v.raised && v.finished_before_due());
            waits.extend(v.wait_secs());
            if let Some(s) = v.service_secs() {
                f.served += 1;
                services.push(s);
            }
        }
        f.wait = Spread::of(waits);
        f.service = Spread::of(services);
        f
    }
}

/// How visits are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Day,
    Counter,
    Employee,
    Service,
}

impl By {
    pub const ALL: [By; 4] = [By::Day, By::Counter, By::Employee, By::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            By::Day => "day",
            By::Counter => "counter",
            By::Employee => "employee",
            By::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// The group of `v` (empty when the visit has none: not called, no service named).
    pub fn key(self, v: &Visit) -> String {
        match self {
            By::Day => v.day.to_string(),
            By::Counter => v.counter.map(|c| c.to_string()).unwrap_or_default(),
            By::Employee => v.employee.map(|e| e.to_string()).unwrap_or_default(),
            By::Service => v.service.clone().unwrap_or_default(),
        }
    }
}

/// The figures of `visits` by `by`, in the order of the groups' keys, and of them all.
pub fn grouped(visits: &[Visit], by: By) -> (BTreeMap<String, Figures>, Figures) {
    let mut groups: BTreeMap<String, Vec<&Visit>> = BTreeMap::new();
    for v in visits {
        groups.entry(by.key(v)).or_default().push(v);
    }
    let rows = groups
        .into_iter()
        .map(|(k, vs)| (k, Figures::of(vs)))
        .collect();
    (rows, Figures::of(visits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn at(min: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + min * 60).unwrap()
    }

    fn visit(wait: Option<i64>, service: Option<i64>) -> Visit {
        Visit {
            day: date(2026, 12, 7),
            counter: Some(1),
            employee: Some(7),
            service: Some("ARCH-001".into()),
            arrived: at(0),
            first_call: wait.map(at),
            started: wait.zip(service).map(|(w, _)| at(w + 1)),
            finished: wait.zip(service).map(|(w, s)| at(w + 1 + s)),
            no_show: false,
            max_wait_minutes: Some(15),
            max_service_minutes: Some(15),
            due: None,
            raised: false,
        }
    }

    #[test]
    fn waits_and_services_are_measured_against_the_passport() {
        let vs = vec![
            visit(Some(5), Some(10)),
            visit(Some(20), Some(16)),
            Visit {
                no_show: true,
                ..visit(Some(3), None)
            },
            visit(None, None),
        ];
        let f = Figures::of(&vs);
        assert_eq!((f.visits, f.served, f.no_shows), (4, 2, 1));
        assert_eq!(f.wait.count, 3, "the one still waiting has no wait yet");
        assert_eq!(f.wait.max_secs, Some(20 * 60));
        assert_eq!(f.wait.avg_secs, Some((5 + 20 + 3) * 60 / 3));
        assert_eq!((f.wait_exceeded, f.service_exceeded), (1, 1));
        assert_eq!(f.service.p90_secs, Some(16 * 60));
        assert_eq!((f.with_application, f.finished_before_due), (0, 0));
    }

    #[test]
    fn visits_about_an_application_count_whether_they_ended_before_it_was_due() {
        let on_time = Visit {
            due: Some(at(100)),
            ..visit(Some(5), Some(10))
        };
        let late = Visit {
            due: Some(at(10)),
            ..visit(Some(5), Some(10))
        };
        let f = Figures::of(&[on_time.clone(), late.clone(), visit(Some(1), Some(1))]);
        assert_eq!((f.with_application, f.finished_before_due), (2, 1));
        assert_eq!((f.raised, f.raised_finished_before_due), (0, 0));
        // Called ahead by the raise: counted apart, and whether that was in time.
        let raised = |v: Visit| Visit { raised: true, ..v };
        let f = Figures::of(&[raised(on_time), raised(late), visit(Some(1), Some(1))]);
        assert_eq!((f.raised, f.raised_finished_before_due), (2, 1));
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let s = Spread::of((1..=10).collect());
        assert_eq!(
            (s.p90_secs, s.max_secs, s.avg_secs),
            (Some(9), Some(10), Some(5))
        );
        assert_eq!(Spread::of(vec![]).p90_secs, None);
    }

    proptest! {
        /// The groups partition the visits: their counts add up to the whole.
        #[test]
        fn groups_add_up(waits in proptest::collection::vec(proptest::option::of(0i64..600), 0..60), by in 0usize..4) {
            let vs: Vec<Visit> = waits
                .iter()
                .enumerate()
                .map(|(i, w)| Visit { counter: Some(i as i64 % 3), employee: Some(i as i64 % 2), ..visit(*w, Some(5)) })
                .collect();
            let (rows, all) = grouped(&vs, By::ALL[by]);
            prop_assert_eq!(rows.values().map(|f| f.visits).sum::<usize>(), all.visits);
            prop_assert_eq!(rows.values().map(|f| f.wait.count).sum::<usize>(), all.wait.count);
            prop_assert!(all.wait.p90_secs <= all.wait.max_secs);
        }
    }
}
