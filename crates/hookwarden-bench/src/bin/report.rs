//! Tables and charts from the `compare` bench's criterion estimates, written into
//! `BENCHMARKS.md` and the README.
//!
//! ```sh
//! cargo run --release --bin report -- \
//!     [--criterion DIR] [--baselines new | pass1,pass2,...] [--interleaved FILE] [--docs DIR] \
//!     [--update FILE]...
//! ```
//!
//! Reads `<criterion>/**/<baseline>/{benchmark,estimates}.json` for each baseline (criterion's
//! `--save-baseline` names). The criterion directory defaults to `$CARGO_TARGET_DIR/criterion`,
//! else this crate's `target/criterion`. Each figure is the median over the passes of
//! criterion's median. The report prints Markdown tables of those figures, their ratios, the
//! issue's bars and the spread between passes, and writes log-log SVG charts of time per
//! verify against body size (one per scheme, plus one of the ratio to the floor) into the docs
//! directory, the repository's `docs/bench` unless `--docs` says otherwise.
//!
//! Each `--update FILE` gets its generated blocks rewritten: the text between
//! `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`. NAME is one of the sections below
//! (`verify`, `rotation`, `bars`, `passes`, `headline`, and `interleaved` and
//! `interleaved-bars` from `--interleaved FILE`, the output of `benches/interleaved.rs`) or the
//! name of a file in the docs
//! directory (`allocs.md`, `machine.md`, `tower-loopback.txt`, ...), which is quoted as it is
//! (`.md`) or as a text block. A block whose start marker ends its line is replaced by whole
//! lines; one that goes on within the line is replaced inline (the README's headline).

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use hookwarden_bench::{FLOOR, HOOKWARDEN, RAW, SIZES, STANDARDWEBHOOKS, SVIX, Scheme, WEBHOOK_VERIFY};
use plotters::prelude::*;
use serde_json::Value;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Medians in nanoseconds by (group, function).
type Medians = BTreeMap<(String, String), f64>;

struct Args {
    criterion: PathBuf,
    baselines: Vec<String>,
    docs: PathBuf,
    update: Vec<PathBuf>,
    interleaved: Option<PathBuf>,
}

fn args() -> Result<Args> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| here.join("target"), PathBuf::from);
    let mut args = Args {
        criterion: target.join("criterion"),
        baselines: vec!["new".to_owned()],
        docs: here.join("../../docs/bench"),
        update: Vec::new(),
        interleaved: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--criterion" => args.criterion = value()?.into(),
            "--baselines" => args.baselines = value()?.split(',').map(str::to_owned).collect(),
            "--docs" => args.docs = value()?.into(),
            "--update" => args.update.push(value()?.into()),
            "--interleaved" => args.interleaved = Some(value()?.into()),
            _ => return Err(format!("unknown argument {flag}").into()),
        }
    }
    Ok(args)
}

fn read_json(path: &Path) -> Result<Value> {
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

/// Every benchmark's median under `dir`, for `baseline`.
fn medians(dir: &Path, baseline: &str, into: &mut Medians) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|name| name == baseline) {
            let (benchmark, estimates) = (path.join("benchmark.json"), path.join("estimates.json"));
            if benchmark.exists() && estimates.exists() {
                let benchmark = read_json(&benchmark)?;
                let median = read_json(&estimates)?["median"]["point_estimate"]
                    .as_f64()
                    .ok_or("estimates.json without a median")?;
                let field = |name: &str| benchmark[name].as_str().unwrap_or_default().to_owned();
                into.insert((field("group_id"), field("function_id")), median);
            }
        } else {
            medians(&path, baseline, into)?;
        }
    }
    Ok(())
}

