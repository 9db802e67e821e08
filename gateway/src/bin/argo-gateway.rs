//! `argo-gateway`: the gateway alone, in front of services reached over the network.

use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser as _;
use gateway::{Backends, Config, GatewayState, ModeAuthenticator, listener, tls};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let config = Config::parse();
    config.validate()?;
    let mut backends = Backends::default();
    for (service, address) in config.service_addresses() {
        backends = backends.with_remote_service(service, address)?;
    }
    let authenticator = Arc::new(ModeAuthenticator::new(config.auth_mode.clone()));
    let mut state = GatewayState::new(config.settings(), backends, authenticator).await?;
    if let Some(dir) = &config.static_dir {
        state = state.with_assets(Arc::new(gateway::DirectoryAssets::new(dir)));
    }
    let tls_config = if config.secure {
        let certified = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => tls::from_pem_files(cert, key)?,
            _ => tls::self_signed()?,
        };
        Some(tls::server_config(certified)?)
    } else {
        None
    };
    let address = format!("{}:{}", config.address, config.port);
    let tcp = tokio::net::TcpListener::bind(&address)
        .await
        .with_context(|| format!("binding {address}"))?;
    tracing::info!(%address, secure = config.secure, "argo gateway listening");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    listener::serve(tcp, tls_config, gateway::router(state), shutdown).await?;
    Ok(())
}
