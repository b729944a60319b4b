//! Answers: JSON bodies, errors as `{"error": ..., "detail": ...}`, and the wire form the
//! connection writes itself when hyper never saw the request.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Response, StatusCode};
use serde_json::json;

pub(super) type Body = Full<Bytes>;

#[derive(Debug)]
pub(super) struct Reply {
    status: StatusCode,
    content_type: &'static str,
    body: Bytes,
    /// The connection ends after this answer (the request was not read whole).
    close: bool,
}

impl Reply {
    pub(super) fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: "application/json",
            body: Bytes::from(value.to_string()),
            close: false,
        }
    }

    pub(super) fn error(status: u16, error: &str, detail: &str) -> Reply {
        Reply::json(status, json!({ "error": error, "detail": detail }))
    }

    pub(super) fn text(content_type: &'static str, body: String) -> Reply {
        Reply {
            status: StatusCode::OK,
            content_type,
            body: Bytes::from(body),
            close: false,
        }
    }

    /// Ends the connection after this answer: sent before the request was read whole.
    pub(super) fn closing(mut self) -> Reply {
        self.close = true;
        self
    }

    /// 429 and 503 say when to come back.
    fn retry_after(&self) -> bool {
        matches!(
            self.status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        )
    }

    /// For hyper; `keep_alive` is what the request asked for. Content-Length is hyper's, from
    /// the body's exact size.
    pub(super) fn into_response(self, keep_alive: bool) -> Response<Body> {
        let keep = keep_alive && !self.close;
        let retry = self.retry_after();
        let mut r = Response::new(Full::new(self.body));
        *r.status_mut() = self.status;
        let h = r.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        // Said explicitly either way: hyper would leave keep-alive implicit on HTTP/1.1.
        h.insert(
            CONNECTION,
            HeaderValue::from_static(if keep { "keep-alive" } else { "close" }),
        );
        if retry {
            h.insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }

    /// The whole response as bytes, always closing (header names as hyper writes them): for
    /// answers written by the connection itself (a refused head hyper never saw, a connection
    /// past the cap).
    pub(super) fn to_wire(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n",
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or("Error"),
            self.content_type,
            self.body.len(),
        );
        if self.retry_after() {
            out.push_str("retry-after: 1\r\n");
        }
        out.push_str("\r\n");
        let mut out = out.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_is_a_closing_json_answer() {
        let r = Reply::error(503, "busy", "too many connections");
        let wire = String::from_utf8(r.to_wire()).unwrap();
        assert_eq!(
            wire,
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
             content-length: 48\r\nconnection: close\r\nretry-after: 1\r\n\r\n\
             {\"detail\":\"too many connections\",\"error\":\"busy\"}"
        );
    }

    #[test]
    fn a_closing_reply_says_close_even_on_a_kept_alive_connection() {
        let r = Reply::error(413, "too_large", "x")
            .closing()
            .into_response(true);
        assert_eq!(r.headers()[CONNECTION], "close");
        let r = Reply::error(401, "bad_signature", "x").into_response(true);
        assert_eq!(r.headers()[CONNECTION], "keep-alive");
        assert!(r.headers().get(RETRY_AFTER).is_none());
    }
}
