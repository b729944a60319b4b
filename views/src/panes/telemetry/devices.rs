//! The device list: health, the latest value of each device's metric and its last hour as a
//! sparkline.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::cells::{health_cell, value_text};
use super::text::{TmText, text};
use crate::state::telemetry::DeviceRow;
use crate::state::{Health, Shell};
use crate::theme::Theme;
use crate::widgets::list::{count_title, list_block, list_message, selection};
use crate::widgets::text::{ellipsize, max_width, text_width};

/// The device list's sparkline never gets wider than this (one cell per minute of the hour).
const SPARK_MAX: usize = 60;
const SPARK_MIN: usize = 8;

pub(super) fn devices(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.telemetry;
    let visible = pane.visible_devices();
    let title = count_title(
        tm.tel_devices,
        pane.loaded.then_some((visible.len(), pane.devices.len())),
    );
    let block = list_block(
        shell,
        area,
        title,
        &pane.device_list.filter,
        tm.devices_hint,
    );
    if !pane.loaded || pane.devices.is_empty() {
        let msg = if pane.loaded {
            tm.devices_empty
        } else {
            s.loading
        };
        list_message(frame, block, area, msg, t);
        return;
    }

    let values: Vec<String> = pane
        .devices
        .iter()
        .map(|d| value_text(shell, d.value, &d.unit))
        .collect();
    let new_w = text_width(tm.tel_new) + 1;
    // Widths from every device (not just the visible ones), so filtering does not shift columns.
    let status_w = max_width(pane.devices.iter().map(|d| tm.health[d.health.index()])) + 2;
    let id_w = pane
        .devices
        .iter()
        .map(|d| text_width(&d.id) + if d.confirmed { 0 } else { new_w })
        .max()
        .unwrap_or(0);
    let metric_w = max_width(pane.devices.iter().map(|d| d.metric.as_str())).min(20);
    let value_w = max_width(values.iter().map(String::as_str));
    let age_w = max_width(pane.devices.iter().map(|d| d.age.as_str()));
    let name_w = max_width(pane.devices.iter().map(|d| d.name.as_str())).min(24);
    let spark_len = pane
        .devices
        .iter()
        .map(|d| d.spark.len())
        .max()
        .unwrap_or(0)
        .min(SPARK_MAX);
    let cols = &tm.device_cols;
    let widths = [
        status_w.max(text_width(cols[0])),
        id_w.max(text_width(cols[1])),
        name_w.max(text_width(cols[2])),
        metric_w.max(text_width(cols[3])),
        value_w.max(text_width(cols[4])),
        age_w.max(text_width(cols[5])),
    ];
    let inner = area.width.saturating_sub(2) as usize;
    // status, id, metric, value and age always show; then the sparkline, then the name.
    let fixed = widths[0] + widths[1] + widths[3] + widths[4] + widths[5] + 4;
    let avail = inner.saturating_sub(fixed);
    let (show_name, spark_w) = if name_w > 0 && spark_len > 0 {
        if avail >= widths[2] + spark_len.min(30) + 2 {
            (true, spark_len.min(avail - widths[2] - 2))
        } else if avail > SPARK_MIN {
            (false, spark_len.min(avail - 1))
        } else {
            (avail > widths[2], 0)
        }
    } else if spark_len > 0 {
        (
            false,
            if avail > SPARK_MIN {
                spark_len.min(avail - 1)
            } else {
                0
            },
        )
    } else {
        (name_w > 0 && avail > widths[2], 0)
    };

    // (heading, right-aligned, width)
    let name_fill = avail.saturating_sub(spark_w + usize::from(spark_w > 0) + 1);
    let mut columns = vec![
        (cols[0], false, Constraint::Length(widths[0] as u16)),
        (cols[1], false, Constraint::Length(widths[1] as u16)),
    ];
    if show_name {
        columns.push((cols[2], false, Constraint::Fill(1)));
    }
    columns.extend([
        (cols[3], false, Constraint::Length(widths[3] as u16)),
        (cols[4], true, Constraint::Length(widths[4] as u16)),
        (cols[5], true, Constraint::Length(widths[5] as u16)),
    ]);
    if spark_w > 0 {
        columns.push((cols[6], false, Constraint::Length(spark_w as u16)));
    }
    let header = Row::new(columns.iter().map(|(h, right, _)| {
        Cell::from(if *right {
            Line::from(*h).right_aligned()
        } else {
            Line::from(*h)
        })
    }))
    .style(t.accent());
    let constraints: Vec<Constraint> = columns.iter().map(|c| c.2).collect();

    let rows: Vec<Row> = visible
        .iter()
        .map(|d| {
            let mut cells = vec![
                Cell::from(health_cell(t, tm, d.health)),
                Cell::from(id_cell(t, tm, d)),
            ];
            if show_name {
                cells.push(Cell::from(ellipsize(&d.name, name_fill)));
            }
            cells.push(Cell::from(ellipsize(&d.metric, widths[3])));
            cells.push(Cell::from(
                Line::from(value_text(shell, d.value, &d.unit)).right_aligned(),
            ));
            cells.push(Cell::from(Line::from(d.age.clone()).right_aligned()));
            if spark_w > 0 {
                let style = if d.health == Health::Stale {
                    t.dim()
                } else {
                    t.chart()
                };
                cells.push(Cell::from(
                    Line::from(Span::styled(sparkline(&d.spark, spark_w, t), style))
                        .right_aligned(),
                ));
            }
            Row::new(cells)
        })
        .collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut st =
        TableState::default().with_selected(selection(pane.device_list.selected, visible.len()));
    frame.render_stateful_widget(table, area, &mut st);
}

