//! The console's loop on a real demo site (redb file, tantivy index, worker thread), driven by
//! key messages and drawn on ratatui's TestBackend. Shared by the console test files.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use opsdeck::app::{self, App, HeldServices, Msg, UiOptions};
use opsdeck::site::demo;
use opsdeck::site::paths::SiteDir;
use opsdeck_views::i18n::Locale;
use opsdeck_views::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct Console {
    pub app: App,
    pub tx: Sender<Msg>,
    pub rx: Receiver<Msg>,
    pub term: Terminal<TestBackend>,
}

impl Console {
    pub fn start(
        dir: &std::path::Path,
        user_keymap: Option<&str>,
    ) -> (Console, Option<HeldServices>) {
        Console::start_in(dir, None, user_keymap)
    }

    /// The console of `tenant` (None: the site's first) on the demo site in `dir`.
    pub fn start_in(
        dir: &std::path::Path,
        tenant: Option<&str>,
        user_keymap: Option<&str>,
    ) -> (Console, Option<HeldServices>) {
        let site = std::sync::Arc::new(demo::open_or_load(&SiteDir::new(dir)).expect("demo site"));
        let held = HeldServices::try_take(&site, Default::default()).expect("services");
        let (app, tx, rx) = app::start(
            &site,
            tenant,
            UiOptions {
                locale: Locale::PtBr,
                theme: Theme::default(),
                user_keymap: user_keymap.map(|k| ("my-keymap.toml".to_owned(), k.to_owned())),
            },
        )
        .expect("console starts");
        let term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        (Console { app, tx, rx, term }, held)
    }

    pub fn key(&mut self, code: KeyCode) {
        self.tx
            .send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .unwrap();
        self.pump(Duration::from_millis(30));
    }

    pub fn ctrl(&mut self, c: char) {
        self.tx
            .send(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::CONTROL,
            )))
            .unwrap();
        self.pump(Duration::from_millis(30));
    }

    pub fn typ(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn pump(&mut self, d: Duration) {
        app::event_loop(
            &mut self.term,
            &mut self.app,
            &self.rx,
            Some(Instant::now() + d),
        )
        .unwrap();
    }

    pub fn screen(&self) -> String {
        let buf = self.term.backend().buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Pumps (with ticks, as the real ticker sends) until `f` holds.
    pub fn until(&mut self, what: &str, f: impl Fn(&App) -> bool) {
        let end = Instant::now() + Duration::from_secs(15);
        while !f(&self.app) {
            assert!(
                Instant::now() < end,
                "timed out waiting for {what}:\n{}",
                self.screen()
            );
            self.tx.send(Msg::Tick).unwrap();
            self.pump(Duration::from_millis(100));
        }
    }
}
