//! One asset's page: what it is and where, its sensors, cost, downtime and reliability, its QR
//! code beside them when there is room (large, alone, when toggled), then its open and past
//! orders under one cursor.

use crate::i18n::Texts;
use crate::widgets::text::join_fitting;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::cells;
use super::orders::{self, Place};
use super::qr;
use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::AssetDetail;
use crate::widgets::grid::{self, Listing};
use crate::widgets::lines::{Key, bold, field, hint_text};
use crate::widgets::list::{list_message, selection, with_hint};
use crate::widgets::text::{text_width, wrap};

/// The orders keep at least this many rows (borders, headings and a few orders).
const ORDERS_MIN_ROWS: u16 = 8;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let t = shell.theme;
    let Some(a) = &shell.wo.asset else {
        let block = Block::bordered().border_set(t.border());
        list_message(frame, block, area, shell.locale.strings().loading, t);
        return;
    };
    if shell.wo.show_qr {
        qr::large(frame, area, shell, a);
        return;
    }
    let max_top = area.height.saturating_sub(ORDERS_MIN_ROWS);
    // the QR code beside the fields when it fits in the rows the fields may take
    let code = qr::fitted(
        shell,
        &a.qr,
        (area.width as usize).saturating_sub(50),
        max_top.saturating_sub(2) as usize,
        false,
    );
    let code_w = code.as_ref().map_or(0, |c| {
        c.iter().map(|l| text_width(l)).max().unwrap_or(0) as u16 + 2
    });
    let fields_w = area.width.saturating_sub(code_w).saturating_sub(2) as usize;
    let fields = field_lines(shell, a, fields_w, code.is_some());
    let code_h = code.as_ref().map_or(0, |c| c.len() as u16 + 2);
    let top_h = (fields.len() as u16 + 2).max(code_h).min(max_top.max(3));
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Fill(1)]).areas(area);
    let [fields_area, code_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(code_w)]).areas(top);
    let title = format!(" {} ", a.row.tag);
    frame.render_widget(
        Paragraph::new(fields).block(
            Block::bordered()
                .border_set(t.border())
                .title(Span::styled(title, t.accent())),
        ),
        fields_area,
    );
    if let Some(code) = code {
        let g = text(shell.locale);
        let lines: Vec<Line> = code.into_iter().map(Line::from).collect();
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::bordered()
                    .border_set(t.border())
                    .title(Span::styled(format!(" {} ", g.qr_title), t.dim()))
                    .title_bottom(Line::from(Span::styled(" Q ", t.dim())).right_aligned()),
            ),
            code_area,
        );
    }
    order_list(frame, bottom, shell, a);
}

/// Tag and name, kind and criticality, where it is, make/model/serial, install date, sensors,
/// cost, downtime, reliability and notes, in lines of `width` cells.
fn field_lines(shell: &Shell, a: &AssetDetail, width: usize, qr_shown: bool) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let r = &a.row;
    // the tag is on the border; the page starts with the name
    let mut lines: Vec<Line<'static>> = wrap(&r.name, width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, bold())))
        .collect();
    let mut words = vec![
        vec![Span::raw(g.asset_kind(&r.kind))],
        vec![
            Span::styled(format!("{} ", g.f_criticality.to_lowercase()), t.dim()),
            cells::criticality(shell, g, &r.criticality),
        ],
    ];
    if r.down {
        let mut down = vec![cells::down(t, g.down)];
        if let Some(since) = &a.down_since {
            down.push(Span::styled(format!(" {} {since}", g.since), t.error()));
        }
        words.push(down);
    }
    if !r.active {
        words.push(vec![Span::styled(g.inactive, t.dim())]);
    }
    lines.extend(join_fitting(words, width, t));

    let place: Vec<&str> = [r.site.as_str(), r.area.as_str(), a.location.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let arrow = if t.ascii { " > " } else { " › " };
    let mut make: Vec<String> = [&a.make, &a.model]
        .into_iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    if !a.serial.is_empty() {
        make.push(format!("{} {}", g.serial, a.serial));
    }
    let mut fields: Vec<(&str, String, Style)> =
        vec![(g.f_location, place.join(arrow), Style::new())];
    if !make.is_empty() {
        fields.push((g.f_make, make.join(" · "), Style::new()));
    }
    if !a.installed.is_empty() {
        fields.push((g.f_installed, a.installed.clone(), Style::new()));
    }
    fields.push(sensors(shell, g, a));
    if !a.total_cost.is_empty() {
        fields.push((g.f_cost, a.total_cost.clone(), bold()));
    }
    if !a.downtime.is_empty() {
        let style = if r.down { t.error() } else { Style::new() };
        fields.push((g.f_downtime, a.downtime.clone(), style));
    }
    if !a.reliability.is_empty() {
        fields.push((g.f_reliability, a.reliability.clone(), Style::new()));
    }
    if !a.notes.trim().is_empty() {
        fields.push((g.f_notes, a.notes.trim().to_owned(), Style::new()));
    }
    if !qr_shown && !a.qr.is_empty() {
        fields.push((g.qr_title, g.qr_ascii.to_owned(), t.dim()));
    }
    let label_w = fields
        .iter()
        .map(|(l, _, _)| text_width(l))
        .max()
        .unwrap_or(0);
    for (label, value, style) in fields {
        lines.extend(field(label, label_w, &value, style, width, t));
    }
    lines
}

