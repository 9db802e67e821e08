//! `urlParse` and `urlJoin` with the semantics of Go's `net/url`: a URL splits into scheme,
//! userinfo, host, path (unescaped), raw query, opaque part and fragment; joining escapes each
//! part the way `URL.String` does.
//! Must not: resolve hosts or normalise paths; this is syntax only.

use serde_json::{Map, Value};

use crate::Result;
use crate::arguments::Args;

/// The parts of a URL, as Go's `url.URL` holds them (path and fragment unescaped).
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    raw_query: String,
    fragment: String,
}

fn unhex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-decoding; a malformed escape is an error as in Go.
fn unescape(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = bytes
                .get(i + 1)
                .and_then(|&h| unhex(h))
                .zip(bytes.get(i + 2).and_then(|&l| unhex(l)));
            let Some((high, low)) = pair else {
                let end = (i + 3).min(bytes.len());
                return Err(format!(
                    "invalid URL escape {:?}",
                    String::from_utf8_lossy(&bytes[i..end])
                ));
            };
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Path,
    Host,
    UserPassword,
    Fragment,
}

/// Go's `shouldEscape` for the part being written.
fn should_escape(c: u8, part: Part) -> bool {
    if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
        return false;
    }
    if part == Part::Host
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    if matches!(
        c,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@'
    ) {
        return match part {
            Part::Path => c == b'?',
            Part::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Part::Fragment => false,
            Part::Host => true,
        };
    }
    !(part == Part::Fragment && matches!(c, b'!' | b'(' | b')' | b'*'))
}

fn escape(s: &str, part: Part) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if should_escape(b, part) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// `scheme:` at the start, if the characters before the first `:` make a valid scheme.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return Err("missing protocol scheme".into()),
            ':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let (rest, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = Url {
        fragment: unescape(fragment)?,
        ..Url::default()
    };
    if rest == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = split_scheme(rest)?;
    url.scheme = scheme.to_ascii_lowercase();
    let (mut rest, query) = match rest.split_once('?') {
        Some((before, after)) => (before, after),
        None => (rest, ""),
    };
    url.raw_query = query.to_string();
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        let first_segment = rest.split('/').next().unwrap_or("");
        if first_segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = after.find('/').map_or((after, ""), |i| after.split_at(i));
        parse_authority(&mut url, authority)?;
        rest = path;
    }
    url.path = unescape(rest)?;
    Ok(url)
}

fn parse_authority(url: &mut Url, authority: &str) -> Result<(), String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let port_start = host.rfind(']').map_or(0, |i| i + 1);
    if let Some(colon) = host[port_start..].find(':') {
        let port = &host[port_start + colon + 1..];
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "invalid port {:?} after host",
                &host[port_start + colon..]
            ));
        }
    }
    url.host = unescape(host)?;
    url.user = match userinfo {
        None => None,
        Some(info) => Some(match info.split_once(':') {
            Some((name, password)) => (unescape(name)?, Some(unescape(password)?)),
            None => (unescape(info)?, None),
        }),
    };
    Ok(())
}

fn userinfo_string(user: &(String, Option<String>)) -> String {
    let mut out = escape(&user.0, Part::UserPassword);
    if let Some(password) = &user.1 {
        out.push(':');
        out.push_str(&escape(password, Part::UserPassword));
    }
    out
}

/// The host without its port and without IPv6 brackets.
fn hostname(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    host.split(':').next().unwrap_or(host)
}

pub(crate) fn url_parse(args: &Args) -> Result<Value> {
    let url = parse(args.str(0)?).map_err(|e| args.invalid(format!("unable to parse url: {e}")))?;
    let mut map = Map::new();
    let mut put = |key: &str, value: &str| {
        map.insert(key.to_string(), Value::String(value.to_string()));
    };
    put("fragment", &url.fragment);
    put("host", &url.host);
    put("hostname", hostname(&url.host));
    put("opaque", &url.opaque);
    put("path", &url.path);
    put("query", &url.raw_query);
    put("scheme", &url.scheme);
    put(
        "userinfo",
        &url.user.as_ref().map(userinfo_string).unwrap_or_default(),
    );
    Ok(Value::Object(map))
}

fn string_field(args: &Args, map: &Map<String, Value>, key: &str) -> Result<String> {
    match map.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(args.invalid(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            crate::conversion::go_kind_name(other)
        ))),
    }
}

/// Go's `URL.String` over the dictionary's parts.
pub(crate) fn url_join(args: &Args) -> Result<Value> {
    let map = args.dict(0)?;
    let field = |key: &str| string_field(args, map, key);
    let userinfo = field("userinfo")?;
    let user = if userinfo.is_empty() {
        None
    } else {
        let parsed = parse(&format!("proto://{userinfo}@host"))
            .map_err(|e| args.invalid(format!("unable to parse userinfo in dict: {e}")))?;
        parsed.user
    };
    let url = Url {
        scheme: field("scheme")?,
        opaque: field("opaque")?,
        user,
        host: field("host")?,
        path: field("path")?,
        raw_query: field("query")?,
        fragment: field("fragment")?,
    };
    Ok(Value::String(render(&url)))
}

fn render(url: &Url) -> String {
    let mut out = String::new();
    if !url.scheme.is_empty() {
        out.push_str(&url.scheme);
        out.push(':');
    }
    if !url.opaque.is_empty() {
        out.push_str(&url.opaque);
    } else {
        if !url.scheme.is_empty() || !url.host.is_empty() || url.user.is_some() {
            if !url.host.is_empty() || !url.path.is_empty() || url.user.is_some() {
                out.push_str("//");
            }
            if let Some(user) = &url.user {
                out.push_str(&userinfo_string(user));
                out.push('@');
            }
            out.push_str(&escape(&url.host, Part::Host));
        }
        let path = escape(&url.path, Part::Path);
        if !path.is_empty() && !path.starts_with('/') && !url.host.is_empty() {
            out.push('/');
        }
        if out.is_empty() && path.split('/').next().unwrap_or("").contains(':') {
            out.push_str("./");
        }
        out.push_str(&path);
    }
    if !url.raw_query.is_empty() {
        out.push('?');
        out.push_str(&url.raw_query);
    }
    if !url.fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&url.fragment, Part::Fragment));
    }
    out
}
