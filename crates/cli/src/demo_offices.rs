//! The demo's front offices (001 §3, §6): a public service office in Astana, Almaty and
//! Shymkent and Astana's duty department, each with the week 001 §3 sets for its kind and four
//! counters — two for acceptance and issue, one for issue, one for consultation and the
//! self-service sector (001 §11). Addresses name the city only. The demo's front-office
//! operator works window 1 of AST-01, named on its screen (001 §6).

use jiff::Timestamp;
use qyzmet_domain::front_office::{OfficeKind, Purpose, Weights};
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::front_office::{NewCounter, NewOffice};
use qyzmet_store::{LocalizedName, Store};

const ACTOR: &str = "demo";

fn name(kk: &str, ru: &str, en: &str) -> LocalizedName {
    LocalizedName {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
    }
}

/// 001 §3, the legal source of every demo week.
fn source() -> LocalizedName {
    name(
        "«Азаматтарға арналған үкімет» мемлекеттік корпорациясының қызмет қағидалары, 3-тармақ",
        "Правила деятельности Государственной корпорации «Правительство для граждан», пункт 3",
        "Rules of activity of the State Corporation \"Government for Citizens\", clause 3",
    )
}

/// Creates the demo offices and their counters.
pub async fn load(store: &Store, now: Timestamp) -> anyhow::Result<()> {
    let offices = [
        (
            "AST-01",
            "GOVCORP-AST-1",
            OfficeKind::Regular,
            name(
                "Астана қаласының №1 халыққа қызмет көрсету бөлімі",
                "Отдел обслуживания населения №1 города Астаны",
                "Public service office No 1, Astana",
            ),
            name("Астана қ.", "г. Астана", "Astana"),
        ),
        (
            "AST-D",
            "GOVCORP-AST-D",
            OfficeKind::Duty,
            name(
                "Астана қаласының кезекші халыққа қызмет көрсету бөлімі",
                "Дежурный отдел обслуживания населения города Астаны",
                "Duty public service office, Astana",
            ),
            name("Астана қ.", "г. Астана", "Astana"),
        ),
        (
            "ALA-01",
            "GOVCORP-ALA-1",
            OfficeKind::Regular,
            name(
                "Алматы қаласының №1 халыққа қызмет көрсету бөлімі",
                "Отдел обслуживания населения №1 города Алматы",
                "Public service office No 1, Almaty",
            ),
            name("Алматы қ.", "г. Алматы", "Almaty"),
        ),
        (
            "SHY-01",
            "GOVCORP-SHY-1",
            OfficeKind::Regular,
            name(
                "Шымкент қаласының №1 халыққа қызмет көрсету бөлімі",
                "Отдел обслуживания населения №1 города Шымкента",
                "Public service office No 1, Shymkent",
            ),
            name("Шымкент қ.", "г. Шымкент", "Shymkent"),
        ),
    ];
    let counters = [
        (1, vec![Purpose::Acceptance, Purpose::Issue]),
        (2, vec![Purpose::Acceptance, Purpose::Issue]),
        (3, vec![Purpose::Issue]),
        (4, vec![Purpose::Consultation, Purpose::SelfService]),
    ];
    for (code, org, kind, office_name, address) in offices {
        let office = store
            .create_office(
                &NewOffice {
                    code: code.into(),
                    organization: OrgCode::parse(org).map_err(|e| anyhow::anyhow!("{org}: {e}"))?,
                    kind,
                    name: office_name,
                    address,
                    schedule: kind.statutory_schedule(),
                    schedule_source: source(),
                    weights: Weights::default(),
                    raise_near_deadline: false,
                    deadline_window_hours: 24,
                    calls_before_no_show: 3,
                    average_service_secs: 15 * 60,
                },
                ACTOR,
                now,
            )
            .await?;
        for (window, purposes) in &counters {
            store
                .create_counter(
                    office.id,
                    &NewCounter {
                        number: *window,
                        purposes: purposes.clone(),
                        services: vec![],
                        takes_bookings: *window <= 2,
                        user_id: None,
                    },
                    ACTOR,
                    now,
                )
                .await?;
        }
    }
    Ok(())
}

/// Seats the demo account `username` at window 1 of AST-01, with the name and position its
/// screen shows (001 §6).
pub async fn seat(store: &Store, username: &str) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let user = store
        .user_id(username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo account {username}"))?;
    store
        .change_user(
            user,
            &qyzmet_store::UserChange::Profile {
                full_name: "Айгүл Серікбаева".into(),
                position: "Менеджер / Manager".into(),
            },
            ACTOR,
            now,
        )
        .await?;
    let office = store
        .office("AST-01")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo office AST-01"))?;
    let window = store
        .counters(office.id)
        .await?
        .into_iter()
        .find(|c| c.number == 1)
        .ok_or_else(|| anyhow::anyhow!("no window 1 at AST-01"))?;
    store
        .set_counter_employee(window.id, Some(user), ACTOR, now)
        .await?;
    Ok(())
}