/// "CH-02 (Chiller 2) · AHU-07 sem leituras", or "nenhum sensor".
fn sensors<'a>(shell: &Shell, g: &'a WoText, a: &AssetDetail) -> (&'a str, String, Style) {
    let t = shell.theme;
    if a.sensors.is_empty() {
        return (g.sensors, g.no_sensors.to_owned(), t.dim());
    }
    let list: Vec<String> = a
        .sensors
        .iter()
        .map(|s| {
            let mut one = s.device.clone();
            if !s.name.is_empty() && s.name != s.device {
                one.push_str(&format!(" ({})", s.name));
            }
            if !s.registered {
                one.push_str(&format!(" {}", g.no_readings));
            }
            one
        })
        .collect();
    (g.sensors, list.join(" · "), Style::new())
}

/// Open then past orders, each group under its heading, one cursor over both.
fn order_list(frame: &mut Frame, area: Rect, shell: &Shell, a: &AssetDetail) {
    let g = text(shell.locale);
    let t = shell.theme;
    let all = a.orders();
    let title = format!(
        " {} · {} {} · {} {} ",
        g.orders_of,
        g.open_orders.to_lowercase(),
        a.open_orders.len(),
        g.past_orders.to_lowercase(),
        a.past_orders.len()
    );
    let hint = hint_text(
        &keys(shell, g),
        crate::widgets::list::hint_room(shell, area, ""),
    );
    let block = with_hint(
        Block::bordered()
            .border_set(t.border())
            .title(Span::styled(title, t.accent())),
        shell,
        area,
        "",
        &hint,
    );
    if all.is_empty() {
        list_message(frame, block, area, g.no_orders, t);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let cols = orders::columns(shell, &all, width, Place::Asset);
    let selected = selection(a.list.selected, all.len());
    let mut listing = Listing::default();
    let groups = [
        (g.open_orders, 0, a.open_orders.len()),
        (g.past_orders, a.open_orders.len(), all.len()),
    ];
    for (name, from, to) in groups {
        if from >= to {
            continue;
        }
        let first_line = listing.lines.len();
        listing.lines.push(Line::from(vec![
            Span::styled(name.to_owned(), bold()),
            Span::styled(format!(" ({})", to - from), t.dim()),
        ]));
        for i in from..to {
            let Some(o) = all.get(i) else { continue };
            listing.row(orders::row(shell, &cols, o), Some(i) == selected, width, t);
            if Some(i) == selected && i == from {
                listing.selected = Some(first_line..listing.lines.len());
            }
        }
    }
    grid::draw(frame, inner, Some(grid::head_line(&cols.cols, t)), listing);
}

fn keys(shell: &Shell, g: &'static WoText) -> Vec<Key<'static>> {
    let r = shell.wo.rights;
    let mut keys = vec![("enter", g.k_open_order)];
    if r.create || r.manage {
        keys.push(("n", g.k_new_order));
    }
    if r.manage {
        keys.push(("e", g.k_edit));
    }
    keys.push(("Q", g.k_qr));
    keys.push(("x", g.k_labels));
    keys.push(("esc", g.k_back));
    keys
}
