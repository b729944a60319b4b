//! The maintenance KPIs: four headline figures (backlog, overdue, PM compliance with a bar, the
//! month's cost), then reliability and cost per asset over the reliability window.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::orders::pm_style;
use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::{KpiRow, Kpis};
use crate::theme::Theme;
use crate::widgets::grid::{self, Col, Listing};
use crate::widgets::lines::{bold, hint_text};
use crate::widgets::list::{list_message, selection, with_hint};
use crate::widgets::text::ellipsize;

/// Rows of a headline tile, borders included.
const TILE_ROWS: u16 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KCol {
    Asset,
    Name,
    Failures,
    Mttr,
    Mtbf,
    Downtime,
    Cost,
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let t = shell.theme;
    let k = &shell.wo.kpis;
    let below = k.below_min > 0;
    let [tiles_area, below_area, table_area] = Layout::vertical([
        Constraint::Length(TILE_ROWS),
        Constraint::Length(u16::from(below)),
        Constraint::Fill(1),
    ])
    .areas(area);
    tiles(frame, tiles_area, shell, k);
    if below {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!(" {} ", t.bad_glyph()), t.warn()),
                Span::styled(shell.locale.count(k.below_min as u64), t.warn()),
                Span::raw(format!(" {}", g.items_below)),
                Span::styled("  i", t.accent()),
                Span::styled(format!(" {}", g.views[3].to_lowercase()), t.dim()),
            ])),
            below_area,
        );
    }
    table(frame, table_area, shell, k);
}

/// The four figures side by side, each in its own box.
fn tiles(frame: &mut Frame, area: Rect, shell: &Shell, k: &Kpis) {
    let g = text(shell.locale);
    let t = shell.theme;
    let areas = Layout::horizontal([Constraint::Fill(1); 4]).split(area);
    let count = |n: usize, style: Style| {
        Span::styled(
            shell.locale.count(n as u64),
            if n > 0 { style } else { t.dim() },
        )
    };
    let pm_value = match k.pm_percent {
        Some(p) => Span::styled(
            format!("{p} % ({}/{})", k.pm_done, k.pm_due),
            pm_style(shell, p),
        ),
        None => Span::styled(g.none_due, t.dim()),
    };
    let pm_bar = |w: usize| match k.pm_percent {
        Some(p) => bar(t, p, w),
        None => Line::from(""),
    };
    let cost = if k.cost_month.is_empty() {
        Span::styled("—", t.dim())
    } else {
        Span::styled(k.cost_month.clone(), bold())
    };
    let month = if k.month.is_empty() {
        g.cost_sub.to_owned()
    } else {
        k.month.clone()
    };
    // (title, figure, caption); the PM tile has its bar under the figure, the caption below
    let specs: [(&str, Span<'static>, String); 4] = [
        (
            g.kpi_backlog,
            count(k.backlog, bold()),
            g.backlog_sub.to_owned(),
        ),
        (
            g.kpi_overdue,
            count(k.overdue, t.error()),
            g.overdue_sub.to_owned(),
        ),
        (g.kpi_pm, pm_value, g.pm_sub.to_owned()),
        (g.kpi_cost, cost, month),
    ];
    for (i, ((title, value, caption), a)) in specs.into_iter().zip(areas.iter()).enumerate() {
        let block = Block::bordered()
            .border_set(t.border())
            .title(Span::styled(format!(" {title} "), t.accent()));
        let inner_w = a.width.saturating_sub(2) as usize;
        let caption = Line::from(Span::styled(ellipsize(&caption, inner_w), t.dim())).centered();
        let lines = if i == 2 {
            vec![
                Line::from(value).centered(),
                pm_bar(inner_w.saturating_sub(2)).centered(),
                caption,
            ]
        } else {
            vec![Line::from(value).centered(), caption]
        };
        frame.render_widget(Paragraph::new(lines).block(block), *a);
    }
}

/// A bar `width` cells wide filled to `percent`: "████████░░" / "########--".
fn bar(t: Theme, percent: u32, width: usize) -> Line<'static> {
    let width = width.min(30);
    let filled = (percent.min(100) as usize * width + 50) / 100;
    let (on, off) = if t.ascii { ("#", "-") } else { ("█", "░") };
    Line::from(vec![
        Span::styled(on.repeat(filled), t.chart()),
        Span::styled(off.repeat(width - filled), t.dim()),
    ])
}

fn table(frame: &mut Frame, area: Rect, shell: &Shell, k: &Kpis) {
    let g = text(shell.locale);
    let t = shell.theme;
    let title = if k.window.is_empty() {
        format!(" {} ", g.reliability_title)
    } else {
        format!(" {} · {} {} ", g.reliability_title, g.window, k.window)
    };
    let keys = [("x", g.k_export), ("v", g.k_views)];
    let hint = hint_text(&keys, crate::widgets::list::hint_room(shell, area, ""));
    let block = with_hint(
        Block::bordered()
            .border_set(t.border())
            .title(Span::styled(title, t.accent())),
        shell,
        area,
        "",
        &hint,
    );
    if k.rows.is_empty() {
        list_message(frame, block, area, g.kpi_rows_empty, t);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let rows: Vec<&KpiRow> = k.rows.iter().collect();
    let cols = columns(g, &rows, width);
    let selected = selection(k.list.selected, rows.len());
    let mut listing = Listing::default();
    for (i, r) in rows.iter().enumerate() {
        let line = grid::line(&cols, |c| match c.key {
            KCol::Asset => Span::styled(r.asset.clone(), bold()),
            KCol::Name => Span::raw(r.name.clone()),
            KCol::Failures if r.failures == 0 => Span::styled("0", t.dim()),
            KCol::Failures => Span::styled(r.failures.to_string(), t.warn()),
            KCol::Mttr => Span::raw(r.mttr.clone()),
            KCol::Mtbf => Span::raw(r.mtbf.clone()),
            KCol::Downtime => Span::raw(r.downtime.clone()),
            KCol::Cost => Span::raw(r.cost_month.clone()),
        });
        listing.row(line, Some(i) == selected, width, t);
    }
    grid::draw(frame, inner, Some(grid::head_line(&cols, t)), listing);
}

fn columns(g: &WoText, rows: &[&KpiRow], width: usize) -> Vec<Col<KCol>> {
    let h = &g.kpi_cols;
    let cols = vec![
        Col::new(KCol::Asset, h[0], rows.iter().map(|r| r.asset.as_str()), 16),
        Col::new(KCol::Name, h[1], std::iter::empty(), 0).fill(12),
        Col::new(KCol::Failures, h[2], ["999"].into_iter(), 8).right(),
        Col::new(KCol::Mttr, h[3], rows.iter().map(|r| r.mttr.as_str()), 14).right(),
        // downtime is on each asset's page too, so it goes first; the month's cost last
        Col::new(KCol::Mtbf, h[4], rows.iter().map(|r| r.mtbf.as_str()), 14)
            .right()
            .drop(2),
        Col::new(
            KCol::Downtime,
            h[5],
            rows.iter().map(|r| r.downtime.as_str()),
            14,
        )
        .right()
        .drop(3),
        Col::new(
            KCol::Cost,
            h[6],
            rows.iter().map(|r| r.cost_month.as_str()),
            16,
        )
        .right()
        .drop(1),
    ];
    grid::fit(cols, width)
}