/// The fastest batches of `benches/interleaved.rs`: one `{"group","function","ns"}` a line.
fn interleaved(path: &Path) -> Result<Medians> {
    let mut fastest = Medians::new();
    for line in std::fs::read_to_string(path)?.lines().filter(|line| line.starts_with('{')) {
        let value: Value = serde_json::from_str(line)?;
        let field = |name: &str| value[name].as_str().map(str::to_owned).ok_or("a line without a name");
        let ns = value["ns"].as_f64().ok_or("a line without ns")?;
        fastest.insert((field("group")?, field("function")?), ns);
    }
    if fastest.is_empty() {
        return Err(format!("no figures in {}", path.display()).into());
    }
    Ok(fastest)
}

/// The median over the passes of each benchmark of the first pass (the mean of the middle two
/// for an even count).
fn median_of(passes: &[Medians]) -> Medians {
    let mut medians = Medians::new();
    for key in passes[0].keys() {
        let mut values: Vec<f64> = passes.iter().filter_map(|pass| pass.get(key).copied()).collect();
        values.sort_by(f64::total_cmp);
        let middle = values.len() / 2;
        let median =
            if values.len() % 2 == 1 { values[middle] } else { (values[middle - 1] + values[middle]) / 2.0 };
        medians.insert(key.clone(), median);
    }
    medians
}

