//! The call-next rule: which waiting ticket a counter calls (001 §6). A pure function of the
//! waiting tickets, the counter, the moment and the office's policy, so that every node decides
//! alike and the rule is property-tested.
//!
//! The rule, in order:
//! 1. only tickets the counter can serve: its purposes, its services (none listed = all), and
//!    a ticket redirected to one counter only there;
//! 2. first, **booked visitors inside their slot's window** (from the slot's start to its end):
//!    earliest slot first, then earliest arrival — so a booking is honoured within its slot;
//! 3. then everyone else by **virtual arrival**: the arrival less the head start of the
//!    ticket's priority group ([`Weights`]), less the near-deadline head start when the office
//!    raises tickets whose application is about to be overdue (off by default); ties by
//!    arrival, then by id.
//!
//! Consequence (property-tested): of two tickets, one with a head start at least as large that
//! arrived no later is never called after the other; a lower group overtakes a higher one only
//! when it has waited longer than the difference of their weights.

use super::ticket::{PriorityGroup, Purpose, Weights};
use jiff::{SignedDuration, Timestamp};
use std::cmp::Ordering;
use uuid::Uuid;

/// A ticket waiting to be called, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: Uuid,
    /// When the ticket was taken (a redirected ticket keeps its first arrival).
    pub arrived: Timestamp,
    pub purpose: Purpose,
    pub service: Option<String>,
    pub group: Option<PriorityGroup>,
    /// The booked slot `[start, end)`, for a ticket that came from a booking.
    pub slot: Option<(Timestamp, Timestamp)>,
    /// The planned date of the application behind the ticket (issue, or completing documents),
    /// as the end of its last day: what "about to be overdue" is measured against.
    pub due: Option<Timestamp>,
    /// A ticket redirected to one counter is called only there.
    pub only_counter: Option<Uuid>,
}

/// What a counter serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterScope {
    pub id: Uuid,
    pub purposes: Vec<Purpose>,
    /// Service codes; empty = every service.
    pub services: Vec<String>,
}

impl CounterScope {
    /// Whether the counter may call `t`.
    pub fn serves(&self, t: &Waiting) -> bool {
        if let Some(c) = t.only_counter {
            return c == self.id;
        }
        self.purposes.contains(&t.purpose)
            && (self.services.is_empty()
                || t.service.as_ref().is_none_or(|s| self.services.contains(s)))
    }
}

/// An office's ordering policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub weights: Weights,
    /// Raise tickets whose application is due within [`Policy::deadline_window`] (issue 18,
    /// point 7). Off by default.
    pub raise_near_deadline: bool,
    /// How close to its due moment an application is "about to be overdue".
    pub deadline_window: SignedDuration,
}

impl Policy {
    /// The default policy with the deadline raise on, within `hours`.
    pub fn raising_within(hours: i64) -> Policy {
        Policy {
            raise_near_deadline: true,
            deadline_window: SignedDuration::from_hours(hours),
            ..Policy::default()
        }
    }
}

/// Whether `t` is a booked visitor inside the slot's window at `now`.
pub fn in_slot(t: &Waiting, now: Timestamp) -> bool {
    t.slot.is_some_and(|(start, end)| start <= now && now < end)
}

/// Whether the application behind `t` is about to be overdue at `now` under `policy`.
pub fn near_deadline(t: &Waiting, now: Timestamp, policy: &Policy) -> bool {
    policy.raise_near_deadline
        && t.due
            .is_some_and(|due| due.duration_since(now) <= policy.deadline_window)
}

/// The head start of `t` at `now`, in minutes.
pub fn head_start(t: &Waiting, now: Timestamp, policy: &Policy) -> u32 {
    let group = t.group.map_or(0, |g| policy.weights.of(g));
    let deadline = if near_deadline(t, now, policy) {
        policy.weights.near_deadline
    } else {
        0
    };
    group + deadline
}

/// The sort key: tier (0 = booked inside the slot), then the moment that orders the tier.
fn key(t: &Waiting, now: Timestamp, policy: &Policy) -> (u8, Timestamp, Timestamp, Uuid) {
    if let (true, Some((start, _))) = (in_slot(t, now), t.slot) {
        return (0, start, t.arrived, t.id);
    }
    let minutes = i64::from(head_start(t, now, policy));
    let virtual_arrival = t
        .arrived
        .checked_sub(SignedDuration::from_mins(minutes))
        .unwrap_or(Timestamp::MIN);
    (1, virtual_arrival, t.arrived, t.id)
}

