//! opsdeck-views: renders the console's state and names what keys do. No I/O here: no database,
//! no network, no clock; `src/app` feeds a `Shell` and draws it with `render`.

pub mod action;
pub mod i18n;
pub mod keymap;
pub mod named;
pub mod panes;
pub mod refusals;
mod render;
pub mod state;
pub mod theme;
pub mod widgets;

pub use action::Action;
pub use render::{MIN_HEIGHT, MIN_WIDTH, render};
pub use state::{PaneId, Shell};
