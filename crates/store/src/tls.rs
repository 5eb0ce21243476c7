//! TLS to the store, with libpq's `sslmode` meanings (rustls on aws-lc-rs):
//!
//! - `disable`: plain TCP;
//! - `prefer` (libpq's default) and `require`: encrypted, the server's certificate not checked —
//!   unless a root certificate is given (`sslrootcert`, or `~/.postgresql/root.crt` exists), when
//!   `require` checks it as `verify-ca` does, as libpq does;
//! - `verify-ca`: encrypted, the certificate signed by the root certificate;
//! - `verify-full`: `verify-ca`, and the certificate names the host connected to.
//!
//! `verify-ca` and `verify-full` need a root certificate: `sslrootcert=FILE` (PEM), or
//! `sslrootcert=system` for the system's trusted roots.

use rustls::DigitallySignedStruct;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "disable" => Ok(Self::Disable),
            // `allow` tries plain first; TLS is no worse.
            "allow" | "prefer" => Ok(Self::Prefer),
            "require" => Ok(Self::Require),
            "verify-ca" => Ok(Self::VerifyCa),
            "verify-full" => Ok(Self::VerifyFull),
            other => Err(format!(
                "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
            )),
        }
    }
}

/// Where the root certificate comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootCert {
    File(PathBuf),
    System,
}

/// The `sslmode` and `sslrootcert` of a store address, taken out of it (the client library
/// knows only disable, prefer and require): the address without them, the mode, the root.
pub fn split_tls_options(url: &str) -> Result<(String, SslMode, Option<RootCert>), String> {
    let mut mode = None;
    let mut root = None;
    let mut take = |key: &str, value: &str| -> Result<bool, String> {
        match key {
            "sslmode" => {
                mode = Some(SslMode::parse(value)?);
                Ok(true)
            }
            "sslrootcert" => {
                root = Some(if value == "system" {
                    RootCert::System
                } else {
                    RootCert::File(PathBuf::from(percent_decode(value)))
                });
                Ok(true)
            }
            _ => Ok(false),
        }
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            None => url.to_owned(),
            Some((base, query)) => {
                let mut kept = Vec::new();
                for pair in query.split('&').filter(|pair| !pair.is_empty()) {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    if !take(key, value)? {
                        kept.push(pair);
                    }
                }
                if kept.is_empty() {
                    base.to_owned()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
        }
    } else {
        let mut kept = Vec::new();
        for token in url.split_whitespace() {
            let (key, value) = token.split_once('=').unwrap_or((token, ""));
            if !take(key.trim(), value.trim_matches('\''))? {
                kept.push(token);
            }
        }
        kept.join(" ")
    };
    if root.is_none()
        && let Some(home) = std::env::var_os("HOME")
    {
        let default = Path::new(&home).join(".postgresql/root.crt");
        if default.exists() {
            root = Some(RootCert::File(default));
        }
    }
    if matches!(root, Some(RootCert::System)) {
        // libpq's rule: the system's roots vouch for every public name, so only the name
        // check makes them mean anything.
        return match mode {
            None | Some(SslMode::VerifyFull) => Ok((rest, SslMode::VerifyFull, root)),
            Some(_) => Err(
                "sslrootcert=system needs sslmode=verify-full (as libpq requires): \
                 the system's roots say who a server is only when its name is checked too"
                    .to_owned(),
            ),
        };
    }
    Ok((rest, mode.unwrap_or(SslMode::Prefer), root))
}

/// Where the system's trusted roots are: `SSL_CERT_FILE` (OpenSSL's variable), else the
/// bundle of Debian and Ubuntu, Fedora and RHEL, or Alpine and the BSDs.
fn system_roots_file() -> Option<PathBuf> {
    let named = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let known = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
    ]
    .map(PathBuf::from);
    named.into_iter().chain(known).find(|path| path.is_file())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(value) = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(value);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The rustls client configuration for a mode (`None`: no TLS).
pub fn client_config(
    mode: SslMode,
    root: Option<&RootCert>,
) -> Result<Option<rustls::ClientConfig>, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS: {error}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, root) {
        (SslMode::Disable, _) => return Ok(None),
        (SslMode::Prefer | SslMode::Require, None) => Arc::new(AnyCertificate(provider)),
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(format!(
                "sslmode={} needs a root certificate: add sslrootcert=FILE (PEM) or \
                 sslrootcert=system, or put it in ~/.postgresql/root.crt",
                if mode == SslMode::VerifyCa {
                    "verify-ca"
                } else {
                    "verify-full"
                }
            ));
        }
        (SslMode::Prefer, Some(_)) => Arc::new(AnyCertificate(provider)),
        (SslMode::Require | SslMode::VerifyCa, Some(root)) => {
            Arc::new(SignedByRoot(webpki(root, &provider)?))
        }
        (SslMode::VerifyFull, Some(root)) => webpki(root, &provider)?,
    };
    Ok(Some(
        builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth(),
    ))
}

