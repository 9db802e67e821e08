//! Client TLS configurations shared by every outbound TLS caller (the CLI talking to a server,
//! the controller's agent running `http` templates): the system's trust roots, or, when the
//! caller skips verification, any server certificate (handshake signatures are still checked).
//! Must not: open connections or speak any protocol; it only builds `rustls` configurations.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, ring};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Where systems keep their trusted certificate bundle (Debian, Fedora, Alpine layouts).
const SYSTEM_BUNDLES: [&str; 3] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// Why a client configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// rustls refused the protocol versions (a build without them).
    #[error("TLS set-up: {0}")]
    Protocol(#[from] rustls::Error),
    /// Neither `SSL_CERT_FILE` nor a known system bundle exists.
    #[error("no trusted certificate bundle found")]
    NoTrustBundle,
    /// The bundle exists but could not be read as PEM.
    #[error("reading the certificate bundle {path}: {message}")]
    Bundle { path: String, message: String },
}

/// Which server certificates a client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Certificates chaining to the system's trust roots (or `SSL_CERT_FILE`).
    SystemRoots,
    /// Any certificate (Argo's `--insecure-skip-verify`, a template's `insecureSkipVerify`).
    Skip,
}

impl Verification {
    /// `Skip` when `insecure`, else `SystemRoots`.
    pub fn skipped_when(insecure: bool) -> Self {
        if insecure {
            Self::Skip
        } else {
            Self::SystemRoots
        }
    }
}

/// A client configuration offering the ALPN protocol `alpn` (`h2` for gRPC, `http/1.1` for REST).
pub fn client_config(verification: Verification, alpn: &[u8]) -> Result<Arc<ClientConfig>, Error> {
    let provider = Arc::new(ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let mut config = match verification {
        Verification::Skip => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate { provider }))
            .with_no_client_auth(),
        Verification::SystemRoots => builder
            .with_root_certificates(system_roots()?)
            .with_no_client_auth(),
    };
    config.alpn_protocols = vec![alpn.to_vec()];
    Ok(Arc::new(config))
}

fn system_roots() -> Result<RootCertStore, Error> {
    let chosen = std::env::var("SSL_CERT_FILE").ok().or_else(|| {
        SYSTEM_BUNDLES
            .iter()
            .find(|path| std::path::Path::new(path).exists())
            .map(|path| (*path).to_owned())
    });
    let path = chosen.ok_or(Error::NoTrustBundle)?;
    let certificates = CertificateDer::pem_file_iter(&path).map_err(|e| Error::Bundle {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let mut roots = RootCertStore::empty();
    for certificate in certificates.flatten() {
        // A bundle may hold certificates rustls cannot use; the rest still count.
        let _ = roots.add(certificate);
    }
    Ok(roots)
}

/// Accepts every server certificate but still checks the handshake signatures.
#[derive(Debug)]
struct AcceptAnyCertificate {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipping_verification_needs_no_bundle_and_offers_the_alpn() {
        let config = client_config(Verification::Skip, b"h2").unwrap();
        assert_eq!(config.alpn_protocols, vec![b"h2".to_vec()]);
    }

    #[test]
    fn the_flag_picks_the_verification() {
        assert_eq!(Verification::skipped_when(true), Verification::Skip);
        assert_eq!(Verification::skipped_when(false), Verification::SystemRoots);
    }
}
