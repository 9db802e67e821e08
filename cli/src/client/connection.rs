//! One byte stream to the server: TCP, wrapped in TLS when the server is secure. Shared by
//! the gRPC and REST transports. Must not: know which protocol runs over it.

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::ClientError;

/// A connected stream, plain or TLS.
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// How to reach the server: `host:port` and the TLS settings, if any.
#[derive(Clone)]
pub struct Dialer {
    pub address: String,
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

impl std::fmt::Debug for Dialer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dialer")
            .field("address", &self.address)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl Dialer {
    /// The host part of the address (no port, no brackets), for TLS server names.
    pub fn host(&self) -> &str {
        let address = self.address.as_str();
        if let Some(rest) = address.strip_prefix('[') {
            return rest.split(']').next().unwrap_or(rest);
        }
        match address.rsplit_once(':') {
            Some((host, _)) => host,
            None => address,
        }
    }

    /// Opens a connection, naming the address and the reason when it fails.
    pub async fn dial(&self) -> Result<Box<dyn Io>, ClientError> {
        let unreachable = |reason: String| ClientError::Unreachable {
            address: self.address.clone(),
            reason,
        };
        let tcp = TcpStream::connect(&self.address)
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        let _ = tcp.set_nodelay(true);
        let Some(config) = &self.tls else {
            return Ok(Box::new(tcp));
        };
        let name = rustls::pki_types::ServerName::try_from(self.host().to_owned())
            .map_err(|e| unreachable(format!("invalid server name: {e}")))?;
        let stream = TlsConnector::from(config.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| unreachable(format!("TLS handshake: {e}")))?;
        Ok(Box::new(stream))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialer(address: &str) -> Dialer {
        Dialer {
            address: address.into(),
            tls: None,
        }
    }

    #[test]
    fn the_host_drops_the_port_and_ipv6_brackets() {
        assert_eq!(dialer("localhost:2746").host(), "localhost");
        assert_eq!(dialer("[::1]:2746").host(), "::1");
        assert_eq!(dialer("argo.example").host(), "argo.example");
    }

    #[test]
    fn a_closed_port_names_the_address() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // Bind then drop a listener so the port is (almost certainly) closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let address = format!("127.0.0.1:{port}");
        let error = match runtime.block_on(dialer(&address).dial()) {
            Ok(_) => panic!("connected to a closed port"),
            Err(error) => error.to_string(),
        };
        assert!(error.contains(&address), "{error}");
    }
}
