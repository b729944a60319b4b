//! Telemetry: the device list with sparklines, one device's charts, the alerts and the alert
//! rules, plus the rule form and the one-line prompt drawn over them.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState, Wrap,
};

use crate::i18n::Strings;
use crate::state::{
    AlertRow, AlertState, DeviceDetail, DeviceRow, Health, MetricSeries, RuleRow, Shell,
    TelemetryView,
};
use crate::theme::Theme;
use crate::widgets::chart::asciify;
use crate::widgets::form;
use crate::widgets::list::{
    count_title, list_and_detail, list_block, list_message, selection, with_hint,
};
use crate::widgets::text::{ellipsize, max_width, text_width};

/// Charts are stacked one per metric only on a terminal this tall...
const STACK_MIN_ROWS: u16 = 30;
/// ...and when each gets this many rows, borders included (else the selected metric's alone).
const STACK_CHART_ROWS: u16 = 8;
/// The device list's sparkline never gets wider than this (one cell per minute of the hour).
const SPARK_MAX: usize = 60;
const SPARK_MIN: usize = 8;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let pane = &shell.telemetry;
    let header = header_lines(shell, area.width);
    let [head, body] =
        Layout::vertical([Constraint::Length(header.len() as u16), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(header), head);
    match pane.view {
        TelemetryView::Devices => devices(frame, body, shell),
        TelemetryView::Device => device(frame, body, shell),
        TelemetryView::Alerts => alerts(frame, body, shell),
        TelemetryView::Rules => rules(frame, body, shell),
    }
    if let Some(form) = &pane.form {
        form::render(frame, area, shell, form);
    }
    if let Some(prompt) = &pane.prompt {
        form::prompt(frame, area, shell, prompt);
    }
}

// ---------------------------------------------------------------------------------------------
// Header