fn id_cell<'a>(t: Theme, tm: &TmText, d: &'a DeviceRow) -> Line<'a> {
    let mut spans = vec![Span::raw(d.id.as_str())];
    if !d.confirmed {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(tm.tel_new, t.accent()));
    }
    Line::from(spans)
}

/// A last-hour sparkline `width` cells wide at most, scaled to the row's own min..max; a blank
/// for minutes without data. Newest on the right.
pub fn sparkline(values: &[Option<f64>], width: usize, t: Theme) -> String {
    let levels = t.spark_levels();
    let clean: Vec<Option<f64>> = values.iter().map(|v| v.filter(|x| x.is_finite())).collect();
    let n = clean.len();
    if n == 0 || width == 0 {
        return String::new();
    }
    let buckets: Vec<Option<f64>> = if n <= width {
        clean
    } else {
        (0..width)
            .map(|c| {
                let (lo, hi) = (c * n / width, ((c + 1) * n / width).max(c * n / width + 1));
                let vals: Vec<f64> = clean[lo..hi.min(n)].iter().flatten().copied().collect();
                (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
            })
            .collect()
    };
    let present = buckets.iter().flatten();
    let min = present.clone().copied().fold(f64::INFINITY, f64::min);
    let max = present.copied().fold(f64::NEG_INFINITY, f64::max);
    let top = levels.len() - 1;
    buckets
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if max <= min => levels[top / 2],
            Some(v) => levels[(((v - min) / (max - min)) * top as f64).round() as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_row_and_leaves_gaps_blank() {
        let t = Theme::default();
        let v = [Some(1.0), Some(2.0), None, Some(3.0)];
        assert_eq!(sparkline(&v, 10, t), "▁▅ █");
        let flat = [Some(5.0); 3];
        assert_eq!(sparkline(&flat, 10, t), "▄▄▄");
        let ascii = Theme {
            color: false,
            ascii: true,
        };
        assert_eq!(sparkline(&v, 10, ascii), "_- #");
        // 60 minutes into 20 cells: every 3 averaged
        let hour: Vec<Option<f64>> = (0..60).map(|i| Some(i as f64)).collect();
        let s = sparkline(&hour, 20, t);
        assert_eq!(s.chars().count(), 20);
        assert!(s.starts_with('▁') && s.ends_with('█'));
        assert_eq!(sparkline(&[None, None], 5, t), "  ");
        assert_eq!(sparkline(&[], 5, t), "");
    }
}
