//! The ingest signature: `X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`,
//! the secret being the tenant's entry under [ingest_keys] in secrets.toml, used as given.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value a device sends.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

/// Whether `header` is the right signature; compared in constant time.
pub fn verify(secret: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_sig) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(given) = hex::decode(hex_sig) else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let sig = sign("k", "1700000000", b"{}");
        assert!(verify("k", "1700000000", b"{}", &sig));
        assert!(!verify("k", "1700000001", b"{}", &sig));
        assert!(!verify("k2", "1700000000", b"{}", &sig));
        assert!(!verify("k", "1700000000", b"{} ", &sig));
        assert!(!verify("k", "1700000000", b"{}", "sha256=zz"));
        assert!(!verify(
            "k",
            "1700000000",
            b"{}",
            &sig.replace("sha256=", "")
        ));
    }
}