/// The view names with the current one highlighted, and the ingest line (dim): on one line when
/// both fit, else the ingest line goes below.
fn header_lines(shell: &Shell, width: u16) -> Vec<Line<'static>> {
    let s = shell.locale.strings();
    let t = shell.theme;
    let pane = &shell.telemetry;
    let current = match pane.view {
        TelemetryView::Devices | TelemetryView::Device => 0,
        TelemetryView::Alerts => 1,
        TelemetryView::Rules => 2,
    };
    let open = match pane.open_alerts {
        0 => None,
        1 => Some(format!("(1 {})", s.tel_open_one)),
        n => Some(format!(
            "({} {})",
            shell.locale.count(n as u64),
            s.tel_open_many
        )),
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, name) in [s.tel_devices, s.tel_alerts, s.tel_rules]
        .iter()
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::styled(t.sep(), t.dim()));
        }
        let style = if i == current {
            t.selected().patch(t.accent())
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {name}"), style));
        if i == 1
            && let Some(open) = &open
        {
            let open_style = if i == current {
                style
            } else {
                t.health_style(Health::Critical)
            };
            spans.push(Span::styled(" ", style));
            spans.push(Span::styled(open.clone(), open_style));
        }
        spans.push(Span::styled(" ", style));
    }
    let views = Line::from(spans);
    if pane.ingest.is_empty() {
        return vec![views];
    }
    let width = width as usize;
    let ingest_w = text_width(&pane.ingest);
    if views.width() + 2 + ingest_w <= width {
        let gap = width - views.width() - ingest_w;
        let mut spans = views.spans;
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(pane.ingest.clone(), t.dim()));
        vec![Line::from(spans)]
    } else {
        vec![
            views,
            Line::from(Span::styled(
                format!(" {}", ellipsize(&pane.ingest, width.saturating_sub(1))),
                t.dim(),
            )),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Device list

fn devices(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let pane = &shell.telemetry;
    let visible = pane.visible_devices();
    let title = count_title(
        s.tel_devices,
        pane.loaded.then_some((visible.len(), pane.devices.len())),
    );
    let block = list_block(shell, area, title, &pane.device_list.filter, s.devices_hint);
    if !pane.loaded || pane.devices.is_empty() {
        let msg = if pane.loaded {
            s.devices_empty
        } else {
            s.loading
        };
        list_message(frame, block, area, msg, t);
        return;
    }

    let values: Vec<String> = pane
        .devices
        .iter()
        .map(|d| value_text(shell, d.value, &d.unit))
        .collect();
    let new_w = text_width(s.tel_new) + 1;
    // Widths from every device (not just the visible ones), so filtering does not shift columns.
    let status_w = max_width(pane.devices.iter().map(|d| s.health[d.health.index()])) + 2;
    let id_w = pane
        .devices
        .iter()
        .map(|d| text_width(&d.id) + if d.confirmed { 0 } else { new_w })
        .max()
        .unwrap_or(0);
    let metric_w = max_width(pane.devices.iter().map(|d| d.metric.as_str())).min(20);
    let value_w = max_width(values.iter().map(String::as_str));
    let age_w = max_width(pane.devices.iter().map(|d| d.age.as_str()));
    let name_w = max_width(pane.devices.iter().map(|d| d.name.as_str())).min(24);
    let spark_len = pane
        .devices
        .iter()
        .map(|d| d.spark.len())
        .max()
        .unwrap_or(0)
        .min(SPARK_MAX);
    let cols = &s.device_cols;
    let widths = [
        status_w.max(text_width(cols[0])),
        id_w.max(text_width(cols[1])),
        name_w.max(text_width(cols[2])),
        metric_w.max(text_width(cols[3])),
        value_w.max(text_width(cols[4])),
        age_w.max(text_width(cols[5])),
    ];
    let inner = area.width.saturating_sub(2) as usize;
    // status, id, metric, value and age always show; then the sparkline, then the name.
    let fixed = widths[0] + widths[1] + widths[3] + widths[4] + widths[5] + 4;
    let avail = inner.saturating_sub(fixed);
    let (show_name, spark_w) = if name_w > 0 && spark_len > 0 {
        if avail >= widths[2] + spark_len.min(30) + 2 {
            (true, spark_len.min(avail - widths[2] - 2))
        } else if avail > SPARK_MIN {
            (false, spark_len.min(avail - 1))
        } else {
            (avail > widths[2], 0)
        }
    } else if spark_len > 0 {
        (
            false,
            if avail > SPARK_MIN {
                spark_len.min(avail - 1)
            } else {
                0
            },
        )
    } else {
        (name_w > 0 && avail > widths[2], 0)
    };

    // (heading, right-aligned, width)
    let name_fill = avail.saturating_sub(spark_w + usize::from(spark_w > 0) + 1);
    let mut columns = vec![
        (cols[0], false, Constraint::Length(widths[0] as u16)),
        (cols[1], false, Constraint::Length(widths[1] as u16)),
    ];
    if show_name {
        columns.push((cols[2], false, Constraint::Fill(1)));
    }
    columns.extend([
        (cols[3], false, Constraint::Length(widths[3] as u16)),
        (cols[4], true, Constraint::Length(widths[4] as u16)),
        (cols[5], true, Constraint::Length(widths[5] as u16)),
    ]);
    if spark_w > 0 {
        columns.push((cols[6], false, Constraint::Length(spark_w as u16)));
    }
    let header = Row::new(columns.iter().map(|(h, right, _)| {
        Cell::from(if *right {
            Line::from(*h).right_aligned()
        } else {
            Line::from(*h)
        })
    }))
    .style(t.accent());
    let constraints: Vec<Constraint> = columns.iter().map(|c| c.2).collect();

    let rows: Vec<Row> = visible
        .iter()
        .map(|d| {
            let mut cells = vec![
                Cell::from(health_cell(t, s, d.health)),
                Cell::from(id_cell(t, s, d)),
            ];
            if show_name {
                cells.push(Cell::from(ellipsize(&d.name, name_fill)));
            }
            cells.push(Cell::from(ellipsize(&d.metric, widths[3])));
            cells.push(Cell::from(
                Line::from(value_text(shell, d.value, &d.unit)).right_aligned(),
            ));
            cells.push(Cell::from(Line::from(d.age.clone()).right_aligned()));
            if spark_w > 0 {
                let style = if d.health == Health::Stale {
                    t.dim()
                } else {
                    t.chart()
                };
                cells.push(Cell::from(
                    Line::from(Span::styled(sparkline(&d.spark, spark_w, t), style))
                        .right_aligned(),
                ));
            }
            Row::new(cells)
        })
        .collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut st =
        TableState::default().with_selected(selection(pane.device_list.selected, visible.len()));
    frame.render_stateful_widget(table, area, &mut st);
}

fn id_cell<'a>(t: Theme, s: &Strings, d: &'a DeviceRow) -> Line<'a> {
    let mut spans = vec![Span::raw(d.id.as_str())];
    if !d.confirmed {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(s.tel_new, t.accent()));
    }
    Line::from(spans)
}

