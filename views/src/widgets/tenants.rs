//! `:tenant`: the tenants the user has a role in, the current one marked; `enter` switches.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState};

use crate::state::{Shell, TenantPicker};
use crate::widgets::centered;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, p: &TenantPicker) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let h = (p.rows.len() as u16 + 2).clamp(3, area.height);
    let popup = centered(area, 60, h);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(format!(" {} ", s.tenants_title), t.accent()))
        .title_bottom(
            Line::from(Span::styled(format!(" {} ", s.tenants_hint), t.dim())).right_aligned(),
        );
    let items: Vec<ListItem> = p
        .rows
        .iter()
        .map(|r| {
            let mut spans = vec![Span::raw(format!(" {}", r.name))];
            if r.name == p.current {
                spans.push(Span::styled(format!(" ({})", s.tenant_current), t.accent()));
            }
            if !r.display_name.is_empty() && r.display_name != r.name {
                spans.push(Span::styled(format!("  {}", r.display_name), t.dim()));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = List::new(items).block(block).highlight_style(t.selected());
    let mut st = ListState::default().with_selected(Some(p.list.selected));
    frame.render_stateful_widget(list, popup, &mut st);
}
