//! The bottom line: tenant, user and role, who runs the site services, clock, last error, and
//! a badge with the unread notifications.

use crate::i18n::Texts;
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
    // unread notifications, before the clock; nothing at all when there are none
    let badge = match (st.unread, t.ascii) {
        (0, _) => String::new(),
        (n, false) => format!(" ✉ {n} "),
        (n, true) => format!(" N:{n} "),
    };
    let badge_w = badge.chars().count();
    // Most to least verbose; the first that fits wins, so user, role and services always show.
    let width = area.width as usize;
    let runner = s.runner(&st.services);
    let services_full = format!("{}: {runner}", s.services);
    let services_short = format!("{}: {runner}", s.services_short);
    let with_display = format!("{} · {}", st.tenant, st.tenant_display);
    let who = format!("{} ({role})", st.user);
    let candidates = [
        (with_display.as_str(), services_full.as_str()),
        (st.tenant.as_str(), services_full.as_str()),
        (st.tenant.as_str(), services_short.as_str()),
    ];
    // An error or notice needs room too: the tenant's display name gives way to it first.
    let message = st
        .last_error
        .as_ref()
        .map(|e| format!("{} {}: {e}", t.bad_glyph(), s.error))
        .or_else(|| st.notice.as_ref().map(|n| format!("{} {n}", t.ok_glyph())));
    let extra = message.as_ref().map_or(0, |m| 3 + m.chars().count()) + badge_w;
    let fits = |t: &str, sv: &str| {
        extra
            + 1
            + t.chars().count()
            + 3
            + who.chars().count()
            + 3
            + sv.chars().count()
            + clock.chars().count()
            <= width
    };
    let (tenant, services) = candidates
        .iter()
        .copied()
        .filter(|(t, _)| !st.tenant_display.is_empty() || *t == st.tenant)
        .find(|(t, sv)| fits(t, sv))
        .unwrap_or((st.tenant.as_str(), services_short.as_str()));
    let mut left = vec![
        Span::raw(format!(" {tenant}")),
        Span::raw(sep.clone()),
        Span::raw(who.clone()),
        Span::raw(sep.clone()),
        Span::raw(services.to_owned()),
    ];
    if !shell.pending_keys.is_empty() {
        left.push(Span::raw(sep.clone()));
        left.push(Span::raw(shell.pending_keys.clone()));
    }
    if let Some(e) = &st.last_error {
        left.push(Span::raw(sep.clone()));
        left.push(Span::styled(
            format!("{} {}: {e}", t.bad_glyph(), s.error),
            t.error(),
        ));
    } else if let Some(n) = &st.notice {
        left.push(Span::raw(sep));
        left.push(Span::styled(format!("{} {n}", t.ok_glyph()), t.ok()));
    }
    let [l, b, r] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(badge_w as u16),
        Constraint::Length(clock.chars().count() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)).style(t.status_bar()), l);
    frame.render_widget(
        Paragraph::new(Span::styled(badge, t.warn())).style(t.status_bar()),
        b,
    );
    frame.render_widget(Paragraph::new(clock).style(t.status_bar()), r);
}