/// A last-hour sparkline `width` cells wide at most, scaled to the row's own min..max; a blank
/// for minutes without data. Newest on the right.
pub fn sparkline(values: &[Option<f64>], width: usize, t: Theme) -> String {
    let levels = t.spark_levels();
    let clean: Vec<Option<f64>> = values.iter().map(|v| v.filter(|x| x.is_finite())).collect();
    let n = clean.len();
    if n == 0 || width == 0 {
        return String::new();
    }
    let buckets: Vec<Option<f64>> = if n <= width {
        clean
    } else {
        (0..width)
            .map(|c| {
                let (lo, hi) = (c * n / width, ((c + 1) * n / width).max(c * n / width + 1));
                let vals: Vec<f64> = clean[lo..hi.min(n)].iter().flatten().copied().collect();
                (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
            })
            .collect()
    };
    let present = buckets.iter().flatten();
    let min = present.clone().copied().fold(f64::INFINITY, f64::min);
    let max = present.copied().fold(f64::NEG_INFINITY, f64::max);
    let top = levels.len() - 1;
    buckets
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if max <= min => levels[top / 2],
            Some(v) => levels[(((v - min) / (max - min)) * top as f64).round() as usize],
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Device page

fn device(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let Some(d) = &shell.telemetry.detail else {
        let block = Block::bordered().border_set(t.border());
        frame.render_widget(
            Paragraph::new(Span::styled(s.loading, t.dim())).block(block),
            area,
        );
        return;
    };
    let title = device_title(shell, d, area.width);
    let rules_h = (d.rules.len().clamp(1, 4) as u16) + 2;
    let [title_area, main, rules_area] = Layout::vertical([
        Constraint::Length(title.len() as u16),
        Constraint::Min(5),
        Constraint::Length(rules_h),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(title), title_area);

    let wide = main.width >= 110;
    let metrics_w = metrics_width(shell, d, wide).min(main.width / 2);
    let [metrics_area, charts_area] =
        Layout::horizontal([Constraint::Length(metrics_w), Constraint::Fill(1)]).areas(main);
    metrics_table(frame, metrics_area, shell, d, wide);

    if d.series.is_empty() {
        let msg = if d.loading { s.loading } else { s.no_series };
        frame.render_widget(
            Paragraph::new(Span::styled(msg, t.dim()))
                .block(Block::bordered().border_set(t.border()))
                .wrap(Wrap { trim: true }),
            charts_area,
        );
    } else {
        let n = d.series.len() as u16;
        let selected = d.metric.min(d.series.len() - 1);
        if n > 1
            && frame.area().height >= STACK_MIN_ROWS
            && charts_area.height >= n * STACK_CHART_ROWS
        {
            let areas = Layout::vertical(vec![Constraint::Fill(1); n as usize]).split(charts_area);
            for (i, (series, a)) in d.series.iter().zip(areas.iter()).enumerate() {
                chart(frame, *a, shell, d, series, i == selected, true);
            }
        } else {
            chart(
                frame,
                charts_area,
                shell,
                d,
                &d.series[selected],
                true,
                false,
            );
        }
    }
    device_rules(frame, rules_area, shell, &d.rules);
}

/// id, name, asset and "novo" on the left; the window and its ends on the right (below when
/// they do not fit).
fn device_title(shell: &Shell, d: &DeviceDetail, width: u16) -> Vec<Line<'static>> {
    let s = shell.locale.strings();
    let t = shell.theme;
    let mut left = vec![Span::styled(format!(" {}", d.id), t.accent())];
    if !d.name.is_empty() {
        left.push(Span::styled(
            format!(" {}", d.name),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    if !d.asset.is_empty() {
        left.push(Span::styled(format!(" · {} ", s.asset), t.dim()));
        left.push(Span::raw(d.asset.clone()));
    }
    if !d.confirmed {
        left.push(Span::raw(" · "));
        left.push(Span::styled(s.tel_new, t.accent()));
    }
    let mut right = vec![
        Span::styled(format!("{} ", s.window), t.dim()),
        Span::styled(d.window.label(), t.accent()),
    ];
    if !d.from_label.is_empty() || !d.to_label.is_empty() {
        right.push(Span::raw(format!(
            " · {} {} {}",
            d.from_label,
            t.arrow(),
            d.to_label
        )));
    }
    if d.loading {
        right.push(Span::styled(format!(" · {}", s.loading), t.dim()));
    }
    right.push(Span::raw(" "));
    let (lw, rw) = (
        Line::from(left.clone()).width(),
        Line::from(right.clone()).width(),
    );
    let width = width as usize;
    if lw + 2 + rw <= width {
        left.push(Span::raw(" ".repeat(width - lw - rw)));
        left.extend(right);
        vec![Line::from(left)]
    } else {
        right.insert(0, Span::raw(" "));
        vec![Line::from(left), Line::from(right)]
    }
}

fn stat(shell: &Shell, v: Option<f64>) -> String {
    v.map(|v| shell.locale.reading(v))
        .unwrap_or_else(|| "—".to_owned())
}

fn metrics_width(shell: &Shell, d: &DeviceDetail, wide: bool) -> u16 {
    let cols = &shell.locale.strings().metric_cols;
    let name = max_width(d.series.iter().map(|m| m.metric.as_str()))
        .min(18)
        .max(text_width(cols[0]));
    let last = d
        .series
        .iter()
        .map(|m| text_width(&value_text(shell, m.last, &m.unit)))
        .max()
        .unwrap_or(0)
        .max(text_width(cols[1]));
    let mut w = name + 1 + last;
    if wide {
        for (i, f) in [
            (|m: &MetricSeries| m.min) as fn(&MetricSeries) -> Option<f64>,
            |m| m.avg,
            |m| m.max,
        ]
        .iter()
        .enumerate()
        {
            let cw = d
                .series
                .iter()
                .map(|m| text_width(&stat(shell, f(m))))
                .max()
                .unwrap_or(0)
                .max(text_width(cols[2 + i]));
            w += 1 + cw;
        }
    }
    (w + 2) as u16
}

fn metrics_table(frame: &mut Frame, area: Rect, shell: &Shell, d: &DeviceDetail, wide: bool) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", s.metrics), t.accent()));
    let cols = &s.metric_cols;
    let n = if wide { 5 } else { 2 };
    let header = Row::new(cols[..n].iter().enumerate().map(|(i, c)| {
        Cell::from(if i == 0 {
            Line::from(*c)
        } else {
            Line::from(*c).right_aligned()
        })
    }))
    .style(t.accent());
    let rows: Vec<Row> = d
        .series
        .iter()
        .map(|m| {
            let mut cells = vec![
                Cell::from(m.metric.clone()),
                Cell::from(Line::from(value_text(shell, m.last, &m.unit)).right_aligned()),
            ];
            if wide {
                for v in [m.min, m.avg, m.max] {
                    cells.push(Cell::from(Line::from(stat(shell, v)).right_aligned()));
                }
            }
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![Constraint::Fill(1)];
    // value columns as wide as their widest entry
    let vw = |f: &dyn Fn(&MetricSeries) -> String, h: &str| {
        Constraint::Length(
            d.series
                .iter()
                .map(|m| text_width(&f(m)))
                .max()
                .unwrap_or(0)
                .max(text_width(h)) as u16,
        )
    };
    widths.push(vw(&|m| value_text(shell, m.last, &m.unit), cols[1]));
    if wide {
        widths.push(vw(&|m| stat(shell, m.min), cols[2]));
        widths.push(vw(&|m| stat(shell, m.avg), cols[3]));
        widths.push(vw(&|m| stat(shell, m.max), cols[4]));
    }
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut st = TableState::default().with_selected(selection(d.metric, d.series.len()));
    frame.render_stateful_widget(table, area, &mut st);
}

/// One metric's line chart over the window: time on x (the window's ends), value on y (the
/// series' min and max).
fn chart(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    d: &DeviceDetail,
    m: &MetricSeries,
    selected: bool,
    stacked: bool,
) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let cols = &s.metric_cols;
    let unit = if m.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", m.unit)
    };
    let name = format!(" {}{unit} ", m.metric);
    let part = |i: usize, v: Option<f64>| format!("{} {}", cols[i], stat(shell, v));
    let min_avg_max = format!(
        "{} · {} · {} ",
        part(2, m.min),
        part(3, m.avg),
        part(4, m.max)
    );
    // the stats that fit next to the name, most first (the last value is also in the table)
    let room = (area.width as usize).saturating_sub(text_width(&name) + 6);
    let stats = [format!("{} · {min_avg_max}", part(1, m.last)), min_avg_max]
        .into_iter()
        .find(|c| text_width(c) <= room)
        .unwrap_or_default();
    let title = vec![Span::styled(name, t.accent()), Span::styled(stats, t.dim())];
    let mut block = Block::bordered()
        .border_set(t.border())
        .title(Line::from(title));
    if stacked && selected {
        block = block.border_style(t.accent()).title(
            Line::from(Span::styled(format!(" {} ", t.pointer()), t.accent())).right_aligned(),
        );
    }
    let finite: Vec<(f64, f64)> = m
        .points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if finite.is_empty() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [_, mid, _] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(Span::styled(s.no_points, t.dim())).centered(),
            mid,
        );
        return;
    }
    let lo = finite.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = finite.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let mut y_labels = vec![shell.locale.reading(lo)];
    if area.height >= 10 {
        y_labels.push(shell.locale.reading((lo + hi) / 2.0));
    }
    y_labels.push(shell.locale.reading(hi));
    let x_max = if d.window_secs > 0.0 {
        d.window_secs
    } else {
        d.window.secs() as f64
    };
    let dataset = Dataset::default()
        .marker(t.marker())
        .graph_type(GraphType::Line)
        .style(t.chart())
        .data(&finite);
    let chart = Chart::new(vec![dataset])
        .block(block)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, x_max])
                .labels([d.from_label.clone(), d.to_label.clone()])
                .labels_alignment(Alignment::Right)
                .style(t.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(y_labels)
                .labels_alignment(Alignment::Right)
                .style(t.dim()),
        );
    frame.render_widget(chart, area);
    if t.ascii {
        asciify(frame.buffer_mut(), area);
    }
}

