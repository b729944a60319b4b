//! One device's page: its metrics over the chosen window as line charts, with min/avg/max, and
//! the rules that watch it.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState, Wrap,
};

use super::cells::{on_cell, severity_cell, severity_width, value_text};
use super::text::text;
use crate::state::telemetry::{DeviceDetail, MetricSeries, RuleRow};
use crate::state::{Health, Shell};
use crate::widgets::chart::asciify;
use crate::widgets::list::{selection, with_hint};
use crate::widgets::text::{ellipsize, max_width, text_width};

/// Charts are stacked one per metric only on a terminal this tall...
const STACK_MIN_ROWS: u16 = 30;
/// ...and when each gets this many rows, borders included (else the selected metric's alone).
const STACK_CHART_ROWS: u16 = 8;

pub(super) fn device(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let tm = text(shell.locale);
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
        let msg = if d.loading { s.loading } else { tm.no_series };
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
    let tm = text(shell.locale);
    let t = shell.theme;
    let mut left = vec![Span::styled(format!(" {}", d.id), t.accent())];
    if !d.name.is_empty() {
        left.push(Span::styled(
            format!(" {}", d.name),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    if !d.asset.is_empty() {
        left.push(Span::styled(format!(" · {} ", tm.asset), t.dim()));
        left.push(Span::raw(d.asset.clone()));
    }
    if !d.confirmed {
        left.push(Span::raw(" · "));
        left.push(Span::styled(tm.tel_new, t.accent()));
    }
    let mut right = vec![
        Span::styled(format!("{} ", tm.window), t.dim()),
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
    let cols = &text(shell.locale).metric_cols;
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
    let _s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", tm.metrics), t.accent()));
    let cols = &tm.metric_cols;
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
    let _s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let cols = &tm.metric_cols;
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
            Paragraph::new(Span::styled(tm.no_points, t.dim())).centered(),
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
    let _s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} ({}) ", tm.device_rules, rules.len()),
        t.accent(),
    ));
    let block = with_hint(block, shell, area, "", tm.device_hint);
    if rules.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(tm.device_no_rules, t.dim())).block(block),
            area,
        );
        return;
    }
    let any_firing = rules.iter().any(|r| r.firing > 0);
    let on_w = text_width(t.on_glyph(true));
    let sev_w = severity_width(tm, rules.iter().map(|r| r.severity.as_str()));
    let firing_w = if any_firing {
        text_width(tm.firing) + 2
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
                Cell::from(severity_cell(t, tm, &r.severity)),
            ];
            if any_firing {
                cells.push(Cell::from(if r.firing > 0 {
                    Line::from(Span::styled(
                        format!("{} {}", t.health_glyph(Health::Critical), tm.firing),
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
