//! Inventory: one row per item (on hand, minimum, a "below minimum" mark, unit cost, value,
//! locations) and the selected item's latest stock movements under the list.

use crate::widgets::text::join_fitting;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::{ItemRow, MoveRow};
use crate::widgets::detailed::{self, Detailed};
use crate::widgets::grid::{self, Col};
use crate::widgets::lines::{Key, bold, field};
use crate::widgets::text::text_width;

/// The item's name keeps at least this room before the mark gets short.
const NAME_ROOM: usize = 22;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ICol {
    Code,
    Name,
    OnHand,
    Min,
    Mark,
    UnitCost,
    Value,
    Locations,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MCol {
    At,
    Kind,
    Qty,
    Location,
    Order,
    By,
    Note,
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let pane = &shell.wo;
    let list = Detailed {
        name: g.items_title,
        visible: pane.visible_items(),
        total: pane.items.len(),
        list: &pane.item_list,
        keys: keys(shell, g),
        none: g.items_none,
        empty: g.items_empty,
        detail_name: g.moves,
        label: |it| &it.code,
    };
    detailed::draw(
        frame,
        area,
        shell,
        list,
        |it, w| detail_lines(shell, it, w),
        |rows, w| columns(shell, rows, w),
        |cols, it| row(shell, cols, it),
    );
}

fn keys(shell: &Shell, g: &'static WoText) -> Vec<Key<'static>> {
    let mut keys = Vec::new();
    if shell.wo.rights.stock {
        keys.push(("r", g.k_receive));
        keys.push(("R", g.k_adjust));
        keys.push(("n", g.k_new));
        keys.push(("e", g.k_edit));
    }
    keys.push(("v", g.k_views));
    keys
}

/// "✗ ABAIXO DO MÍNIMO" (or the short form), blank when the item is above its minimum.
fn mark(shell: &Shell, g: &WoText, below: bool, short: bool) -> Span<'static> {
    let t = shell.theme;
    if !below {
        return Span::raw("");
    }
    let word = if short {
        g.below_min_short
    } else {
        g.below_min
    };
    Span::styled(format!("{} {word}", t.bad_glyph()), t.error())
}

fn on_hand(it: &ItemRow) -> String {
    if it.unit.is_empty() {
        it.on_hand.clone()
    } else {
        format!("{} {}", it.on_hand, it.unit)
    }
}

/// The columns that fit, with the long "below minimum" words while the name keeps room.
fn columns(shell: &Shell, rows: &[&ItemRow], width: usize) -> Vec<Col<ICol>> {
    let long = columns_with(shell, rows, width, false);
    let name_w = long
        .iter()
        .find(|c| c.key == ICol::Name)
        .map_or(0, |c| c.width);
    if name_w >= NAME_ROOM {
        long
    } else {
        columns_with(shell, rows, width, true)
    }
}

fn columns_with(shell: &Shell, rows: &[&ItemRow], width: usize, short: bool) -> Vec<Col<ICol>> {
    let g = text(shell.locale);
    let h = &g.item_cols;
    let hands: Vec<String> = rows.iter().map(|it| on_hand(it)).collect();
    let any_below = rows.iter().any(|it| it.below_min);
    let mut cols = vec![
        Col::new(ICol::Code, h[0], rows.iter().map(|it| it.code.as_str()), 18),
        Col::new(ICol::Name, h[1], std::iter::empty(), 0).fill(18),
        Col::new(ICol::OnHand, h[2], grid::strs(&hands), 12).right(),
        Col::new(ICol::Min, h[3], rows.iter().map(|it| it.min.as_str()), 8).right(),
    ];
    if any_below {
        let words = mark(shell, g, true, short).content.into_owned();
        cols.push(Col::new(ICol::Mark, h[4], [words.as_str()].into_iter(), 24));
    }
    cols.extend([
        Col::new(
            ICol::UnitCost,
            h[5],
            rows.iter().map(|it| it.unit_cost.as_str()),
            14,
        )
        .right()
        .drop(2),
        Col::new(
            ICol::Value,
            h[6],
            rows.iter().map(|it| it.value.as_str()),
            16,
        )
        .right()
        .drop(3),
        Col::new(
            ICol::Locations,
            h[7],
            rows.iter().map(|it| it.locations.as_str()),
            36,
        )
        .drop(4),
    ]);
    grid::fit(cols, width)
}

fn row(shell: &Shell, cols: &[Col<ICol>], it: &ItemRow) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let short = cols
        .iter()
        .find(|c| c.key == ICol::Mark)
        .is_some_and(|c| c.width < text_width(g.below_min) + 2);
    grid::line(cols, |c| match c.key {
        ICol::Code => Span::styled(it.code.clone(), bold()),
        ICol::Name => Span::raw(it.name.clone()),
        ICol::OnHand => Span::styled(
            on_hand(it),
            if it.below_min {
                t.error()
            } else {
                Style::new()
            },
        ),
        ICol::Min => Span::styled(it.min.clone(), t.dim()),
        ICol::Mark => mark(shell, g, it.below_min, short),
        ICol::UnitCost => Span::raw(it.unit_cost.clone()),
        ICol::Value => Span::raw(it.value.clone()),
        ICol::Locations => Span::styled(it.locations.clone(), t.dim()),
    })
}

