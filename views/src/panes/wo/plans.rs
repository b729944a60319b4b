//! Preventive plans: one row per plan (active or paused, schedule, assets, next due) and the
//! selected plan's detail under the list: what comes next for each of its assets, procedure,
//! priority, assignee and the orders it generated.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::PlanRow;
use crate::widgets::detailed::{self, Detailed};
use crate::widgets::grid::{self, Col};
use crate::widgets::lines::{Key, bold, field, heading};
use crate::widgets::text::join_fitting;
use crate::widgets::text::text_width;

/// Asset tags are listed in the row up to this width, else counted.
const ASSETS_JOINED_MAX: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PCol {
    State,
    Code,
    Name,
    Schedule,
    Assets,
    Next,
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let pane = &shell.wo;
    let list = Detailed {
        name: g.plans_title,
        visible: pane.visible_plans(),
        total: pane.plans.len(),
        list: &pane.plan_list,
        keys: keys(shell, g),
        none: g.plans_none,
        empty: g.plans_empty,
        detail_name: shell.locale.strings().detail,
        label: |p| &p.code,
    };
    detailed::draw(
        frame,
        area,
        shell,
        list,
        |p, w| detail_lines(shell, p, w),
        |rows, w| columns(shell, rows, w),
        |cols, p| row(shell, cols, p),
    );
}

fn keys(shell: &Shell, g: &'static WoText) -> Vec<Key<'static>> {
    let mut keys = Vec::new();
    if shell.wo.rights.manage {
        keys.push((g.space, g.k_pause));
        keys.push(("n", g.k_new));
        keys.push(("e", g.k_edit));
    }
    keys.push(("v", g.k_views));
    keys
}

/// "● ativo" / "○ pausado".
fn state(shell: &Shell, g: &WoText, active: bool) -> Span<'static> {
    let t = shell.theme;
    let (word, style) = if active {
        (g.plan_active, t.ok())
    } else {
        (g.plan_paused, t.warn())
    };
    Span::styled(format!("{} {word}", t.on_glyph(active)), style)
}

/// The assets in a row: their tags when they are few and short, else how many.
fn assets_cell(g: &WoText, p: &PlanRow) -> String {
    let joined = p.assets.join(", ");
    if p.assets.len() <= 1 || text_width(&joined) <= ASSETS_JOINED_MAX {
        joined
    } else {
        format!("{} {}", p.assets.len(), g.assets_count)
    }
}

fn columns(shell: &Shell, rows: &[&PlanRow], width: usize) -> Vec<Col<PCol>> {
    let g = text(shell.locale);
    let h = &g.plan_cols;
    let states: Vec<String> = rows
        .iter()
        .map(|p| state(shell, g, p.active).content.into_owned())
        .collect();
    let assets: Vec<String> = rows.iter().map(|p| assets_cell(g, p)).collect();
    let cols = vec![
        Col::new(PCol::State, h[5], grid::strs(&states), 12),
        Col::new(PCol::Code, h[0], rows.iter().map(|p| p.code.as_str()), 18),
        Col::new(PCol::Name, h[1], std::iter::empty(), 0).fill(16),
        Col::new(
            PCol::Schedule,
            h[2],
            rows.iter().map(|p| p.schedule.as_str()),
            28,
        )
        .drop(2),
        Col::new(PCol::Assets, h[3], grid::strs(&assets), ASSETS_JOINED_MAX).drop(3),
        Col::new(PCol::Next, h[4], rows.iter().map(|p| p.next.as_str()), 18).drop(1),
    ];
    grid::fit(cols, width)
}

fn row(shell: &Shell, cols: &[Col<PCol>], p: &PlanRow) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let plain = if p.active { Style::new() } else { t.dim() };
    grid::line(cols, |c| match c.key {
        PCol::State => state(shell, g, p.active),
        PCol::Code => Span::styled(p.code.clone(), if p.active { bold() } else { t.dim() }),
        PCol::Name => Span::styled(p.name.clone(), plain),
        PCol::Schedule => Span::styled(p.schedule.clone(), plain),
        PCol::Assets => Span::styled(assets_cell(g, p), plain),
        PCol::Next => Span::styled(p.next.clone(), plain),
    })
}

/// The plan's name and state, schedule, procedure, priority, assignee, its orders, and what
/// comes next for each asset.
fn detail_lines(shell: &Shell, p: &PlanRow, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let mut lines = join_fitting(
        vec![
            vec![state(shell, g, p.active)],
            vec![Span::styled(p.code.clone(), bold())],
            vec![Span::raw(p.name.clone())],
        ],
        width,
        t,
    );
    let mut fields: Vec<(&str, String, Style)> =
        vec![(g.plan_cols[2], p.schedule.clone(), Style::new())];
    if !p.procedure.is_empty() {
        fields.push((g.f_procedure, p.procedure.clone(), Style::new()));
    }
    if !p.priority.is_empty() {
        fields.push((g.f_priority, g.priority(&p.priority), Style::new()));
    }
    if p.assignee.is_empty() {
        fields.push((g.f_assignee, g.unassigned.to_owned(), t.dim()));
    } else {
        fields.push((g.f_assignee, p.assignee.clone(), Style::new()));
    }
    let open_style = if p.open > 0 { bold() } else { Style::new() };
    fields.push((
        g.orders_of,
        format!(
            "{} {} · {} {}",
            p.generated, g.generated, p.open, g.still_open
        ),
        open_style,
    ));
    let label_w = fields
        .iter()
        .map(|(l, _, _)| text_width(l))
        .max()
        .unwrap_or(0);
    for (label, value, style) in fields {
        lines.extend(field(label, label_w, &value, style, width, t));
    }
    if !p.outlook.is_empty() {
        lines.push(heading(g.outlook, None, width, t));
        let parts = p
            .outlook
            .iter()
            .map(|(tag, next)| {
                vec![
                    Span::styled(tag.clone(), t.accent()),
                    Span::raw(format!(" {next}")),
                ]
            })
            .collect();
        lines.extend(join_fitting(parts, width, t));
    }
    lines
}
