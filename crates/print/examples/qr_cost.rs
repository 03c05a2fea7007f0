//! Where a receipt's time goes (BENCHMARKS.md, issue 19): the mean time to encode the seal's
//! QR code and the rating link's, and to render a whole receipt with both and with the seal's
//! alone, 200 times each. `cargo run --release -p qyzmet-print --example qr_cost`.

fn main() {
    let seal = format!(
        "QZR1.{}.{}",
        "UVpSMXxyLTF8YWNjZXB0YW5jZQ".repeat(7),
        "c2lnbmF0dXJl".repeat(7)
    );
    let link = format!(
        "https://qyzmet.gov.kz/rate/QZT2.a{}",
        "YWNjZXB0YW5jZXw".repeat(3)
    );
    let receipt = |rating: Option<(&str, &str)>| {
        qyzmet_print::receipt(&qyzmet_print::Receipt {
            title: "Құжаттарды қабылдау туралы қолхат",
            fields: &[("Өтінім нөмірі", "2612-0000-0042-9")],
            list_title: "Қабылданған құжаттар",
            items: &["Өтініш (түпнұсқа, 1)"],
            seal: &seal,
            seal_caption: "Қолхатты тексеру",
            rating,
        })
        .unwrap()
    };
    time("seal qr", || qyzmet_print::QrMatrix::encode(&seal).unwrap());
    time("link qr", || qyzmet_print::QrMatrix::encode(&link).unwrap());
    time("receipt", || receipt(Some((link.as_str(), "Бағалаңыз"))));
    time("receipt without rating", || receipt(None));
}

/// Prints the mean time of `work` over 200 runs.
fn time<T>(label: &str, mut work: impl FnMut() -> T) {
    let n = 200;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(work());
    }
    println!(
        "{label}: {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}