/// The item in one or two lines (name, stock against minimum, value, where it is), then its
/// movements, newest first.
fn detail_lines(shell: &Shell, it: &ItemRow, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let mut parts = vec![
        vec![Span::styled(it.name.clone(), bold())],
        vec![
            Span::styled(format!("{} ", g.item_cols[2].to_lowercase()), t.dim()),
            Span::styled(
                on_hand(it),
                if it.below_min {
                    t.error()
                } else {
                    Style::new()
                },
            ),
            Span::styled(
                format!(" / {} {}", g.item_cols[3].to_lowercase(), it.min),
                t.dim(),
            ),
        ],
    ];
    if it.below_min {
        parts.push(vec![mark(shell, g, true, false)]);
    }
    if !it.value.is_empty() {
        parts.push(vec![
            Span::styled(format!("{} ", g.item_cols[6].to_lowercase()), t.dim()),
            Span::raw(it.value.clone()),
        ]);
    }
    let mut lines = join_fitting(parts, width, t);
    if !it.locations.is_empty() {
        lines.extend(field(
            g.item_cols[7],
            text_width(g.item_cols[7]),
            &it.locations,
            Style::new(),
            width,
            t,
        ));
    }
    if it.moves.is_empty() {
        lines.push(Line::from(Span::styled(g.no_moves, t.dim())));
        return lines;
    }
    let moves: Vec<&MoveRow> = it.moves.iter().collect();
    let cols = move_columns(g, &moves, width);
    lines.push(grid::head_line(&cols, t));
    for m in moves {
        lines.push(grid::line(&cols, |c| match c.key {
            MCol::At => Span::styled(m.at.clone(), t.dim()),
            MCol::Kind => Span::raw(g.move_kind(&m.kind)),
            MCol::Qty => Span::styled(
                m.qty.clone(),
                if m.qty.starts_with('-') {
                    t.warn()
                } else {
                    t.ok()
                },
            ),
            MCol::Location => Span::raw(m.location.clone()),
            MCol::Order => Span::raw(m.order.clone()),
            MCol::By => Span::raw(m.by.clone()),
            MCol::Note => Span::styled(m.note.clone(), t.dim()),
        }));
    }
    lines
}

fn move_columns(g: &WoText, moves: &[&MoveRow], width: usize) -> Vec<Col<MCol>> {
    let h = &g.move_cols;
    let kinds: Vec<String> = moves.iter().map(|m| g.move_kind(&m.kind)).collect();
    let cols = vec![
        Col::new(MCol::At, h[0], moves.iter().map(|m| m.at.as_str()), 18),
        Col::new(MCol::Kind, h[1], kinds.iter().map(String::as_str), 12),
        Col::new(MCol::Qty, h[2], moves.iter().map(|m| m.qty.as_str()), 10).right(),
        Col::new(
            MCol::Location,
            h[3],
            moves.iter().map(|m| m.location.as_str()),
            20,
        )
        .drop(2),
        Col::new(
            MCol::Order,
            h[4],
            moves.iter().map(|m| m.order.as_str()),
            10,
        )
        .drop(1),
        Col::new(MCol::By, h[5], moves.iter().map(|m| m.by.as_str()), 14).drop(3),
        Col::new(MCol::Note, h[6], std::iter::empty(), 0).fill(10),
    ];
    grid::fit(cols, width)
}
