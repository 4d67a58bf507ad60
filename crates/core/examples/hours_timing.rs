//! Native timing of the facilities bench's workload (bench/facilities.mjs): the same 5,000
//! values (same seed and generator) at the same 8 instants, with the costliest values listed.
//! Not part of the bench; to find where the time goes. From the workspace root:
//! `cargo run -p parvis-core --release --example hours_timing` (`-- --show` prints each answer).
use std::collections::HashMap;
use std::time::Instant;

use chrono::NaiveDateTime;
use parvis_core::hours::{HolidayRules, ParsedHours, SchoolZone};

struct Rng(u32);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4294967296.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() * xs.len() as f64) as usize]
    }
}

fn main() {
    let pool_text = std::fs::read_to_string("bench/opening_hours_pool.txt").expect("pool");
    let pool: Vec<&str> = pool_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut r = Rng(20261129);
    let mut values = Vec::new();
    for _ in 0..5000 {
        let v = if r.next() < 0.7 {
            r.pick(&pool).to_owned()
        } else {
            let shape = (r.next() * 5.0) as usize;
            match shape {
                0 => format!(
                    "Mo-Fr {}-12:00,{}-{}; Sa {}-12:00{}",
                    r.pick(&["08:00", "08:30", "09:00"]),
                    r.pick(&["13:30", "14:00"]),
                    r.pick(&["17:00", "17:30", "18:00", "18:30"]),
                    r.pick(&["08:30", "09:00", "09:30"]),
                    r.pick(&["", "; PH off"])
                ),
                1 => format!(
                    "Tu-Sa {}-12:30,{}-{}{}",
                    r.pick(&["09:00", "09:30", "10:00"]),
                    r.pick(&["14:00", "14:30"]),
                    r.pick(&["18:00", "19:00"]),
                    r.pick(&["", "; PH off", "; Su,Mo off"])
                ),
                2 => format!(
                    "Mo-Sa {}-{}{}",
                    r.pick(&["07:00", "08:00", "08:30"]),
                    r.pick(&["19:00", "19:30", "20:00"]),
                    r.pick(&["", "; Su 09:00-12:30", "; Su 09:00-13:00; PH off"])
                ),
                3 => format!(
                    "{} {}-{}; Sa 09:00-12:00{}",
                    r.pick(&["Mo,We,Fr", "Tu,Th", "Mo,We-Sa"]),
                    r.pick(&["09:00", "14:00"]),
                    r.pick(&["12:00", "17:30", "18:00"]),
                    r.pick(&["", "; PH off", "; SH off"])
                ),
                _ => format!(
                    "{} {} {}-{}",
                    r.pick(&["Apr-Sep", "May-Sep", "Jun-Aug"]),
                    r.pick(&["Mo-Su", "Tu-Su", "Sa,Su"]),
                    r.pick(&["10:00", "11:00"]),
                    r.pick(&["18:00", "19:00"])
                ),
            }
        };
        // lat/lon/category draws, as the bench does.
        r.next();
        r.next();
        r.next();
        values.push(v);
    }
    let instants = [
        "2026-12-01T10:15",
        "2026-12-01T12:40",
        "2026-12-05T17:50",
        "2026-12-06T11:00",
        "2026-12-25T10:00",
        "2027-02-24T15:00",
        "2026-07-21T09:30",
        "2027-05-06T10:00",
    ];
    let rules = HolidayRules {
        school_zone: Some(SchoolZone::B),
        alsace_moselle: false,
    };
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
                    t * 1e6 / (count(v) * 8) as f64
                );
            }
        }
    }
}
