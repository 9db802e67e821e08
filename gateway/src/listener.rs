//! The one TCP port: TLS (optional), then HTTP/1.1 or HTTP/2 by hyper-util's auto builder.
//!
//! Each connection gets the peer address as axum `ConnectInfo` (the rate limiter's key) and
//! the same router. This module accepts and serves connections; it makes no routing
//! decisions.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt as _;

use crate::{Error, Result};

/// Serves `router` on `listener` until `shutdown` completes.
///
/// # Errors
/// [`Error::Listen`] when accepting fails for good.
pub async fn serve(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(connection) => connection,
            Err(error) if is_transient(&error) => {
                tracing::warn!(%error, "accept failed");
                continue;
            }
            Err(error) => return Err(Error::Listen(error)),
        };
        let router = router.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, acceptor, router).await;
        });
    }
}

fn is_transient(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::Interrupted
            | std::io::ErrorKind::WouldBlock
    )
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    router: Router,
) {
    let _ = stream.set_nodelay(true);
    let service = router.map_request(move |mut request: http::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    let service = TowerToHyperService::new(service);
    let builder = Builder::new(TokioExecutor::new());
    let result = match acceptor {
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(tls_stream) => {
                builder
                    .serve_connection_with_upgrades(TokioIo::new(tls_stream), service)
                    .await
            }
            Err(error) => {
                tracing::debug!(%peer, %error, "tls handshake failed");
                return;
            }
        },
        None => {
            builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await
        }
    };
    if let Err(error) = result {
        tracing::debug!(%peer, %error, "connection ended with an error");
    }
}