fn device_rules(frame: &mut Frame, area: Rect, shell: &Shell, rules: &[RuleRow]) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} ({}) ", s.device_rules, rules.len()),
        t.accent(),
    ));
    let block = with_hint(block, shell, area, "", s.device_hint);
    if rules.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(s.device_no_rules, t.dim())).block(block),
            area,
        );
        return;
    }
    let any_firing = rules.iter().any(|r| r.firing > 0);
    let on_w = text_width(t.on_glyph(true));
    let sev_w = severity_width(s, rules.iter().map(|r| r.severity.as_str()));
    let firing_w = if any_firing {
        text_width(s.firing) + 2
    } else {
        0
    };
    let name_w = max_width(rules.iter().map(|r| r.name.as_str())).min(24);
    let describe_w = max_width(rules.iter().map(|r| r.describe.as_str()));
    let inner = area.width.saturating_sub(2) as usize;
    let fixed = on_w + 1 + sev_w + 1 + if any_firing { firing_w + 1 } else { 0 };
    // the condition says more than the name: the name goes first when both do not fit
    let show_name = fixed + name_w + 1 + describe_w <= inner;
    let describe_room = inner.saturating_sub(fixed + if show_name { name_w + 1 } else { 0 });
    let rows: Vec<Row> = rules
        .iter()
        .map(|r| {
            let mut cells = vec![
                Cell::from(on_cell(t, r.enabled)),
                Cell::from(severity_cell(t, s, &r.severity)),
            ];
            if any_firing {
                cells.push(Cell::from(if r.firing > 0 {
                    Line::from(Span::styled(
                        format!("{} {}", t.health_glyph(Health::Critical), s.firing),
                        t.error(),
                    ))
                } else {
                    Line::from("")
                }));
            }
            if show_name {
                cells.push(Cell::from(Span::styled(
                    ellipsize(&r.name, name_w),
                    Style::new().add_modifier(Modifier::BOLD),
                )));
            }
            cells.push(Cell::from(ellipsize(&r.describe, describe_room)));
            let row = Row::new(cells);
            if r.enabled { row } else { row.style(t.dim()) }
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(on_w as u16),
        Constraint::Length(sev_w as u16),
    ];
    if any_firing {
        widths.push(Constraint::Length(firing_w as u16));
    }
    if show_name {
        widths.push(Constraint::Length(name_w as u16));
    }
    widths.push(Constraint::Fill(1));
    frame.render_widget(Table::new(rows, widths).block(block), area);
}

