//! The listener's TLS configuration: a given certificate or one generated at start.
//!
//! Argo serves TLS by default with a self-signed certificate made at start-up; `--tls-cert`
//! and `--tls-key` supply a real one. TLS 1.2 is the minimum and ALPN offers `h2` and
//! `http/1.1` so gRPC and REST share the port. This module builds configs; it does not accept
//! connections.

use std::path::Path;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::{Error, Result};

/// A certificate chain and its key, DER encoded.
#[derive(Debug)]
pub struct CertifiedKey {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// The PEM of the leaf certificate (clients of a self-signed server trust it).
    pub certificate_pem: String,
}

/// A self-signed certificate for `localhost` and the loopback addresses.
///
/// # Errors
/// [`Error::CertificateGeneration`] if key generation fails.
pub fn self_signed() -> Result<CertifiedKey> {
    let names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let generated =
        rcgen::generate_simple_self_signed(names).map_err(Error::CertificateGeneration)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        generated.signing_key.serialize_der(),
    ));
    Ok(CertifiedKey {
        certificate_pem: generated.cert.pem(),
        chain: vec![generated.cert.der().clone()],
        key,
    })
}

/// Reads a PEM certificate chain and private key.
///
/// # Errors
/// [`Error::Tls`] when a file is unreadable or holds no certificate or key.
pub fn from_pem_files(certificate: &Path, key: &Path) -> Result<CertifiedKey> {
    let unreadable = |path: &Path, what: &str| Error::Tls {
        reason: format!("{}: no {what} could be read", path.display()),
    };
    let chain = CertificateDer::pem_file_iter(certificate)
        .map_err(|_| unreadable(certificate, "certificate"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| unreadable(certificate, "certificate"))?;
    if chain.is_empty() {
        return Err(unreadable(certificate, "certificate"));
    }
    let private_key = PrivateKeyDer::from_pem_file(key).map_err(|_| unreadable(key, "key"))?;
    let certificate_pem = std::fs::read_to_string(certificate).map_err(|source| Error::Read {
        path: certificate.display().to_string(),
        source,
    })?;
    Ok(CertifiedKey {
        chain,
        key: private_key,
        certificate_pem,
    })
}

/// The rustls server configuration: TLS 1.2 and 1.3, ALPN `h2` then `http/1.1`.
///
/// # Errors
/// [`Error::Tls`] when the key does not match the certificate.
pub fn server_config(certified: CertifiedKey) -> Result<Arc<ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|error| Error::Tls {
            reason: error.to_string(),
        })?
        .with_no_client_auth()
        .with_single_cert(certified.chain, certified.key)
        .map_err(|error| Error::Tls {
            reason: error.to_string(),
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_certificate_builds_a_server_config_offering_h2() {
        let certified = self_signed().expect("generated");
        assert!(
            certified
                .certificate_pem
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        let config = server_config(certified).expect("config builds");
        assert_eq!(config.alpn_protocols[0], b"h2".to_vec());
    }
}
