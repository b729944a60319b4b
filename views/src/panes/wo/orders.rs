//! The order list: the KPI strip, what the list is narrowed to, and the orders, with columns
//! that give way on narrow terminals (cost, checklist, type and assignee, in that order). The
//! columns are shared with the asset page's orders.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::cells;
use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::{OrderRow, StatusFilter};
use crate::widgets::grid::{self, Col, Listing};
use crate::widgets::lines::{Key, bold, ends, hint_text};
use crate::widgets::list::{count_title, list_block, list_message, selection};

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.wo;
    let [kpi_area, filter_area, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(kpi_strip(shell, area.width as usize)),
        kpi_area,
    );
    frame.render_widget(
        Paragraph::new(filter_summary(shell, area.width as usize)),
        filter_area,
    );

    let visible = pane.visible_orders();
    let title = count_title(g.orders_title, Some((visible.len(), pane.orders.len())));
    let filter = &pane.order_list.filter;
    let hint = hint_text(
        &list_keys(shell, g),
        crate::widgets::list::hint_room(shell, list_area, filter),
    );
    let block = list_block(shell, list_area, title, filter, &hint);
    if visible.is_empty() {
        let msg = if pane.orders.is_empty() {
            g.orders_none
        } else {
            g.orders_empty
        };
        list_message(frame, block, list_area, msg, t);
        return;
    }
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let width = inner.width as usize;
    let cols = columns(shell, &visible, width, Place::List);
    let selected = selection(pane.order_list.selected, visible.len());
    let mut listing = Listing::default();
    for (i, o) in visible.iter().enumerate() {
        listing.row(row(shell, &cols, o), Some(i) == selected, width, t);
    }
    grid::draw(frame, inner, Some(grid::head_line(&cols.cols, t)), listing);
}

/// The list's keys, most used first; actions the user may not take are left out.
fn list_keys(shell: &Shell, g: &'static WoText) -> Vec<Key<'static>> {
    let r = shell.wo.rights;
    // The views key stays: it is how the rest of the pane is reached.
    let mut keys = vec![("enter", g.k_open), ("v", g.k_views)];
    if r.create || r.manage {
        keys.push(("n", g.k_new));
        keys.push(("e", g.k_edit));
    }
    if r.work {
        keys.push(("b", g.k_start));
        keys.push(("c", g.k_done));
    }
    keys.push(("x", g.k_export));
    keys
}

/// "Backlog 23 · Atrasadas 4 · PMOC no mês 85 % (17/20) · Itens abaixo do mínimo 5", with the
/// month's cost when there is room, shorter labels when there is little.
fn kpi_strip(shell: &Shell, width: usize) -> Line<'static> {
    let g = text(shell.locale);
    let k = &shell.wo.kpis;
    let full = kpi_parts(shell, g, false);
    let mut with_cost = full.clone();
    if !k.cost_month.is_empty() {
        with_cost.push((
            g.kpi_cost.to_owned(),
            Span::styled(k.cost_month.clone(), bold()),
        ));
    }
    for parts in [with_cost, full, kpi_parts(shell, g, true)] {
        let line = join_kpis(shell, &parts);
        if line.width() <= width {
            return line;
        }
    }
    join_kpis(shell, &kpi_parts(shell, g, true))
}

fn kpi_parts(shell: &Shell, g: &WoText, short: bool) -> Vec<(String, Span<'static>)> {
    let t = shell.theme;
    let k = &shell.wo.kpis;
    let count = |n: usize, style: Style| {
        Span::styled(
            shell.locale.count(n as u64),
            if n > 0 { style } else { t.dim() },
        )
    };
    let pm = match k.pm_percent {
        Some(p) => Span::styled(
            format!("{p} % ({}/{})", k.pm_done, k.pm_due),
            pm_style(shell, p),
        ),
        None => Span::styled("—", t.dim()),
    };
    let pick = |long: &str, short_word: &str| {
        if short {
            short_word.to_owned()
        } else {
            long.to_owned()
        }
    };
    vec![
        (g.kpi_backlog.to_owned(), count(k.backlog, bold())),
        (
            pick(g.kpi_overdue, g.kpi_overdue_short),
            count(k.overdue, t.error()),
        ),
        (pick(g.kpi_pm, g.kpi_pm_short), pm),
        (
            pick(g.kpi_below, g.kpi_below_short),
            count(k.below_min, t.warn()),
        ),
    ]
}

