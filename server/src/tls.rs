//! The listener's certificate: generated, from PEM files, or from a Secret in the store
//! (`--tls-certificate-secret-name`, keys `tls.crt` and `tls.key`, as Argo reads it).
//!
//! Must not: build the rustls configuration (the gateway's `tls` module does).

use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::Secret;
use argo_store::{ResourceStore, Typed};
use gateway::tls::{self, CertifiedKey};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::options::TlsSource;
use crate::{Error, Result};

/// The certificate `source` names.
pub(crate) async fn certificate(
    source: &TlsSource,
    store: &Arc<dyn ResourceStore>,
    namespace: &str,
) -> Result<CertifiedKey> {
    match source {
        TlsSource::SelfSigned => Ok(tls::self_signed()?),
        TlsSource::Files { certificate, key } => Ok(tls::from_pem_files(certificate, key)?),
        TlsSource::Secret { name } => from_secret(store, namespace, name).await,
    }
}

async fn from_secret(
    store: &Arc<dyn ResourceStore>,
    namespace: &str,
    name: &str,
) -> Result<CertifiedKey> {
    let invalid = |reason: String| Error::InvalidOption {
        option: "--tls-certificate-secret-name",
        reason,
    };
    let secrets: Typed<Secret> = Typed::new(store.clone());
    let secret = match secrets.get(Some(namespace), name).await {
        Ok(secret) => secret,
        Err(argo_store::Error::NotFound { .. }) => {
            return Err(invalid(format!("secret {namespace}/{name} does not exist")));
        }
        Err(error) => return Err(error.into()),
    };
    let mut data: std::collections::BTreeMap<String, Vec<u8>> = secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| (key, value.0))
        .collect();
    for (key, value) in secret.string_data.unwrap_or_default() {
        data.insert(key, value.into_bytes());
    }
    let field = |key: &str| {
        data.get(key)
            .cloned()
            .ok_or_else(|| invalid(format!("secret {namespace}/{name} has no {key}")))
    };
    let certificate_pem = field("tls.crt")?;
    let key_pem = field("tls.key")?;
    let chain = CertificateDer::pem_slice_iter(&certificate_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| invalid(format!("tls.crt: {error}")))?;
    if chain.is_empty() {
        return Err(invalid("tls.crt holds no certificate".to_owned()));
    }
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|error| invalid(format!("tls.key: {error}")))?;
    Ok(CertifiedKey {
        chain,
        key,
        certificate_pem: String::from_utf8_lossy(&certificate_pem).into_owned(),
    })
}
