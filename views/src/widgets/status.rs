//! The bottom line: tenant, user and role, who runs the site services, clock, last error.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::state::Shell;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let st = &shell.status;
    let sep = format!(" {} ", t.sep());
    let role = st.role.as_deref().unwrap_or(s.no_role);
    let clock = format!(" {} ", st.clock);
    let fixed = st.tenant.chars().count() + st.user.chars().count() + role.chars().count()
        + st.services.chars().count() + s.services.chars().count() + clock.chars().count() + 16;
    let display = if !st.tenant_display.is_empty() && fixed + st.tenant_display.chars().count() + 3 <= area.width as usize {
        format!(" · {}", st.tenant_display)
    } else {
        String::new()
    };
    let mut left = vec![
        Span::raw(format!(" {}{display}", st.tenant)),
        Span::raw(sep.clone()),
        Span::raw(format!("{} ({role})", st.user)),
        Span::raw(sep.clone()),
        Span::raw(format!("{}: {}", s.services, st.services)),
    ];
    if !shell.pending_keys.is_empty() {
        left.push(Span::raw(sep.clone()));
        left.push(Span::raw(shell.pending_keys.clone()));
    }
    if let Some(e) = &st.last_error {
        left.push(Span::raw(sep.clone()));
        left.push(Span::styled(format!("{} {}: {e}", t.bad_glyph(), s.error), t.error()));
    } else if let Some(n) = &st.notice {
        left.push(Span::raw(sep));
        left.push(Span::styled(format!("{} {n}", t.ok_glyph()), t.ok()));
    }
    let [l, r] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(clock.chars().count() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)).style(t.status_bar()), l);
    frame.render_widget(Paragraph::new(clock).style(t.status_bar()), r);
}