fn join_kpis(shell: &Shell, parts: &[(String, Span<'static>)]) -> Line<'static> {
    let t = shell.theme;
    let mut spans = vec![Span::raw(" ")];
    for (i, (label, value)) in parts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.dim()));
        }
        spans.push(Span::raw(format!("{label} ")));
        spans.push(value.clone());
    }
    Line::from(spans)
}

/// PM compliance: good at 90 % and up, a warning from 70 %, an error below.
pub fn pm_style(shell: &Shell, p: u32) -> Style {
    let t = shell.theme;
    match p {
        90.. => t.ok(),
        70..=89 => t.warn(),
        _ => t.error(),
    }
}

/// "Mostrando: ativas (abertas, em andamento, em espera)" or what narrows the list (in the
/// accent style, so a narrowed list is noticed), with the filter keys on the right.
fn filter_summary(shell: &Shell, width: usize) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let f = &shell.wo.filter;
    let narrowed = f.is_narrowed();
    let mut parts: Vec<String> = vec![g.status_filter(f.status).to_owned()];
    if let Some(k) = &f.kind {
        parts.push(format!("{} {}", g.kind_label, g.kind(k)));
    }
    if !f.asset.is_empty() {
        parts.push(format!("{} {}", g.asset_label, f.asset));
    }
    match f.assignee.as_str() {
        "" => {}
        "-" => parts.push(g.unassigned.to_owned()),
        a => parts.push(format!("{} {a}", g.assignee_label)),
    }
    if f.overdue_only {
        parts.push(g.overdue_only.to_owned());
    }
    // the long form of "ativas" only when nothing else narrows the list, and not at the cost
    // of the filter keys
    let mut descs = vec![parts.join(" · ")];
    if f.status == StatusFilter::Active && !narrowed {
        descs.insert(0, g.active_means.to_owned());
    }
    let style = if narrowed { t.accent() } else { Style::new() };
    let left = |desc: &str| {
        vec![
            Span::styled(format!(" {}: ", g.showing), t.dim()),
            Span::styled(desc.to_owned(), style),
        ]
    };
    let right = vec![Span::styled(format!("{} ", g.filter_keys), t.dim())];
    let right_w: usize = right.iter().map(Span::width).sum();
    for keys in [true, false] {
        for d in &descs {
            let l = left(d);
            let lw: usize = l.iter().map(Span::width).sum();
            if !keys && lw <= width {
                return Line::from(l);
            }
            if keys && lw + 2 + right_w <= width {
                return ends(l, right.clone(), width);
            }
        }
    }
    Line::from(left(descs.last().map_or("", String::as_str)))
}

/// Which of an order's fields a column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OCol {
    Id,
    Priority,
    Status,
    Kind,
    Asset,
    Title,
    Assignee,
    Due,
    Checklist,
    Cost,
    /// Created (lists) or closed (an asset's past orders).
    When,
}

/// Where the columns are for: the order list, or an asset's orders (no asset column, and when
/// each was created or closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    List,
    Asset,
}

/// The columns that fit, and whether the type is written short ("corr.") to leave the title
/// room.
pub struct OrderCols {
    pub cols: Vec<Col<OCol>>,
    pub short_kind: bool,
}

