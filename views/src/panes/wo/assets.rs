//! The asset list grouped by site and area (a heading line where either changes, in the order
//! the app sorted them), with criticality, open orders, sensors and whether it is down now.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::cells;
use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::AssetRow;
use crate::widgets::grid::{self, Col, Listing};
use crate::widgets::lines::{Key, bold, hint_text};
use crate::widgets::list::{count_title, list_block, list_message, selection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ACol {
    Tag,
    Name,
    Kind,
    Criticality,
    Orders,
    Sensors,
    State,
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.wo;
    let visible = pane.visible_assets();
    let title = count_title(g.assets_title, Some((visible.len(), pane.assets.len())));
    let filter = &pane.asset_list.filter;
    let hint = hint_text(
        &keys(shell, g),
        crate::widgets::list::hint_room(shell, area, filter),
    );
    let block = list_block(shell, area, title, filter, &hint);
    if visible.is_empty() {
        let msg = if pane.assets.is_empty() {
            g.assets_none
        } else {
            g.assets_empty
        };
        list_message(frame, block, area, msg, t);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let cols = columns(shell, &visible, width);
    let selected = selection(pane.asset_list.selected, visible.len());
    let mut listing = Listing::default();
    let mut group: Option<(&str, &str)> = None;
    for (i, a) in visible.iter().enumerate() {
        let first_line = listing.lines.len();
        if group.is_none_or(|(s, _)| s != a.site) {
            listing.lines.push(Line::from(Span::styled(
                if a.site.is_empty() { "—" } else { &a.site }.to_owned(),
                bold(),
            )));
        }
        if group.is_none_or(|(s, ar)| s != a.site || ar != a.area) {
            let n = visible
                .iter()
                .filter(|b| b.site == a.site && b.area == a.area)
                .count();
            let arrow = if t.ascii { ">" } else { "›" };
            listing.lines.push(Line::from(vec![
                Span::styled(format!(" {arrow} "), t.dim()),
                Span::styled(
                    if a.area.is_empty() { "—" } else { &a.area }.to_owned(),
                    t.accent(),
                ),
                Span::styled(format!(" ({n})"), t.dim()),
            ]));
        }
        group = Some((&a.site, &a.area));
        listing.row(row(shell, &cols, a), Some(i) == selected, width, t);
        // scrolling to the first asset of a group brings its headings into sight too
        if Some(i) == selected {
            listing.selected = Some(first_line..listing.lines.len());
        }
    }
    grid::draw(frame, inner, Some(grid::head_line(&cols, t)), listing);
}

fn keys(shell: &Shell, g: &'static WoText) -> Vec<Key<'static>> {
    let mut keys = vec![("enter", g.k_open), ("v", g.k_views)];
    if shell.wo.rights.manage {
        keys.push(("n", g.k_new));
        keys.push(("e", g.k_edit));
    }
    keys.push(("x", g.k_labels));
    keys
}

fn columns(shell: &Shell, rows: &[&AssetRow], width: usize) -> Vec<Col<ACol>> {
    let g = text(shell.locale);
    let h = &g.asset_cols;
    let kinds: Vec<String> = rows.iter().map(|a| g.asset_kind(&a.kind)).collect();
    let crits: Vec<String> = rows.iter().map(|a| g.criticality(&a.criticality)).collect();
    let states: Vec<String> = rows
        .iter()
        .map(|a| state(shell, g, a).content.into_owned())
        .collect();
    let tags: Vec<String> = rows.iter().map(|a| format!("  {}", a.tag)).collect();
    let cols = vec![
        Col::new(ACol::Tag, &format!("  {}", h[0]), grid::strs(&tags), 16),
        Col::new(ACol::Name, h[1], std::iter::empty(), 0).fill(16),
        Col::new(ACol::Kind, h[2], grid::strs(&kinds), 16).drop(3),
        Col::new(ACol::Criticality, h[3], grid::strs(&crits), 12).drop(2),
        Col::new(ACol::Orders, h[4], ["999"].into_iter(), 4).right(),
        Col::new(ACol::Sensors, h[5], ["99"].into_iter(), 4)
            .right()
            .drop(4),
        Col::new(ACol::State, h[6], grid::strs(&states), 14).drop(1),
    ];
    grid::fit(cols, width)
}

/// "✗ PARADO" when down, "inativo" when retired, blank otherwise.
fn state(shell: &Shell, g: &WoText, a: &AssetRow) -> Span<'static> {
    if a.down {
        cells::down(shell.theme, g.down)
    } else if !a.active {
        Span::styled(g.inactive, shell.theme.dim())
    } else {
        Span::raw("")
    }
}

fn row(shell: &Shell, cols: &[Col<ACol>], a: &AssetRow) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let plain = if a.active { Style::new() } else { t.dim() };
    grid::line(cols, |c| match c.key {
        ACol::Tag => Span::styled(
            format!("  {}", a.tag),
            if a.down { t.error() } else { plain },
        ),
        ACol::Name => Span::styled(a.name.clone(), plain),
        ACol::Kind => Span::styled(g.asset_kind(&a.kind), plain),
        ACol::Criticality => cells::criticality(shell, g, &a.criticality),
        ACol::Orders if a.open_orders == 0 => Span::styled("0", t.dim()),
        ACol::Orders => Span::styled(a.open_orders.to_string(), bold()),
        ACol::Sensors if a.sensors == 0 => Span::styled("—", t.dim()),
        ACol::Sensors => Span::raw(a.sensors.to_string()),
        ACol::State => state(shell, g, a),
    })
}