// ---------------------------------------------------------------------------------------------
// Alerts

fn alerts(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let pane = &shell.telemetry;
    let visible = pane.visible_alerts();
    let selected = selection(pane.alert_list.selected, visible.len());
    let current = selected.map(|i| visible[i]);
    let detail_lines = current.map(|a| alert_detail(shell, a)).unwrap_or_default();
    let [list_area, detail_area] = list_and_detail(area, &detail_lines);

    let title = count_title(
        s.tel_alerts,
        pane.loaded.then_some((visible.len(), pane.alerts.len())),
    );
    let block = list_block(
        shell,
        list_area,
        title,
        &pane.alert_list.filter,
        s.alerts_hint,
    );
    if !pane.loaded || pane.alerts.is_empty() {
        let msg = if pane.loaded {
            s.alerts_empty
        } else {
            s.loading
        };
        list_message(frame, block, list_area, msg, t);
    } else {
        let cols = &s.alert_cols;
        let inner = list_area.width.saturating_sub(2) as usize;
        let sev_w = severity_width(s, pane.alerts.iter().map(|a| a.severity.as_str()))
            .max(text_width(cols[0]));
        let state_w = max_width(pane.alerts.iter().map(|a| s.alert_states[a.state.index()]))
            .max(text_width(cols[1]));
        let narrow = inner < 100;
        let device_w = max_width(pane.alerts.iter().map(|a| a.device.as_str()))
            .min(if narrow { 10 } else { 16 })
            .max(text_width(cols[2]));
        let rule_w = max_width(pane.alerts.iter().map(|a| a.rule.as_str()))
            .min(if narrow { 14 } else { 24 })
            .max(text_width(cols[3]));
        let raised_w = max_width(pane.alerts.iter().map(|a| a.raised_at.as_str()))
            .min(19)
            .max(text_width(cols[4]));
        let fixed = sev_w + state_w + device_w + rule_w + raised_w + 4;
        // the message is in full in the detail below, so it goes first when space is short;
        // then the rule takes the room left
        let show_message = inner >= fixed + 1 + 20;
        let (rule_w, message_w) = if show_message {
            (rule_w, inner - fixed - 1)
        } else {
            let rule_max = max_width(pane.alerts.iter().map(|a| a.rule.as_str()));
            (
                inner
                    .saturating_sub(fixed - rule_w)
                    .max(rule_w)
                    .min(rule_max.max(rule_w)),
                0,
            )
        };
        let mut header: Vec<&str> = cols[..5].to_vec();
        let mut widths = vec![
            Constraint::Length(sev_w as u16),
            Constraint::Length(state_w as u16),
            Constraint::Length(device_w as u16),
            Constraint::Length(rule_w as u16),
            Constraint::Length(raised_w as u16),
        ];
        if show_message {
            header.push(cols[5]);
            widths.push(Constraint::Fill(1));
        }
        let rows: Vec<Row> = visible
            .iter()
            .map(|a| {
                let state_style = match a.state {
                    AlertState::Open => Style::new().add_modifier(Modifier::BOLD),
                    AlertState::Acknowledged => Style::new(),
                    AlertState::Resolved => t.dim(),
                };
                let mut cells = vec![
                    Cell::from(severity_cell(t, s, &a.severity)),
                    Cell::from(Span::styled(s.alert_states[a.state.index()], state_style)),
                    Cell::from(ellipsize(&a.device, device_w)),
                    Cell::from(ellipsize(&a.rule, rule_w)),
                    Cell::from(a.raised_at.clone()),
                ];
                if show_message {
                    cells.push(Cell::from(ellipsize(&a.message, message_w)));
                }
                let row = Row::new(cells);
                if a.state == AlertState::Resolved {
                    row.style(t.dim())
                } else {
                    row
                }
            })
            .collect();
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(t.accent()))
            .block(block)
            .row_highlight_style(t.selected());
        let mut st = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, list_area, &mut st);
    }

    let title = match current {
        Some(a) => format!(" {} · #{} ", s.detail, a.id),
        None => format!(" {} ", s.detail),
    };
    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.dim()));
    frame.render_widget(
        Paragraph::new(detail_lines)
            .block(detail)
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}