/// Compares two tickets: `Less` = called first.
pub fn compare(a: &Waiting, b: &Waiting, now: Timestamp, policy: &Policy) -> Ordering {
    key(a, now, policy).cmp(&key(b, now, policy))
}

/// The ticket `counter` calls next at `now`, if any it can serve is waiting.
pub fn next<'a>(
    waiting: &'a [Waiting],
    counter: &CounterScope,
    now: Timestamp,
    policy: &Policy,
) -> Option<&'a Waiting> {
    waiting
        .iter()
        .filter(|t| counter.serves(t))
        .min_by(|a, b| compare(a, b, now, policy))
}

/// A counter's call as the rule decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call<'a> {
    pub ticket: &'a Waiting,
    /// The near-deadline raise decided the call (issue 18, point 7): without it, the counter
    /// would have called another ticket. Recorded with the call, counted in the figures.
    pub raised: bool,
}

/// The ticket `counter` calls next at `now` and whether the near-deadline raise decided it.
pub fn decide<'a>(
    waiting: &'a [Waiting],
    counter: &CounterScope,
    now: Timestamp,
    policy: &Policy,
) -> Option<Call<'a>> {
    let ticket = next(waiting, counter, now, policy)?;
    let raised = policy.raise_near_deadline && {
        let without = Policy {
            raise_near_deadline: false,
            ..*policy
        };
        next(waiting, counter, now, &without).is_some_and(|other| other.id != ticket.id)
    };
    Some(Call { ticket, raised })
}

/// The whole queue in call order (for positions and the supervisor's board).
pub fn in_order<'a>(waiting: &'a [Waiting], now: Timestamp, policy: &Policy) -> Vec<&'a Waiting> {
    let mut all: Vec<&Waiting> = waiting.iter().collect();
    all.sort_by(|a, b| compare(a, b, now, policy));
    all
}

/// How many tickets of the same purpose are ahead of `t` (0 = called next by a free counter).
pub fn position(t: &Waiting, waiting: &[Waiting], now: Timestamp, policy: &Policy) -> usize {
    waiting
        .iter()
        .filter(|o| o.id != t.id && o.purpose == t.purpose)
        .filter(|o| compare(o, t, now, policy) == Ordering::Less)
        .count()
}