fn time(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e4 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

fn group(scheme: Scheme, size: &str) -> String {
    format!("{}-{size}", scheme.id())
}

fn get(medians: &Medians, group: &str, function: &str) -> Option<f64> {
    medians.get(&(group.to_owned(), function.to_owned())).copied()
}

fn table_header(out: &mut String, first: &str) -> fmt::Result {
    writeln!(out, "| {first} | {} |", SIZES.map(|(_, size)| size).join(" | "))?;
    writeln!(out, "|---|{}", "--:|".repeat(SIZES.len()))
}

fn row(out: &mut String, label: &str, cells: impl Iterator<Item = Option<String>>) -> fmt::Result {
    let cells: Vec<String> = cells.map(|cell| cell.unwrap_or_else(|| "–".to_owned())).collect();
    writeln!(out, "| {label} | {} |", cells.join(" | "))
}

/// For each scheme: time per verify, ratio to the floor, and how many times faster hookwarden is.
fn verify_tables(out: &mut String, medians: &Medians) -> fmt::Result {
    for scheme in Scheme::ALL {
        let floor = |size: &str| get(medians, &group(scheme, size), FLOOR);
        let of = |name: &str, size: &str| get(medians, &group(scheme, size), name);

        writeln!(out, "#### {}: median time per verify\n", scheme.title())?;
        table_header(out, "contender")?;
        for &name in scheme.contenders() {
            row(out, name, SIZES.iter().map(|(_, size)| of(name, size).map(time)))?;
        }
        row(
            out,
            "(body GB/s of hookwarden)",
            SIZES.iter().map(|&(len, size)| of(HOOKWARDEN, size).map(|ns| format!("{:.2}", len as f64 / ns))),
        )?;

        writeln!(
            out,
            "\n#### {}: ratio to the floor (SHA-256 of the {} signed bytes)\n",
            scheme.title(),
            match scheme {
                Scheme::StandardWebhooks => "N + 43",
                Scheme::Stripe => "N + 11",
                Scheme::GitHub => "N",
            }
        )?;
        table_header(out, "contender")?;
        for &name in scheme.contenders().iter().filter(|&&name| name != FLOOR) {
            row(
                out,
                name,
                SIZES.iter().map(|(_, size)| Some(format!("{:.2}x", of(name, size)? / floor(size)?))),
            )?;
        }

        writeln!(out, "\n#### {}: how many times faster hookwarden is\n", scheme.title())?;
        table_header(out, "than")?;
        for &name in scheme.contenders().iter().filter(|&&name| name != FLOOR && name != HOOKWARDEN) {
            row(
                out,
                name,
                SIZES
                    .iter()
                    .map(|(_, size)| Some(format!("{:.2}x", of(name, size)? / of(HOOKWARDEN, size)?))),
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The interleaved figures in one table: time per verify and, in brackets, the ratio to the floor.
fn interleaved_table(out: &mut String, fastest: &Medians) -> fmt::Result {
    writeln!(out, "| scheme | contender | {} |", SIZES.map(|(_, size)| size).join(" | "))?;
    writeln!(out, "|---|---|{}", "--:|".repeat(SIZES.len()))?;
    for scheme in Scheme::ALL {
        for &name in scheme.contenders() {
            let cells: Vec<String> = SIZES
                .iter()
                .map(|(_, size)| {
                    let g = group(scheme, size);
                    match (get(fastest, &g, name), get(fastest, &g, FLOOR)) {
                        (Some(ns), Some(floor)) if name != FLOOR => {
                            format!("{} ({:.2}x)", time(ns), ns / floor)
                        }
                        (Some(ns), _) => time(ns),
                        (None, _) => "–".to_owned(),
                    }
                })
                .collect();
            writeln!(out, "| {} | {name} | {} |", scheme.title(), cells.join(" | "))?;
        }
    }
    Ok(())
}

/// Verifying with 1, 2 and 5 keys, the matching one last.
fn rotation_table(out: &mut String, medians: &Medians) -> fmt::Result {
    writeln!(
        out,
        "| contender | size | 1 key | 2 keys | 5 keys | 2 keys / 1 | 5 keys / 1 | per extra key |"
    )?;
    writeln!(out, "|---|---|--:|--:|--:|--:|--:|--:|")?;
    for (size, names) in [
        ("1KiB", &[RAW, HOOKWARDEN, STANDARDWEBHOOKS, SVIX, WEBHOOK_VERIFY][..]),
        ("1MiB", &[RAW, HOOKWARDEN]),
    ] {
        let group = format!("rotation-{size}");
        for &name in names {
            let at = |keys: &str| get(medians, &group, &format!("{name}-{keys}"));
            let (Some(one), Some(two), Some(five)) = (at("1key"), at("2keys"), at("5keys")) else {
                continue;
            };
            writeln!(
                out,
                "| {name} | {size} | {} | {} | {} | {:.2}x | {:.2}x | {} |",
                time(one),
                time(two),
                time(five),
                two / one,
                five / one,
                time((five - one) / 4.0)
            )?;
        }
    }
    Ok(())
}

/// One bar of the issue: what it asks, the figure, and whether the figure meets it.
struct Bar {
    what: String,
    figure: String,
    met: bool,
}

/// The bars the issue sets, judged on one set of figures.
fn judge(medians: &Medians) -> Vec<Bar> {
    let mut bars = Vec::new();
    for scheme in Scheme::ALL {
        for (_, size) in SIZES {
            let g = group(scheme, size);
            let Some(ours) = get(medians, &g, HOOKWARDEN) else { continue };
            let (closest, best) = scheme
                .contenders()
                .iter()
                .filter(|&&n| n != FLOOR && n != RAW && n != HOOKWARDEN)
                .filter_map(|&n| Some((n, get(medians, &g, n)?)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or(("none", f64::INFINITY));
            bars.push(Bar {
                what: format!("fastest crate, {} {size}", scheme.title()),
                figure: format!("{} vs {closest} {} ({:.2}x)", time(ours), time(best), best / ours),
                met: ours < best,
            });
        }
    }
    let sw = |name: &str| get(medians, &group(Scheme::StandardWebhooks, "1KiB"), name);
    for other in [STANDARDWEBHOOKS, SVIX] {
        if let (Some(theirs), Some(ours)) = (sw(other), sw(HOOKWARDEN)) {
            bars.push(Bar {
                what: format!("≥5x faster than {other}, Standard Webhooks 1KiB"),
                figure: format!("{:.2}x", theirs / ours),
                met: theirs / ours >= 5.0,
            });
        }
    }
    for scheme in Scheme::ALL {
        for (_, size) in &SIZES[1..] {
            let limit = if *size == "1KiB" { 1.35 } else { 1.05 };
            let g = group(scheme, size);
            if let (Some(ours), Some(floor)) = (get(medians, &g, HOOKWARDEN), get(medians, &g, FLOOR)) {
                bars.push(Bar {
                    what: format!("≤{limit}x the floor, {} {size}", scheme.title()),
                    figure: format!("{:.3}x", ours / floor),
                    met: ours / floor <= limit,
                });
            }
        }
    }
    bars
}

/// The bars as a table, after a line that counts them and names those not met.
fn bars(out: &mut String, medians: &Medians) -> fmt::Result {
    let bars = judge(medians);
    let missed: Vec<String> =
        bars.iter().filter(|bar| !bar.met).map(|bar| format!("{} ({})", bar.what, bar.figure)).collect();
    write!(out, "{} of {} bars met.", bars.len() - missed.len(), bars.len())?;
    if !missed.is_empty() {
        write!(out, " Not met: {}.", missed.join("; "))?;
    }
    writeln!(out, "\n\n| bar | figure | met |")?;
    writeln!(out, "|---|---|---|")?;
    for bar in &bars {
        writeln!(out, "| {} | {} | {} |", bar.what, bar.figure, if bar.met { "yes" } else { "**no**" })?;
    }
    Ok(())
}

/// How far apart the passes are: for each benchmark, (slowest - fastest) / median; then the
/// bars of each pass on its own.
fn passes_section(out: &mut String, passes: &[Medians], medians: &Medians, names: &[String]) -> fmt::Result {
    if passes.len() < 2 {
        return writeln!(out, "One pass ({}): no spread to show.", names.join(", "));
    }
    let mut spreads: Vec<(f64, String, Vec<f64>)> = medians
        .iter()
        .map(|(key, median)| {
            let values: Vec<f64> = passes.iter().filter_map(|pass| pass.get(key).copied()).collect();
            let (low, high) =
                values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
            ((high - low) / median * 100.0, format!("{}/{}", key.0, key.1), values)
        })
        .collect();
    spreads.sort_by(|a, b| b.0.total_cmp(&a.0));
    let within = |pct: f64| spreads.iter().filter(|(spread, _, _)| *spread <= pct).count();
    writeln!(
        out,
        "Passes {}. Of {} benchmarks, (slowest − fastest) / median is within 5% for {}, within 10% \
         for {}, within 20% for {}. The widest:\n",
        names.join(", "),
        spreads.len(),
        within(5.0),
        within(10.0),
        within(20.0)
    )?;
    for (spread, name, values) in spreads.iter().take(10) {
        let values: Vec<String> = values.iter().map(|&v| time(v)).collect();
        writeln!(out, "- `{name}`: {spread:.0}% ({})", values.join(", "))?;
    }
    for (pass, name) in passes.iter().zip(names) {
        writeln!(out, "\n#### Bars in pass `{name}` alone\n")?;
        bars(out, pass)?;
    }
    Ok(())
}

/// One sentence: hookwarden against the two reference crates and the floor, Standard Webhooks
/// at 1 KiB.
fn headline(out: &mut String, medians: &Medians) -> fmt::Result {
    let at = |name: &str| get(medians, &group(Scheme::StandardWebhooks, "1KiB"), name);
    let (Some(ours), Some(floor), Some(sw), Some(svix)) =
        (at(HOOKWARDEN), at(FLOOR), at(STANDARDWEBHOOKS), at(SVIX))
    else {
        return write!(out, "(no Standard Webhooks 1 KiB figures)");
    };
    write!(
        out,
        "verifying a 1 KiB Standard Webhooks delivery takes {}: {:.1}x faster than the \
         `standardwebhooks` crate and {:.1}x faster than `svix`, at {:.2}x the time of a bare \
         SHA-256 of the signed bytes",
        time(ours),
        sw / ours,
        svix / ours,
        ours / floor
    )
}

fn color(name: &str) -> RGBColor {
    match name {
        FLOOR => RGBColor(0, 0, 0),
        RAW => RGBColor(140, 140, 140),
        HOOKWARDEN => RGBColor(214, 39, 40),
        STANDARDWEBHOOKS => RGBColor(31, 119, 180),
        SVIX => RGBColor(148, 103, 189),
        WEBHOOK_VERIFY => RGBColor(44, 160, 44),
        _ => RGBColor(255, 127, 14),
    }
}

fn size_label(log2: f64) -> String {
    let bytes = 2f64.powf(log2).round() as u64;
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

/// One line per contender: (name, [(log2 of the body size, value)]).
type Lines = Vec<(&'static str, Vec<(f64, f64)>)>;

/// A log-log chart: x is log2 of the body size (labelled in bytes), y is on a log scale.
fn chart(
    path: &Path,
    caption: &str,
    y_desc: &str,
    lines: &Lines,
    y_label: fn(f64) -> String,
    legend: SeriesLabelPosition,
    decades: bool,
) -> Result<()> {
    let values = lines.iter().flat_map(|(_, points)| points.iter().map(|&(_, y)| y));
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), y| (l.min(y), h.max(y)));
    // Times span whole decades, so that every power of ten is labelled; ratios start near 1x
    // and end at the next 1, 2 or 5 times a power of ten.
    let (low, high) = if decades {
        (10f64.powf(low.log10().floor()), 10f64.powf(high.log10().ceil()))
    } else {
        let decade = 10f64.powf((high * 1.1).log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].into_iter().find(|step| step * decade >= high * 1.1).unwrap_or(10.0);
        (low * 0.8, step * decade)
    };
    let root = SVGBackend::new(path, (900, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(80)
        .build_cartesian_2d(5.8f64..20.2, (low..high).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("body size (log scale)")
        .y_desc(y_desc)
        .x_labels(8)
        .max_light_lines(4)
        .y_labels(12)
        .x_label_formatter(&|x| size_label(*x))
        .y_label_formatter(&|y| y_label(*y))
        .draw()?;
    for (name, points) in lines {
        let style = color(name);
        let width = if *name == HOOKWARDEN { 3 } else { 2 };
        chart
            .draw_series(LineSeries::new(points.clone(), style.stroke_width(width)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style.stroke_width(width)));
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, style.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(legend)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// One line per contender of `scheme`, its points `value(group, contender)` at each size.
fn lines(scheme: Scheme, value: impl Fn(&str, &str) -> Option<f64>) -> Lines {
    scheme
        .contenders()
        .iter()
        .map(|&name| {
            let points = SIZES
                .iter()
                .filter_map(|&(len, size)| Some(((len as f64).log2(), value(&group(scheme, size), name)?)))
                .collect();
            (name, points)
        })
        .collect()
}

/// `docs/bench/<scheme>.svg` for each scheme and `docs/bench/standard-webhooks-ratio.svg`.
fn charts(medians: &Medians, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for scheme in Scheme::ALL {
        let path = dir.join(format!("{}.svg", scheme.id().replace('_', "-")));
        chart(
            &path,
            &format!("{}: time per verify against body size", scheme.title()),
            "time per verify (log scale)",
            &lines(scheme, |group, name| get(medians, group, name)),
            time,
            SeriesLabelPosition::UpperLeft,
            true,
        )?;
        eprintln!("wrote {}", path.display());
    }

    let ratios = lines(Scheme::StandardWebhooks, |group, name| {
        Some(get(medians, group, name)? / get(medians, group, FLOOR)?)
    });
    let path = dir.join("standard-webhooks-ratio.svg");
    chart(
        &path,
        "Standard Webhooks: time per verify / SHA-256 of the signed bytes",
        "ratio to the floor (log scale)",
        &ratios,
        |ratio| format!("{ratio:.1}x"),
        SeriesLabelPosition::UpperRight,
        false,
    )?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// The content of the block named `name`: a generated section, or a file of the docs directory.
fn block(name: &str, sections: &BTreeMap<&str, String>, docs: &Path) -> Result<String> {
    if let Some(section) = sections.get(name) {
        return Ok(section.clone());
    }
    let path = docs.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("block `{name}`: no such section, and {}: {error}", path.display()))?;
    Ok(if name.ends_with(".md") { text } else { format!("```text\n{}\n```", text.trim_end()) })
}

/// `text` with every `<!-- bench:NAME -->...<!-- /bench:NAME -->` block rewritten.
fn splice(text: &str, content: impl Fn(&str) -> Result<String>) -> Result<String> {
    const OPEN: &str = "<!-- bench:";
    const CLOSE: &str = " -->";
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after_open = &rest[start + OPEN.len()..];
        let name_end = after_open.find(CLOSE).ok_or("a `<!-- bench:` marker without ` -->`")?;
        let name = &after_open[..name_end];
        let body = &after_open[name_end + CLOSE.len()..];
        let end_marker = format!("<!-- /bench:{name} -->");
        let end = body.find(&end_marker).ok_or_else(|| format!("no `{end_marker}`"))?;
        let content = content(name)?;
        out.push_str(&rest[..start + OPEN.len() + name_end + CLOSE.len()]);
        if body.starts_with('\n') {
            out.push('\n');
            out.push_str(content.trim_matches('\n'));
            out.push('\n');
        } else {
            out.push_str(content.trim());
        }
        out.push_str(&end_marker);
        rest = &body[end + end_marker.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

fn main() -> Result<()> {
    let args = args()?;
    let mut passes = Vec::new();
    for baseline in &args.baselines {
        let mut pass = Medians::new();
        medians(&args.criterion, baseline, &mut pass)?;
        if pass.is_empty() {
            return Err(format!("no `{baseline}` estimates under {}", args.criterion.display()).into());
        }
        passes.push(pass);
    }
    let medians = median_of(&passes);

    let mut sections = BTreeMap::new();
    let mut section = |name, write: &dyn Fn(&mut String) -> fmt::Result| -> fmt::Result {
        let mut text = String::new();
        write(&mut text)?;
        println!("<!-- {name} -->\n{text}\n");
        sections.insert(name, text);
        Ok(())
    };
    section("verify", &|out| verify_tables(out, &medians))?;
    section("rotation", &|out| rotation_table(out, &medians))?;
    section("bars", &|out| bars(out, &medians))?;
    section("passes", &|out| passes_section(out, &passes, &medians, &args.baselines))?;
    section("headline", &|out| headline(out, &medians))?;
    let fastest = args.interleaved.as_deref().map(interleaved).transpose()?;
    let not_run = "(not measured: `report` was run without `--interleaved`)";
    section("interleaved", &|out| match &fastest {
        Some(fastest) => interleaved_table(out, fastest),
        None => writeln!(out, "{not_run}"),
    })?;
    section("interleaved-bars", &|out| match &fastest {
        Some(fastest) => bars(out, fastest),
        None => writeln!(out, "{not_run}"),
    })?;

    charts(&medians, &args.docs)?;
    for path in &args.update {
        let text = std::fs::read_to_string(path)?;
        std::fs::write(path, splice(&text, |name| block(name, &sections, &args.docs))?)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_rewrites_whole_line_blocks_and_inline_blocks() {
        let text =
            "a\n<!-- bench:t -->\nold\nlines\n<!-- /bench:t -->\nb <!-- bench:h -->old<!-- /bench:h --> c\n";
        let spliced = splice(text, |name| Ok(format!("new {name}\n"))).unwrap();
        assert_eq!(
            spliced,
            "a\n<!-- bench:t -->\nnew t\n<!-- /bench:t -->\nb <!-- bench:h -->new h<!-- /bench:h --> c\n"
        );
        assert_eq!(splice(&spliced, |name| Ok(format!("new {name}\n"))).unwrap(), spliced);
    }

    #[test]
    fn splice_refuses_an_unclosed_block() {
        assert!(splice("<!-- bench:t -->\nold\n", |_| Ok(String::new())).is_err());
    }

    #[test]
    fn the_median_of_passes_is_the_middle_value() {
        let key = ("g".to_owned(), "f".to_owned());
        let pass = |v: f64| Medians::from([(key.clone(), v)]);
        assert_eq!(median_of(&[pass(3.0), pass(1.0), pass(2.0)])[&key], 2.0);
        assert_eq!(median_of(&[pass(3.0), pass(1.0)])[&key], 2.0);
    }
}