fn alert_detail(shell: &Shell, a: &AlertRow) -> Vec<Line<'static>> {
    let s = shell.locale.strings();
    let t = shell.theme;
    let mut head = severity_cell(t, s, &a.severity).spans;
    head.push(Span::raw(format!(
        " · {} · {} · {} · {}",
        s.alert_states[a.state.index()],
        a.device,
        a.rule,
        a.raised_at
    )));
    let mut lines = vec![Line::from(head), Line::from(a.message.clone())];
    lines.push(match &a.acked {
        Some(by) => Line::from(vec![
            Span::styled(format!("{}: ", s.acked), t.dim()),
            Span::raw(by.clone()),
        ]),
        None => Line::from(Span::styled(s.not_acked, t.dim())),
    });
    if let Some(by) = &a.resolved {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.resolved), t.dim()),
            Span::raw(by.clone()),
        ]));
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Rules

fn rules(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let pane = &shell.telemetry;
    let visible = pane.visible_rules();
    let selected = selection(pane.rule_list.selected, visible.len());
    let current = selected.map(|i| visible[i]);
    let detail_lines = current.map(|r| rule_detail(shell, r)).unwrap_or_default();
    let [list_area, detail_area] = list_and_detail(area, &detail_lines);

    let title = count_title(
        s.tel_rules,
        pane.loaded.then_some((visible.len(), pane.rules.len())),
    );
    let block = list_block(
        shell,
        list_area,
        title,
        &pane.rule_list.filter,
        s.rules_hint,
    );
    if !pane.loaded || pane.rules.is_empty() {
        let msg = if pane.loaded {
            s.rules_empty
        } else {
            s.loading
        };
        list_message(frame, block, list_area, msg, t);
    } else {
        let cols = &s.rule_cols;
        let inner = list_area.width.saturating_sub(2) as usize;
        let narrow = inner < 100;
        let name_w = max_width(pane.rules.iter().map(|r| r.name.as_str()))
            .min(if narrow { 18 } else { 28 })
            .max(text_width(cols[1]));
        let devices_w = max_width(pane.rules.iter().map(|r| r.devices.as_str()))
            .min(if narrow { 10 } else { 16 })
            .max(text_width(cols[2]));
        let sev_w = severity_width(s, pane.rules.iter().map(|r| r.severity.as_str()))
            .max(text_width(cols[3]));
        let firing_w = text_width(cols[5]);
        let on_w = text_width(t.on_glyph(true));
        let describe_w = inner.saturating_sub(on_w + name_w + devices_w + sev_w + firing_w + 5);
        let rows: Vec<Row> = visible
            .iter()
            .map(|r| {
                let firing = if r.firing > 0 {
                    Line::from(Span::styled(
                        format!(
                            "{} {}",
                            t.health_glyph(Health::Critical),
                            shell.locale.count(r.firing as u64)
                        ),
                        t.error(),
                    ))
                } else {
                    Line::from(Span::styled("0", t.dim()))
                };
                let row = Row::new(vec![
                    Cell::from(on_cell(t, r.enabled)),
                    Cell::from(ellipsize(&r.name, name_w)),
                    Cell::from(ellipsize(&r.devices, devices_w)),
                    Cell::from(severity_cell(t, s, &r.severity)),
                    Cell::from(ellipsize(&r.describe, describe_w)),
                    Cell::from(firing.right_aligned()),
                ]);
                if r.enabled { row } else { row.style(t.dim()) }
            })
            .collect();
        let header = Row::new(cols.iter().enumerate().map(|(i, c)| {
            Cell::from(if i == 5 {
                Line::from(*c).right_aligned()
            } else {
                Line::from(*c)
            })
        }))
        .style(t.accent());
        let table = Table::new(
            rows,
            [
                Constraint::Length(on_w as u16),
                Constraint::Length(name_w as u16),
                Constraint::Length(devices_w as u16),
                Constraint::Length(sev_w as u16),
                Constraint::Fill(1),
                Constraint::Length(firing_w as u16),
            ],
        )
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
        let mut st = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, list_area, &mut st);
    }

    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", s.detail), t.dim()));
    frame.render_widget(
        Paragraph::new(detail_lines)
            .block(detail)
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}