/// The estimated wait of a ticket with `ahead` tickets before it: each takes the average
/// service time, served by `counters` counters at once (at least one assumed).
pub fn estimated_wait(
    ahead: usize,
    average_service: SignedDuration,
    counters: usize,
) -> SignedDuration {
    let rounds = (ahead / counters.max(1)) as i32 + 1;
    average_service
        .checked_mul(rounds)
        .unwrap_or(SignedDuration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(min: i64) -> Timestamp {
        Timestamp::from_second(1_772_000_000 + min * 60).unwrap()
    }

    fn ticket(n: u128, arrived_min: i64, group: Option<PriorityGroup>) -> Waiting {
        Waiting {
            id: Uuid::from_u128(n),
            arrived: at(arrived_min),
            purpose: Purpose::Acceptance,
            service: None,
            group,
            slot: None,
            due: None,
            only_counter: None,
        }
    }

    fn counter() -> CounterScope {
        CounterScope {
            id: Uuid::from_u128(999),
            purposes: vec![Purpose::Acceptance],
            services: vec![],
        }
    }

    fn group() -> impl Strategy<Value = Option<PriorityGroup>> {
        prop_oneof![
            Just(None),
            proptest::sample::select(PriorityGroup::ALL.to_vec()).prop_map(Some)
        ]
    }

    #[test]
    fn arrival_order_without_priorities() {
        let q = [ticket(2, 5, None), ticket(1, 3, None), ticket(3, 7, None)];
        let p = Policy::default();
        let order: Vec<u128> = in_order(&q, at(10), &p)
            .iter()
            .map(|t| t.id.as_u128())
            .collect();
        assert_eq!(order, [1, 2, 3]);
        assert_eq!(next(&q, &counter(), at(10), &p).unwrap().id.as_u128(), 1);
        assert_eq!(position(&q[2], &q, at(10), &p), 2);
    }

    #[test]
    fn a_priority_ticket_gets_its_head_start_and_no_more() {
        // Default: disability 30 minutes. A walk-in waiting 40 minutes is still first.
        let p = Policy::default();
        let q = [
            ticket(1, 0, None),
            ticket(2, 35, Some(PriorityGroup::Disability)),
        ];
        assert_eq!(next(&q, &counter(), at(40), &p).unwrap().id.as_u128(), 1);
        let q = [
            ticket(1, 10, None),
            ticket(2, 35, Some(PriorityGroup::Disability)),
        ];
        assert_eq!(next(&q, &counter(), at(40), &p).unwrap().id.as_u128(), 2);
    }

    #[test]
    fn the_counter_calls_only_what_it_serves() {
        let p = Policy::default();
        let mut issue = ticket(1, 0, None);
        issue.purpose = Purpose::Issue;
        let mut other_service = ticket(2, 1, None);
        other_service.service = Some("S2".into());
        let mut redirected = ticket(3, 2, None);
        redirected.only_counter = Some(Uuid::from_u128(7));
        let mut mine = ticket(4, 3, None);
        mine.service = Some("S1".into());
        let q = [issue, other_service, redirected, mine];
        let c = CounterScope {
            services: vec!["S1".into()],
            ..counter()
        };
        assert_eq!(next(&q, &c, at(10), &p).unwrap().id.as_u128(), 4);
        let seven = CounterScope {
            id: Uuid::from_u128(7),
            ..c.clone()
        };
        assert_eq!(next(&q, &seven, at(10), &p).unwrap().id.as_u128(), 3);
        assert!(next(&q[..1], &c, at(10), &p).is_none());
    }

    #[test]
    fn a_booked_visitor_goes_first_inside_the_slot_only() {
        let p = Policy::default();
        let mut booked = ticket(2, 25, Some(PriorityGroup::Booked));
        booked.slot = Some((at(30), at(45)));
        let q = [ticket(1, 0, None), booked];
        // Before the slot: an ordinary head start (10 min), the early walk-in first.
        assert_eq!(next(&q, &counter(), at(29), &p).unwrap().id.as_u128(), 1);
        // Inside the slot: the booking first.
        assert_eq!(next(&q, &counter(), at(30), &p).unwrap().id.as_u128(), 2);
        // After it: back to the head start.
        assert_eq!(next(&q, &counter(), at(45), &p).unwrap().id.as_u128(), 1);
    }

    #[test]
    fn the_deadline_raise_is_off_by_default() {
        let mut urgent = ticket(2, 20, None);
        urgent.due = Some(at(60));
        let q = [ticket(1, 0, None), urgent];
        let off = Policy::default();
        assert_eq!(next(&q, &counter(), at(25), &off).unwrap().id.as_u128(), 1);
        let on = Policy::raising_within(2);
        assert!(near_deadline(&q[1], at(25), &on));
        assert_eq!(next(&q, &counter(), at(25), &on).unwrap().id.as_u128(), 2);
        // Due in three hours: not "about to be overdue" with a two-hour window.
        let mut later = q[1].clone();
        later.due = Some(at(25 + 180));
        assert!(!near_deadline(&later, at(25), &on));
    }

    #[test]
    fn a_call_is_marked_raised_only_when_the_raise_changed_it() {
        let mut urgent = ticket(2, 20, None);
        urgent.due = Some(at(60));
        let q = [ticket(1, 0, None), urgent.clone()];
        let on = Policy::raising_within(2);
        let call = decide(&q, &counter(), at(25), &on).unwrap();
        assert_eq!((call.ticket.id.as_u128(), call.raised), (2, true));
        // Off: the first comer, not raised.
        let call = decide(&q, &counter(), at(25), &Policy::default()).unwrap();
        assert_eq!((call.ticket.id.as_u128(), call.raised), (1, false));
        // On, but the urgent ticket is first anyway: called, not raised.
        let q = [urgent, ticket(3, 22, None)];
        let call = decide(&q, &counter(), at(25), &on).unwrap();
        assert_eq!((call.ticket.id.as_u128(), call.raised), (2, false));
        assert!(decide(&[], &counter(), at(25), &on).is_none());
    }

    #[test]
    fn the_estimate_counts_rounds_of_the_open_counters() {
        let avg = SignedDuration::from_mins(10);
        assert_eq!(estimated_wait(0, avg, 2), SignedDuration::from_mins(10));
        assert_eq!(estimated_wait(3, avg, 2), SignedDuration::from_mins(20));
        assert_eq!(estimated_wait(3, avg, 0), SignedDuration::from_mins(40));
    }

    proptest! {
        /// The decision is the rule's pick; a raised call is always a ticket about to be
        /// overdue, and never happens with the raise off.
        #[test]
        fn a_raised_call_is_near_its_deadline(
            arrivals in proptest::collection::vec((0i64..120, group(), proptest::option::of(0i64..600)), 1..12),
            now_off in 0i64..240, on in any::<bool>(), hours in 1i64..6,
        ) {
            let q: Vec<Waiting> = arrivals.iter().enumerate().map(|(i, (arr, g, due))| {
                let mut t = ticket(i as u128 + 1, *arr, *g);
                t.due = due.map(at);
                t
            }).collect();
            let p = if on { Policy::raising_within(hours) } else { Policy::default() };
            let now = at(120 + now_off);
            let call = decide(&q, &counter(), now, &p).unwrap();
            prop_assert_eq!(call.ticket.id, next(&q, &counter(), now, &p).unwrap().id);
            if call.raised {
                prop_assert!(on);
                prop_assert!(near_deadline(call.ticket, now, &p));
            }
        }

        /// A ticket with a head start at least as large that arrived no later is never called
        /// after the other (unless the other is a booking inside its slot).
        #[test]
        fn more_weight_and_earlier_arrival_is_never_behind(
            a_arr in 0i64..120, b_later in 0i64..120,
            ga in group(), gb in group(), now_off in 0i64..240,
            w in proptest::array::uniform6(0u32..120),
        ) {
            let weights = Weights {
                disability: w[0], elderly: w[1], pregnant: w[2], booked: w[3],
                returning_for_issue: w[4], near_deadline: w[5],
            };
            let p = Policy { weights, ..Policy::default() };
            let a = ticket(1, a_arr, ga);
            let b = ticket(2, a_arr + b_later, gb);
            let now = at(a_arr + b_later + now_off);
            let wa = ga.map_or(0, |g| weights.of(g));
            let wb = gb.map_or(0, |g| weights.of(g));
            if wa >= wb {
                prop_assert_eq!(compare(&a, &b, now, &p), Ordering::Less);
                let q = [b.clone(), a.clone()];
                prop_assert_eq!(next(&q, &counter(), now, &p).unwrap().id, a.id);
            } else if i64::from(wa) + b_later > i64::from(wb) {
                // The lower group overtakes only when it waited longer than the difference.
                prop_assert_eq!(compare(&a, &b, now, &p), Ordering::Less);
            } else if i64::from(wa) + b_later < i64::from(wb) {
                prop_assert_eq!(compare(&a, &b, now, &p), Ordering::Greater);
            }
        }

        /// While a booked visitor's slot is open, a counter that serves them calls a booking
        /// inside its slot before anyone else — so a booking is called within its window as
        /// long as a counter calls in it.
        #[test]
        fn booked_tickets_are_called_within_their_window(
            walkins in proptest::collection::vec((0i64..60, group()), 0..20),
            slot_start in 30i64..90, slot_len in 5i64..60, arrived in 0i64..120,
            into in 0i64..60,
        ) {
            let p = Policy::default();
            let mut q: Vec<Waiting> = walkins
                .iter()
                .enumerate()
                .map(|(i, (arr, g))| ticket(10 + i as u128, *arr, *g))
                .collect();
            let mut booked = ticket(1, arrived.min(slot_start + slot_len - 1), Some(PriorityGroup::Booked));
            booked.slot = Some((at(slot_start), at(slot_start + slot_len)));
            q.push(booked);
            let now = at(slot_start + into.min(slot_len - 1));
            prop_assert_eq!(next(&q, &counter(), now, &p).unwrap().id.as_u128(), 1);
        }

        /// The order is total and consistent: `next` is the head of `in_order` among tickets
        /// the counter serves, and positions count exactly the tickets before.
        #[test]
        fn next_is_the_head_of_the_order(
            ts in proptest::collection::vec((0i64..60, group(), any::<bool>()), 1..30),
            now_off in 0i64..120,
        ) {
            let p = Policy::default();
            let q: Vec<Waiting> = ts
                .iter()
                .enumerate()
                .map(|(i, (arr, g, issue))| {
                    let mut t = ticket(i as u128, *arr, *g);
                    if *issue { t.purpose = Purpose::Issue; }
                    t
                })
                .collect();
            let now = at(60 + now_off);
            let ordered = in_order(&q, now, &p);
            let head = ordered.iter().find(|t| counter().serves(t)).map(|t| t.id);
            prop_assert_eq!(next(&q, &counter(), now, &p).map(|t| t.id), head);
            for t in &q {
                let before = ordered
                    .iter()
                    .take_while(|o| o.id != t.id)
                    .filter(|o| o.purpose == t.purpose)
                    .count();
                prop_assert_eq!(position(t, &q, now, &p), before);
            }
        }
    }
}
