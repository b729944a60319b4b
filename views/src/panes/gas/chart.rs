//! The month chart: QDS, QDP and QDR day by day against the QDC and the band limits, with the
//! selected day marked. Decimals become f64 here and only here, to be drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::text::text;
use crate::state::Shell;
use crate::state::gas::{GasDayRow, GasMonth};
use crate::theme::Theme;
use crate::widgets::chart::asciify;

/// One line of the chart: its legend name, the letter it is drawn with when colour cannot tell
/// the lines apart, its colour, and its points (day of month, m³).
struct Series {
    name: String,
    letter: char,
    color: Color,
    /// A band limit: one letter a day when letters draw the chart (a line of them would bury the
    /// figures), a line like the others in colour.
    limit: bool,
    points: Vec<(f64, f64)>,
}

/// Letters instead of braille when colour is off (NO_COLOR) or glyphs are ASCII: then the
/// letter is what tells QDS from QDR.
fn letters(t: Theme) -> bool {
    !t.color || t.ascii
}

fn points(rows: &[GasDayRow], f: impl Fn(&GasDayRow) -> Option<Decimal>) -> Vec<(f64, f64)> {
    rows.iter()
        .filter_map(|r| {
            let y = f(r)?.to_f64()?;
            y.is_finite().then_some((f64::from(r.date.day()), y))
        })
        .collect()
}

/// Back to front: the band limits, QDC, QDP, QDS, then QDR on top (what was really consumed).
/// A band's lower line carries its legend name; the upper one has none, to be named once.
fn series(shell: &Shell, m: &GasMonth) -> Vec<Series> {
    let g = text(shell.locale);
    let rows = &m.rows;
    let line = |name: String, letter: char, color: Color, points: Vec<(f64, f64)>| Series {
        limit: letter.is_lowercase(),
        name,
        letter,
        color,
        points,
    };
    // a day's figures only count once it has happened; plans are drawn ahead
    let done = |v: Option<Decimal>, r: &GasDayRow| v.filter(|_| !r.future);
    let transport = g.transport.to_lowercase();
    let molecule = g.molecule.to_lowercase();
    vec![
        line(
            transport,
            't',
            Color::Red,
            points(rows, |r| r.transport.map(|b| b.0)),
        ),
        line(
            String::new(),
            't',
            Color::Red,
            points(rows, |r| r.transport.map(|b| b.1)),
        ),
        line(
            molecule,
            'm',
            Color::Yellow,
            points(rows, |r| r.molecule.map(|b| b.0)),
        ),
        line(
            String::new(),
            'm',
            Color::Yellow,
            points(rows, |r| r.molecule.map(|b| b.1)),
        ),
        line(
            "QDC".into(),
            'C',
            Color::Gray,
            points(rows, |r| done(r.qdc, r)),
        ),
        line("QDP".into(), 'P', Color::Magenta, points(rows, |r| r.qdp)),
        line(
            "QDS".into(),
            'S',
            Color::Blue,
            points(rows, |r| done(r.qds, r)),
        ),
        line(
            "QDR".into(),
            'R',
            Color::Cyan,
            points(rows, |r| done(r.qdr, r)),
        ),
    ]
}

fn style(t: Theme, c: Color) -> Style {
    if t.color {
        Style::new().fg(c)
    } else {
        Style::new()
    }
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, m: &GasMonth, selected: Option<usize>) {
    let g = text(shell.locale);
    let t = shell.theme;
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} · {} ", g.chart, shell.locale.month_year(m.first)),
        t.accent(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || inner.width < 20 {
        return;
    }
    let all = series(shell, m);
    // the scale follows the figures and the molecule band; the wide transport band shows where
    // it comes into that range (near a red day), instead of flattening every line
    let ys = all
        .iter()
        .filter(|s| s.letter != 't')
        .flat_map(|s| s.points.iter().map(|p| p.1));
    let lo = ys.clone().fold(f64::INFINITY, f64::min);
    let hi = ys.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        frame.render_widget(
            Paragraph::new(Span::styled(g.chart_empty, t.dim())).centered(),
            inner,
        );
        return;
    }
    // a little room above and below so lines on the bounds stay visible
    let pad = ((hi - lo) * 0.05).max(1.0);
    let (lo, hi) = ((lo - pad).max(0.0), hi + pad);
    let legend = legend(t, &all, (lo, hi), inner.width as usize);
    let [legend_area, chart_area] =
        Layout::vertical([Constraint::Length(legend.len() as u16), Constraint::Fill(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(legend), legend_area);
    let last_day = m.rows.last().map_or(31.0, |r| f64::from(r.date.day()));
    let cursor: Vec<(f64, f64)> = selected
        .and_then(|i| m.rows.get(i))
        .map(|r| {
            let x = f64::from(r.date.day());
            vec![(x, lo), (x, hi)]
        })
        .unwrap_or_default();
    let mut datasets = Vec::new();
    if !cursor.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(if letters(t) {
                    Marker::Custom(':')
                } else {
                    Marker::Braille
                })
                .graph_type(GraphType::Line)
                .style(t.dim())
                .data(&cursor),
        );
    }
    for s in &all {
        let (marker, graph) = match (letters(t), s.limit) {
            (true, false) => (Marker::Custom(s.letter), GraphType::Line),
            (true, true) => (Marker::Custom(s.letter), GraphType::Scatter),
            (false, false) => (Marker::Braille, GraphType::Line),
            (false, true) => (Marker::Braille, GraphType::Line),
        };
        datasets.push(
            Dataset::default()
                .marker(marker)
                .graph_type(graph)
                .style(style(t, s.color))
                .data(&s.points),
        );
    }
    let l = shell.locale;
    let mut y_labels = vec![l.float(lo, 0)];
    if chart_area.height >= 8 {
        y_labels.push(l.float((lo + hi) / 2.0, 0));
    }
    y_labels.push(l.float(hi, 0));
    let mid = (last_day / 2.0).round();
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([1.0, last_day.max(2.0)])
                .labels([
                    "01".to_owned(),
                    format!("{mid:02}"),
                    format!("{last_day:02}"),
                ])
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
    frame.render_widget(chart, chart_area);
    if t.ascii {
        asciify(frame.buffer_mut(), chart_area);
    }
}

/// "─ QDR  ─ QDS  ...  ─ molécula  ─ transporte" in the series' colours, or "R QDR  S QDS ..."
/// when letters draw them; only series with points in `bounds`, in lines of `width` cells.
fn legend(t: Theme, all: &[Series], (lo, hi): (f64, f64), width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    for s in all.iter().rev().filter(|s| !s.name.is_empty()) {
        let has_points = all
            .iter()
            .any(|o| o.letter == s.letter && o.points.iter().any(|p| (lo..=hi).contains(&p.1)));
        if !has_points {
            continue;
        }
        let sample = if letters(t) {
            s.letter.to_string()
        } else {
            "─".to_owned()
        };
        let entry = [
            Span::raw(" "),
            Span::styled(sample, style(t, s.color)),
            Span::raw(format!(" {} ", s.name)),
        ];
        let used: usize = current.iter().map(Span::width).sum();
        let entry_w: usize = entry.iter().map(Span::width).sum();
        if !current.is_empty() && used + entry_w > width {
            lines.push(Line::from(std::mem::take(&mut current)));
        }
        current.extend(entry);
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}
