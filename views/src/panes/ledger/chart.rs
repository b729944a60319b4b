//! The year month by month: planned as a light column, realized solid with the committed on
//! top of it, and the run-rate projection to December against the year's plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::text::LedgerText;
use crate::state::Shell;
use crate::state::ledger::Chart;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, c: &Chart, w: &LedgerText) {
    let t = shell.theme;
    let l = shell.locale;
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} {} ", w.chart_title, c.year),
        t.dim(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || c.months.is_empty() {
        return;
    }
    let [bars, axis, legend, projection] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let (plan_ch, real_ch, commit_ch) = if t.ascii {
        ('.', '#', '+')
    } else {
        ('░', '█', '▒')
    };
    let max = c
        .months
        .iter()
        .map(|(_, f)| f.planned.max(f.realized + f.committed))
        .max()
        .unwrap_or_default();
    let per = (bars.width as usize / c.months.len().max(1)).clamp(1, 6);
    let col_w = per.saturating_sub(1).max(1);
    let h = bars.height as f64;
    let scale = |v: Decimal| -> u16 {
        if max <= Decimal::ZERO {
            return 0;
        }
        ((v / max).to_f64().unwrap_or(0.0) * h)
            .round()
            .clamp(0.0, h) as u16
    };
    let buf = frame.buffer_mut();
    for (i, (m, f)) in c.months.iter().enumerate() {
        let x0 = bars.x + (i * per) as u16;
        if x0 + col_w as u16 > bars.right() {
            break;
        }
        let planned = scale(f.planned);
        let realized = scale(f.realized.max(Decimal::ZERO));
        let top = scale((f.realized + f.committed).max(Decimal::ZERO));
        for dy in 0..bars.height {
            let y = bars.bottom() - 1 - dy;
            let level = dy + 1;
            let (ch, style) = if level <= realized {
                let over = f.realized > f.planned && !f.planned.is_zero();
                (real_ch, if over { t.error() } else { t.chart() })
            } else if level <= top {
                (commit_ch, t.warn())
            } else if level <= planned {
                (plan_ch, t.dim())
            } else {
                continue;
            };
            for dx in 0..col_w as u16 {
                buf[(x0 + dx, y)].set_char(ch).set_style(style);
            }
        }
        let label = format!("{:02}", m.month());
        for (k, ch) in label.chars().take(col_w.max(2)).enumerate() {
            let x = x0 + k as u16;
            if x < axis.right() {
                buf[(x, axis.y)].set_char(ch).set_style(t.dim());
            }
        }
    }
    let legend_line = Line::from(vec![
        Span::styled(format!("{plan_ch} {} ", w.planned), t.dim()),
        Span::styled(format!("{real_ch} {} ", w.realized), t.chart()),
        Span::styled(format!("{commit_ch} {}", w.committed), t.warn()),
    ]);
    frame.render_widget(Paragraph::new(legend_line), legend);
    let over = c.projected_year > c.planned_year;
    let projection_line = Line::from(vec![
        Span::raw(format!("{}: ", w.projected)),
        Span::styled(
            format!("R$ {}", l.number(c.projected_year, 0)),
            if over { t.error() } else { t.ok() },
        ),
        Span::styled(
            format!(" / {} {}", l.number(c.planned_year, 0), w.planned),
            t.dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(projection_line), projection);
}