fn rule_detail(shell: &Shell, r: &RuleRow) -> Vec<Line<'static>> {
    let s = shell.locale.strings();
    let t = shell.theme;
    let mut head = on_cell(t, r.enabled).spans;
    head.push(Span::raw(format!(
        " {} · ",
        if r.enabled { s.rule_on } else { s.rule_off }
    )));
    head.push(Span::styled(
        r.name.clone(),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    head.push(Span::raw(format!(" · {} · ", r.devices)));
    head.extend(severity_cell(t, s, &r.severity).spans);
    if r.firing > 0 {
        head.push(Span::raw(" · "));
        head.push(Span::styled(
            format!(
                "{} {} {}",
                t.health_glyph(Health::Critical),
                s.firing,
                shell.locale.count(r.firing as u64)
            ),
            t.error(),
        ));
    }
    vec![Line::from(head), Line::from(r.describe.clone())]
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn health_cell(t: Theme, s: &Strings, h: Health) -> Line<'static> {
    Line::from(Span::styled(
        format!("{} {}", t.health_glyph(h), s.health[h.index()]),
        t.health_style(h),
    ))
}

/// A severity as glyph and word; an unknown one as it came, dim.
fn severity_cell(t: Theme, s: &Strings, severity: &str) -> Line<'static> {
    match Health::from_severity(severity) {
        Some(h) => health_cell(t, s, h),
        None => Line::from(Span::styled(format!("? {severity}"), t.dim())),
    }
}

