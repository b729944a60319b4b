//! The per-tenant tantivy index. Fed only from the outbox by the one process that holds the
//! index writer (tantivy's own lock); every other process just reads and reloads.

use std::path::{Path, PathBuf};

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::outbox::{Event, SearchOp};
use crate::search_doc::{SearchDoc, decode_search_doc};
use crate::tables::{META, SEARCH_DOCS};
use crate::tenant::Tenant;
use crate::{Error, Result};

/// The consumer name the indexer keeps its outbox cursor under.
pub const INDEXER: &str = "indexer";
const TOKENIZER: &str = "folded";

/// One search result, typed for the Search pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: String,
    pub key: String,
    pub title: String,
    /// A fragment of the body (or title) around the matched words.
    pub snippet: String,
    /// Byte ranges of the matched words within `snippet`.
    pub highlights: Vec<std::ops::Range<usize>>,
    pub score: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    key: Field,
    title: Field,
    body: Field,
}

pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        key: b.add_text_field("key", STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
    };
    (b.build(), fields)
}

fn doc_id(kind: &str, key: &str) -> String {
    format!("{kind}/{key}")
}

impl SearchIndex {
    pub fn open(path: &Path) -> Result<SearchIndex> {
        let err = |e: tantivy::TantivyError| Error::Search {
            path: path.to_owned(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(path)?;
        let (schema, fields) = schema();
        let dir = tantivy::directory::MmapDirectory::open(path).map_err(|e| Error::Search {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let index = Index::open_or_create(dir, schema).map_err(err)?;
        // Accents folded so "criciuma" finds "Criciúma".
        index.tokenizers().register(
            TOKENIZER,
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(err)?;
        Ok(SearchIndex {
            path: path.to_owned(),
            index,
            reader,
            fields,
        })
    }

    fn err(&self, e: impl std::fmt::Display) -> Error {
        Error::Search {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Takes the index writer. Only one process can hold it; others get `IndexLocked`.
    pub fn writer(&self) -> Result<SearchWriter<'_>> {
        match self.index.writer_with_num_threads(1, 32_000_000) {
            Ok(w) => Ok(SearchWriter {
                index: self,
                writer: w,
            }),
            Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::IndexLocked),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Picks up commits made by the writer (in this or another process) now, not after the
    /// reload delay.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| self.err(e))
    }

    /// Changes whenever the reader picks up a new commit: poll it to refresh shown results.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Matches `query` (words, "phrases", kind:user) against titles and bodies, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut parser =
            QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(self.fields.title, 2.0);
        // Lenient: a stray quote or colon typed by a user is not an error.
        let (q, _) = parser.parse_query_lenient(query);
        let top = searcher
            .search(&q, &TopDocs::with_limit(limit).order_by_score())
            .map_err(|e| self.err(e))?;
        let mut body_snip =
            SnippetGenerator::create(&searcher, &*q, self.fields.body).map_err(|e| self.err(e))?;
        body_snip.set_max_num_chars(120);
        let title_snip =
            SnippetGenerator::create(&searcher, &*q, self.fields.title).map_err(|e| self.err(e))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
            let text = |f: Field| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let mut snippet = body_snip.snippet_from_doc(&doc);
            if snippet.is_empty() {
                snippet = title_snip.snippet_from_doc(&doc);
            }
            let mut fragment = snippet.fragment().to_owned();
            let mut highlights = snippet.highlighted().to_vec();
            if fragment.is_empty() {
                fragment = text(self.fields.body).chars().take(120).collect();
                highlights.clear();
            }
            hits.push(Hit {
                kind: text(self.fields.kind),
                key: text(self.fields.key),
                title: text(self.fields.title),
                snippet: fragment,
                highlights,
                score,
            });
        }
        Ok(hits)
    }

    /// How many documents match, for counts in the pane.
    pub fn count(&self, query: &str) -> Result<usize> {
        let parser = QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.body]);
        let (q, _) = parser.parse_query_lenient(query);
        self.reader
            .searcher()
            .search(&q, &Count)
            .map_err(|e| self.err(e))
    }
}

pub struct SearchWriter<'a> {
    index: &'a SearchIndex,
    writer: IndexWriter,
}

impl SearchWriter<'_> {
    fn upsert(&self, doc: &SearchDoc) -> Result<()> {
        let f = self.index.fields;
        let id = doc_id(&doc.kind, &doc.key);
        self.writer.delete_term(Term::from_field_text(f.id, &id));
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &id);
        d.add_text(f.kind, &doc.kind);
        d.add_text(f.key, &doc.key);
        d.add_text(f.title, &doc.title);
        d.add_text(f.body, &doc.body);
        self.writer.add_document(d).map_err(|e| self.index.err(e))?;
        Ok(())
    }

    /// Applies events (idempotent: an upsert replaces, a delete of nothing is nothing).
    pub fn apply(&self, events: &[Event]) -> Result<usize> {
        let mut n = 0;
        for e in events {
            match &e.search {
                SearchOp::None => {}
                SearchOp::Upsert(doc) => {
                    self.upsert(doc)?;
                    n += 1;
                }
                SearchOp::Delete { kind, key } => {
                    self.writer.delete_term(Term::from_field_text(
                        self.index.fields.id,
                        &doc_id(kind, key),
                    ));
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit().map_err(|e| self.index.err(e))?;
        self.index.reload()
    }

    /// Indexes what `tenant`'s outbox holds past the indexer cursor, in one tantivy commit, then
    /// moves the cursor. Returns how many events were consumed.
    pub fn catch_up(&mut self, tenant: &Tenant, batch: usize) -> Result<usize> {
        let events = tenant.pending(INDEXER, batch)?;
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok(0);
        };
        self.apply(&events)?;
        self.commit()?;
        tenant.advance(INDEXER, last)?;
        Ok(events.len())
    }

    /// Rebuilds the whole index from the tenant's searchable rows. `progress(done, total)` is
    /// called as it goes.
    pub fn rebuild(&mut self, tenant: &Tenant, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
        let (docs, head) = tenant.search_rows()?;
        self.writer
            .delete_all_documents()
            .map_err(|e| self.index.err(e))?;
        let total = docs.len() as u64;
        for (i, doc) in docs.iter().enumerate() {
            self.upsert(doc)?;
            if i % 256 == 0 {
                progress(i as u64, total);
            }
        }
        progress(total, total);
        self.commit()?;
        // Events after `head` are replayed by catch_up; replays are harmless.
        tenant.rewind(INDEXER, head)?;
        Ok(total)
    }
}

impl Tenant {
    /// Every searchable row and the outbox head, read from one snapshot.
    pub fn search_rows(&self) -> Result<(Vec<SearchDoc>, u64)> {
        let txn = self.db().begin_read()?;
        let head = txn
            .open_table(META)?
            .get("outbox_seq")?
            .map(|v| v.value())
            .unwrap_or(0);
        let table = txn.open_table(SEARCH_DOCS)?;
        let mut out = Vec::with_capacity(table.len()? as usize);
        for row in table.iter()? {
            let (_, bytes) = row?;
            out.push(decode_search_doc(bytes.value())?);
        }
        Ok((out, head))
    }

    pub fn search_row_count(&self) -> Result<u64> {
        let txn = self.db().begin_read()?;
        Ok(txn.open_table(SEARCH_DOCS)?.len()?)
    }
}