fn webpki(
    root: &RootCert,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, String> {
    let mut roots = rustls::RootCertStore::empty();
    match root {
        RootCert::File(path) => {
            let certificates = CertificateDer::pem_file_iter(path).map_err(|error| {
                format!(
                    "{}: cannot read the root certificate: {error}",
                    path.display()
                )
            })?;
            for certificate in certificates {
                let certificate = certificate.map_err(|error| {
                    format!("{}: not a PEM certificate: {error}", path.display())
                })?;
                roots.add(certificate).map_err(|error| {
                    format!("{}: not a usable root certificate: {error}", path.display())
                })?;
            }
            if roots.is_empty() {
                return Err(format!("{}: holds no certificate", path.display()));
            }
        }
        RootCert::System => {
            let path = system_roots_file().ok_or_else(|| {
                "sslrootcert=system: this system has no bundle of trusted roots (looked at \
                 SSL_CERT_FILE, /etc/ssl/certs/ca-certificates.crt, \
                 /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem): install ca-certificates \
                 or name the root certificate's file"
                    .to_owned()
            })?;
            let certificates = CertificateDer::pem_file_iter(&path).map_err(|error| {
                format!(
                    "{}: cannot read the system's roots: {error}",
                    path.display()
                )
            })?;
            // A system bundle may hold a certificate webpki cannot use; the others still count.
            let (added, _) = roots.add_parsable_certificates(certificates.filter_map(Result::ok));
            if added == 0 {
                return Err(format!(
                    "{}: holds no usable root certificate",
                    path.display()
                ));
            }
        }
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
        .build()
        .map_err(|error| format!("TLS: {error}"))
}

/// `prefer`/`require` without a root: the connection is encrypted, the certificate not checked
/// (libpq's meaning); the handshake's signatures still are.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
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
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the certificate chain must lead to the root; the name in it is not checked.
#[derive(Debug)]
struct SignedByRoot(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for SignedByRoot {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_options_are_taken_out_of_either_form() {
        let (rest, mode, root) = split_tls_options(
            "postgresql://a@db:5432/x?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.crt&application_name=y",
        )
        .unwrap();
        assert_eq!(rest, "postgresql://a@db:5432/x?application_name=y");
        assert_eq!(mode, SslMode::VerifyFull);
        assert_eq!(root, Some(RootCert::File(PathBuf::from("/tmp/ca.crt"))));
        let (rest, mode, _) = split_tls_options("host=db user=a sslmode=require dbname=x").unwrap();
        assert_eq!(rest, "host=db user=a dbname=x");
        assert_eq!(mode, SslMode::Require);
        assert!(split_tls_options("postgresql://db/x?sslmode=sometimes").is_err());
        assert!(
            client_config(SslMode::VerifyFull, None)
                .unwrap_err()
                .contains("root certificate")
        );
        assert!(client_config(SslMode::Disable, None).unwrap().is_none());
    }

    #[test]
    fn the_systems_roots_mean_verify_full() {
        let (_, mode, root) = split_tls_options("postgresql://a@db/x?sslrootcert=system").unwrap();
        assert_eq!((mode, root), (SslMode::VerifyFull, Some(RootCert::System)));
        let refused = split_tls_options("host=db sslmode=require sslrootcert=system").unwrap_err();
        assert!(refused.contains("needs sslmode=verify-full"), "{refused}");
    }
}
