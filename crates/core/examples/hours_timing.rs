//! Native timing of the facilities bench's workload (bench/facilities.mjs writes it: the same
//! 5,000 values at the same instants, with the same holiday rules), with the costliest values
//! listed. Not part of the bench; to find where the time goes. From the workspace root:
//! `node bench/facilities.mjs --workload | cargo run -p parvis-core --release --example
//! hours_timing` (`-- --show` prints each answer).
use std::collections::HashMap;
use std::time::Instant;

use chrono::NaiveDateTime;
use parvis_core::hours::{HolidayRules, ParsedHours};

/// What `node bench/facilities.mjs --workload` writes: the bench's values and instants.
#[derive(serde::Deserialize)]
struct Workload {
    values: Vec<String>,
    instants: Vec<String>,
    rules: HolidayRules,
}

fn main() {
    let workload: Workload =
        serde_json::from_reader(std::io::stdin()).expect("the workload JSON on standard input");
    let Workload {
        values,
        instants,
        rules,
    } = workload;
    let instants: Vec<NaiveDateTime> = instants
        .iter()
        .map(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").expect("instant"))
        .collect();
    let show = std::env::args().any(|a| a == "--show");
    for run in 0..3 {
        let t0 = Instant::now();
        let mut parsed: HashMap<&str, Option<ParsedHours>> = HashMap::new();
        let mut per_value: HashMap<&str, f64> = HashMap::new();
        let mut shown = std::collections::HashSet::new();
        let mut n = 0;
        for now in &instants {
            for v in &values {
                let t = Instant::now();
                let h = parsed
                    .entry(v.trim())
                    .or_insert_with(|| ParsedHours::parse(v.trim()).ok());
                if let Some(h) = h {
                    let s = h.status(&[], &rules, *now);
                    if show && run == 0 && shown.insert((*now, v.as_str())) {
                        println!("{now} {v:?} {:?}", s.state);
                    }
                    n += 1;
                }
                *per_value.entry(v.as_str()).or_default() += t.elapsed().as_secs_f64();
            }
        }
        let total = t0.elapsed().as_secs_f64();
        println!("run {run}: {:.1} ms for {n} evaluations", total * 1e3);
        if run == 2 {
            let mut costly: Vec<_> = per_value.into_iter().collect();
            costly.sort_by(|a, b| b.1.total_cmp(&a.1));
            let count = |v: &str| values.iter().filter(|x| x.as_str() == v).count();
            for (v, t) in costly.iter().take(25) {
                println!(
                    "{:8.2} ms  {:4}×  {:7.1} µs/eval  {v}",
                    t * 1e3,
                    count(v),
                    t * 1e6 / (count(v) * instants.len()) as f64
                );
            }
        }
    }
}
