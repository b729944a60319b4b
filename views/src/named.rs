//! An action with its name and its help text, as the shell and each pane list their own.

/// An action with its name (keymap.toml, the palette) and what help says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named<A> {
    pub name: &'static str,
    pub act: A,
    pub en: &'static str,
    pub pt: &'static str,
}

impl<A> Named<A> {
    pub(crate) fn map<B>(&self, f: impl Fn(&A) -> B) -> Named<B> {
        Named {
            name: self.name,
            act: f(&self.act),
            en: self.en,
            pt: self.pt,
        }
    }
}