/// The columns of `rows` that fit in `width`, each as wide as its widest cell (capped), the
/// title taking the rest.
pub fn columns(shell: &Shell, rows: &[&OrderRow], width: usize, place: Place) -> OrderCols {
    let g = text(shell.locale);
    let h = &g.order_cols;
    let short_kind = width < 140;
    let ids: Vec<String> = rows.iter().map(|o| format!("#{}", o.id)).collect();
    let prios: Vec<String> = rows
        .iter()
        .map(|o| cells::priority(shell, g, &o.priority).content.into_owned())
        .collect();
    let statuses: Vec<String> = rows.iter().map(|o| g.status(&o.status)).collect();
    let kinds: Vec<String> = rows
        .iter()
        .map(|o| {
            if short_kind {
                g.kind_short(&o.kind)
            } else {
                g.kind(&o.kind)
            }
        })
        .collect();
    let dues: Vec<String> = rows
        .iter()
        .map(|o| {
            cells::due(shell.theme, &o.due, o.overdue, false)
                .content
                .into_owned()
        })
        .collect();
    let checks: Vec<String> = rows
        .iter()
        .map(|o| {
            cells::checklist(shell.theme, o.checklist)
                .content
                .into_owned()
        })
        .collect();
    let any = |f: fn(&OrderRow) -> bool| rows.iter().any(|o| f(o));
    let mut cols = vec![
        Col::new(OCol::Id, h[0], grid::strs(&ids), 8).right(),
        Col::new(OCol::Priority, h[1], grid::strs(&prios), 12),
        Col::new(OCol::Status, h[2], grid::strs(&statuses), 14).drop(2),
        Col::new(OCol::Kind, h[3], grid::strs(&kinds), 12).drop(5),
    ];
    if place == Place::List {
        cols.push(Col::new(OCol::Asset, h[4], rows.iter().map(|o| o.asset.as_str()), 12).drop(1));
    }
    // an asset's orders have no asset column to give up, so the title asks for more
    let title_min = if place == Place::Asset { 26 } else { 20 };
    cols.push(Col::new(OCol::Title, h[5], std::iter::empty(), 0).fill(title_min));
    if any(|o| !o.assignee.is_empty()) {
        cols.push(
            Col::new(
                OCol::Assignee,
                h[6],
                rows.iter().map(|o| o.assignee.as_str()),
                13,
            )
            .drop(4),
        );
    }
    if place == Place::Asset {
        let g_when = g.when_col;
        cols.push(Col::new(OCol::When, g_when, rows.iter().map(|o| o.when.as_str()), 16).drop(6));
    }
    if any(|o| !o.due.is_empty()) {
        // right-aligned, so the dates line up after the overdue mark
        cols.push(
            Col::new(OCol::Due, h[7], grid::strs(&dues), 14)
                .right()
                .drop(3),
        );
    }
    if any(|o| o.checklist.1 > 0) {
        // on an asset's page the checklist matters least: most of its orders are closed
        let rank = if place == Place::Asset { 8 } else { 6 };
        cols.push(
            Col::new(OCol::Checklist, h[8], grid::strs(&checks), 7)
                .right()
                .drop(rank),
        );
    }
    if any(|o| !o.cost.is_empty()) {
        cols.push(
            Col::new(OCol::Cost, h[9], rows.iter().map(|o| o.cost.as_str()), 14)
                .right()
                .drop(7),
        );
    }
    OrderCols {
        cols: grid::fit(cols, width),
        short_kind,
    }
}

/// One order as a row of `cols`; closed orders dim, urgent ones with a bold title.
pub fn row(shell: &Shell, oc: &OrderCols, o: &OrderRow) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let closed = cells::closed(&o.status);
    let plain = if closed { t.dim() } else { Style::new() };
    let short_kind = oc.short_kind;
    grid::line(&oc.cols, |c| match c.key {
        OCol::Id => Span::styled(format!("#{}", o.id), plain),
        OCol::Priority if closed => Span::styled(
            cells::priority(shell, g, &o.priority).content.into_owned(),
            t.dim(),
        ),
        OCol::Priority => cells::priority(shell, g, &o.priority),
        OCol::Status => cells::status(shell, g, &o.status),
        OCol::Kind if short_kind => Span::styled(g.kind_short(&o.kind), plain),
        OCol::Kind => Span::styled(g.kind(&o.kind), plain),
        OCol::Asset => Span::styled(o.asset.clone(), plain),
        OCol::Title if o.priority == "urgent" && !closed => Span::styled(o.title.clone(), bold()),
        OCol::Title => Span::styled(o.title.clone(), plain),
        OCol::Assignee if o.assignee.is_empty() => Span::styled("—", t.dim()),
        OCol::Assignee => Span::styled(o.assignee.clone(), plain),
        OCol::Due => cells::due(t, &o.due, o.overdue, closed),
        OCol::Checklist => cells::checklist(t, o.checklist),
        OCol::Cost => Span::styled(o.cost.clone(), plain),
        OCol::When => Span::styled(o.when.clone(), plain),
    })
}
