//! What line charts share across panes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The chart widget draws its axes with box-drawing lines; ASCII mode swaps them.
pub fn asciify(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let ascii = match cell.symbol() {
                "─" => "-",
                "│" => "|",
                "└" => "+",
                _ => continue,
            };
            cell.set_symbol(ascii);
        }
    }
}