fn severity_width<'a>(s: &Strings, severities: impl Iterator<Item = &'a str>) -> usize {
    severities
        .map(|sev| match Health::from_severity(sev) {
            Some(h) => text_width(s.health[h.index()]) + 2,
            None => text_width(sev) + 2,
        })
        .max()
        .unwrap_or(0)
}

fn on_cell(t: Theme, enabled: bool) -> Line<'static> {
    Line::from(Span::styled(
        t.on_glyph(enabled),
        if enabled { t.ok() } else { t.dim() },
    ))
}

/// "12,4 °C", "3,25", or "—" without a value.
fn value_text(shell: &Shell, value: Option<f64>, unit: &str) -> String {
    match value {
        Some(v) if unit.is_empty() => shell.locale.reading(v),
        Some(v) => format!("{} {unit}", shell.locale.reading(v)),
        None => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_row_and_leaves_gaps_blank() {
        let t = Theme::default();
        let v = [Some(1.0), Some(2.0), None, Some(3.0)];
        assert_eq!(sparkline(&v, 10, t), "▁▅ █");
        let flat = [Some(5.0); 3];
        assert_eq!(sparkline(&flat, 10, t), "▄▄▄");
        let ascii = Theme {
            color: false,
            ascii: true,
        };
        assert_eq!(sparkline(&v, 10, ascii), "_- #");
        // 60 minutes into 20 cells: every 3 averaged
        let hour: Vec<Option<f64>> = (0..60).map(|i| Some(i as f64)).collect();
        let s = sparkline(&hour, 20, t);
        assert_eq!(s.chars().count(), 20);
        assert!(s.starts_with('▁') && s.ends_with('█'));
        assert_eq!(sparkline(&[None, None], 5, t), "  ");
        assert_eq!(sparkline(&[], 5, t), "");
    }
}
